/**
 * COPY in the binary format (psql's `\copy … with (format binary)`), against PostgreSQL 15:
 * a table of many types written by PostgreSQL loads into a Tessera worker and into a
 * distributed table; COPY TO binary from Tessera writes the very bytes PostgreSQL writes for
 * the same rows; a malformed stream fails with PostgreSQL's error and context.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { psql, startCluster, startReferencePostgres, type ReferencePostgres,
  type TesseraCluster } from "../harness/index.js";

const table = `create table kinds (id int primary key, small smallint, big bigint, real4 real,
  dbl float8, num numeric(12,3), flag boolean, label text, code varchar(8), blob bytea,
  day date, at timestamptz, stamp timestamp, span interval, doc jsonb, tags text[],
  ids int[], key uuid)`;

const rows = `insert into kinds values
  (1, -3, 9007199254740993, 1.5, 2.25, 12345.678, true, 'héllo', 'ab', '\\x00ff10',
   '2024-02-29', '2024-01-02 03:04:05.123456+00', '1999-12-31 23:59:59', '1 day 02:03:04',
   '{"a": [1, 2.5, null], "b": "x"}', '{a,"b c",NULL}', '{1,2,3}',
   'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
  (2, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
   null, null, null),
  (3, 32767, -1, -0.125, 1e300, -0.001, false, '', 'z', '\\x', '0001-01-01',
   'infinity', '-infinity', '-1 mons', '[]', '{}', '{}', '00000000-0000-0000-0000-000000000000')`;

const order = "select * from kinds order by id";

describe("COPY binary", () => {
  let pg: ReferencePostgres;
  let worker: TesseraCluster;
  let cluster: TesseraCluster;
  let dir: string;

  before(async () => {
    [pg, worker, cluster] = await Promise.all([startReferencePostgres(),
      startCluster({ role: "worker" }), startCluster({ workers: 2 })]);
    dir = await mkdtemp(join(tmpdir(), "copy-binary-"));
    await psql(pg.port, `${table}; ${rows}`);
    await psql(worker.port, table);
    await psql(cluster.port, `${table}; select create_distributed_table('kinds', 'id')`);
  });

  after(async () => {
    await Promise.all([pg?.stop(), worker?.stop(), cluster?.stop()]);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const file = (name: string): string => join(dir, name);

  test("PostgreSQL's binary COPY loads into a worker and a distributed table", async () => {
    await psql(pg.port, `\\copy kinds to '${file("pg.bin")}' with (format binary)`);
    const expected = await psql(pg.port, order);
    for (const target of [worker, cluster]) {
      const loaded = await psql(target.port,
        `\\copy kinds from '${file("pg.bin")}' with (format binary)`);
      assert.equal(loaded.trim(), "COPY 3");
      assert.equal(await psql(target.port, order), expected);
    }
  });

  test("COPY TO binary writes the bytes PostgreSQL writes", async () => {
    const query = "(select * from kinds order by id)";
    await psql(pg.port, `\\copy ${query} to '${file("pg-out.bin")}' with (format binary)`);
    await psql(worker.port, `\\copy ${query} to '${file("worker-out.bin")}' with (format binary)`);
    await psql(cluster.port,
      `\\copy ${query} to '${file("cluster-out.bin")}' with (format binary)`);
    const reference = await readFile(file("pg-out.bin"));
    assert.ok(reference.equals(await readFile(file("worker-out.bin"))), "worker bytes differ");
    assert.ok(reference.equals(await readFile(file("cluster-out.bin"))), "cluster bytes differ");
  });

  test("a malformed stream fails as in PostgreSQL", async () => {
    const good = await readFile(file("pg.bin"));
    const header = 19;
    // The first tuple's field count, then its first field's length.
    const wrongCount = Buffer.from(good);
    wrongCount.writeInt16BE(17, header);
    const badSize = Buffer.from(good);
    badSize.writeInt32BE(-7, header + 2);
    const shortId = Buffer.from(good);
    shortId.writeInt32BE(3, header + 2);
    const cases: [string, Buffer][] = [
      ["signature", Buffer.concat([Buffer.from("PGCOPY\n\xfe\r\n\0", "latin1"),
        good.subarray(11)])],
      ["field count", wrongCount],
      ["field size", badSize],
      ["truncated", good.subarray(0, good.length - 20)],
      ["after trailer", Buffer.concat([good, Buffer.from([0, 1])])],
      ["int4 of 3 bytes", shortId],
    ];
    for (const [name, bytes] of cases) {
      await writeFile(file(`${name}.bin`), bytes);
      const errors = await Promise.all([pg, worker].map((server) =>
        psql(server.port, `\\copy t from '${file(`${name}.bin`)}' with (format binary)`,
          { extraArgs: ["-c", "create temp table t (like kinds)"] })
          .then(() => "no error", (error: { stderr?: string }) => error.stderr ?? String(error))));
      assert.equal(errors[1], errors[0], name);
    }
  });
});
