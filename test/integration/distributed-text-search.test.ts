/**
 * Full-text search on a real `tessera cluster --workers 2`, compared with PostgreSQL 15
 * holding the same plain table: a tsvector column filled by to_tsvector through the
 * coordinator, @@ filters pushed to the shards (router and multi-shard), ranking ordered
 * across shards, tsquery columns, a GIN index on an expression (accepted and sent to the
 * shards; it is never scanned, so queries read the table), and to_tsvector(text) under
 * default_text_search_config.
 */
import { after, before, describe, test } from "node:test";
import {
  SideBySide, clusterBesidePostgres, type ClusterBesidePostgres, type Rows,
} from "../harness/index.js";

const bodies = [
  "The quick brown fox jumps over the lazy dog",
  "Dogs are lazy; the dog sleeps all day while foxes are running",
  "PostgreSQL supports full-text search with tsvector and tsquery types",
  "A search engine indexes documents and ranks them by relevance",
  "Write to admin@example.com or visit https://www.example.com/docs/index.html",
  "Version 1.2.3 costs 3.14 dollars and 42 cats chase the foxes",
];

describe("text search on a distributed table", () => {
  let side: SideBySide;
  let servers: ClusterBesidePostgres;
  const both = (sql: string): Promise<void> => side.both(sql);
  const same = (sql: string): Promise<Rows> => side.same(sql);

  before(async () => {
    servers = await clusterBesidePostgres();
    side = servers.side;
    await both("CREATE TABLE ts_docs (id int PRIMARY KEY, body text, doc tsvector, " +
      "q tsquery)");
    await servers.tessera.query("SELECT create_distributed_table('ts_docs', 'id')");
    await both("CREATE INDEX ts_docs_doc_idx ON ts_docs USING gin (doc)");
    await both("CREATE INDEX ts_docs_body_idx ON ts_docs USING gin " +
      "(to_tsvector('english', body))");
    for (let i = 0; i < 60; i++) {
      const body = bodies[i % bodies.length] as string;
      await both(`INSERT INTO ts_docs VALUES (${i}, '${body} ${i}', ` +
        `setweight(to_tsvector('english', '${body}'), '${"ABCD"[i % 4]}'), ` +
        `to_tsquery('english', '${i % 2 === 0 ? "fox & dog" : "search:*"}'))`);
    }
    await both("INSERT INTO ts_docs VALUES (100, NULL, NULL, NULL)");
  });
  after(async () => {
    await servers?.stop();
  });

  test("tsvector and tsquery columns read back as PostgreSQL prints them", async () => {
    await same("SELECT id, doc, q FROM ts_docs ORDER BY id");
    await same("SELECT doc, q FROM ts_docs WHERE id = 7");
    await same("SELECT id, length(doc), numnode(q) FROM ts_docs WHERE id < 10 ORDER BY id");
  });

  test("@@ filters on the shards, router and multi-shard", async () => {
    await same("SELECT id FROM ts_docs WHERE doc @@ to_tsquery('english', 'fox & dog') " +
      "ORDER BY id");
    await same("SELECT id FROM ts_docs WHERE doc @@ 'search:*'::tsquery AND id = 9");
    await same("SELECT id FROM ts_docs WHERE to_tsvector('english', body) @@ " +
      "websearch_to_tsquery('english', 'search -engine') ORDER BY id");
    await same("SELECT id FROM ts_docs WHERE doc @@ q ORDER BY id");
    await same("SELECT id FROM ts_docs WHERE body @@ plainto_tsquery('english', 'lazy dogs') " +
      "ORDER BY id");
    await same("SELECT count(*) FROM ts_docs WHERE doc @@ phraseto_tsquery('english', " +
      "'brown fox')");
    await same("SELECT id FROM ts_docs WHERE doc @@ to_tsquery('english', 'fox:A | cat:B') " +
      "ORDER BY id");
  });

  test("ranking across shards", async () => {
    await same("SELECT id, ts_rank(doc, to_tsquery('english', 'fox | dog')) AS r " +
      "FROM ts_docs WHERE doc @@ to_tsquery('english', 'fox | dog') ORDER BY r DESC, id " +
      "LIMIT 10");
    await same("SELECT id, ts_rank_cd(doc, to_tsquery('english', 'lazy <-> dog')) " +
      "FROM ts_docs ORDER BY id");
    await same("SELECT q, count(*) FROM ts_docs GROUP BY q ORDER BY q");
  });

  test("updates and the text search setting", async () => {
    await both("UPDATE ts_docs SET doc = doc || to_tsvector('english', 'extra words') " +
      "WHERE id % 10 = 3");
    await same("SELECT id, doc FROM ts_docs WHERE id % 10 = 3 ORDER BY id");
    await same("SELECT to_tsvector('The foxes'), get_current_ts_config()");
    await same("SELECT id FROM ts_docs WHERE to_tsvector(body) @@ to_tsquery('fox') " +
      "ORDER BY id");
    // A SET reaches this session only: as with Citus's default citus.propagate_set_commands
    // (none), shards keep the workers' default_text_search_config.
    await both("SET default_text_search_config = 'simple'");
    await same("SELECT to_tsvector('The foxes'), get_current_ts_config()");
    await same("SHOW default_text_search_config");
    await both("RESET default_text_search_config");
  });
});
