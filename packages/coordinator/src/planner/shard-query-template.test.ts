import { strict as assert } from "node:assert";
import { before, test } from "node:test";
import { shardId } from "@tessera/base";
import { initParser, parseStatements, type ast } from "@tessera/sql";
import { shardQueryText } from "./shard-query.js";
import { shardQueryTexts, type IndexedResolver } from "./shard-query-template.js";

before(async () => {
  await initParser();
});

const longName = "a_table_whose_name_is_long_enough_that_its_shard_names_are_cut";

/** Hash tables get shard base + index; the reference table keeps one shard. */
const bases: Record<string, number> = {
  events: 102008, devices: 102040, "Mixed Case": 102100, [longName]: 102200,
};

const resolverFor: IndexedResolver = (index) => (rangeVar) => {
  const name = rangeVar.relname ?? "";
  if (name === "countries") return { shardId: shardId(102072), schemaName: "public" };
  const base = bases[name];
  return base === undefined ? undefined : { shardId: shardId(base + index), schemaName: "public" };
};

function parseOne(sql: string): ast.Node {
  const statements = parseStatements(sql);
  assert.equal(statements.length, 1);
  return statements[0]!.stmt;
}

const indexes = [0, 1, 2, 5, 31];

const statements = [
  "SELECT count(*), sum(payload) FROM events WHERE device_id > 10",
  "SELECT e.id, d.name, c.name FROM events e JOIN devices d USING (device_id)" +
    " JOIN countries c ON c.code = d.country WHERE e.id < 100",
  "SELECT a.id FROM events a, events b WHERE a.id = b.id",
  "SELECT * FROM \"Mixed Case\" WHERE x = 1",
  `SELECT count(*) FROM ${longName}`,
  "SELECT 'events_7700000000001' AS trap, id FROM events",
  "SELECT id FROM events WHERE id IN (SELECT device_id FROM devices WHERE name = 'x')",
  "UPDATE events SET payload = 1 FROM countries WHERE events.country = countries.code",
  "DELETE FROM events WHERE id = ANY (ARRAY[1, 2, 3])",
  "WITH devices AS (SELECT 1 AS device_id) SELECT * FROM events JOIN devices USING (device_id)",
];

test("every task's text is what rewriting and deparsing that task alone prints", () => {
  for (const sql of statements) {
    const stmt = parseOne(sql);
    const expected = indexes.map((index) =>
      shardQueryText(stmt, { resolveRelation: resolverFor(index) }));
    assert.deepEqual(shardQueryTexts(stmt, indexes, resolverFor), expected, sql);
  }
});

test("the texts name each task's own shards", () => {
  const texts = shardQueryTexts(parseOne("SELECT * FROM events JOIN countries USING (code)"),
    [0, 7, 9], resolverFor);
  assert.match(texts[1]!, /public\.events_102015 /);
  assert.match(texts[2]!, /public\.events_102017 /);
  for (const text of texts) assert.match(text, /public\.countries_102072 /);
});
