/**
 * psql's backslash commands against a Tessera worker print what they print against
 * PostgreSQL 15 for the same schema. Both servers get the same DDL; each meta-command runs
 * through the real `psql -X -c`, and the texts are compared exactly.
 *
 * Masked, because they differ legitimately: the port in `\conninfo`. Nothing else is: the
 * reference runs with --locale=C and UTF8, as Tessera reports, so `\l` matches as is.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { psql, startCluster, startReferencePostgres, type ReferencePostgres, type TesseraCluster }
  from "../harness/index.js";

/** Every common column type, each constraint kind, indexes, a view and sequences. */
const schema = `
CREATE TABLE customers (
  id serial PRIMARY KEY,
  email varchar(100) NOT NULL UNIQUE,
  name text,
  created_at timestamptz DEFAULT now(),
  active boolean NOT NULL DEFAULT true
);
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  customer_id integer NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  amount numeric(10,2) CHECK (amount >= 0),
  qty smallint DEFAULT 1,
  ratio real,
  score double precision,
  code char(3),
  note varchar,
  status text DEFAULT 'new',
  data jsonb,
  doc json,
  uid uuid,
  born date,
  at_time time,
  ts timestamp,
  dur interval,
  bin bytea,
  tags text[],
  ip inet,
  big numeric
);
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE UNIQUE INDEX orders_code_born_idx ON orders (code, born);
CREATE VIEW big_orders AS SELECT id, amount FROM orders WHERE amount > 100;
CREATE SEQUENCE order_seq START 100 INCREMENT 5;
CREATE SCHEMA app;
CREATE TABLE app.items (sku text PRIMARY KEY, price numeric(8,2) NOT NULL);
`;

/** The meta-commands compared, most used first. */
const commands = [
  "\\d", "\\d orders", "\\d customers", "\\d app.items", "\\d big_orders", "\\d order_seq",
  "\\d customers_id_seq", "\\d orders_code_born_idx", "\\d+ orders", "\\dt", "\\di", "\\ds",
  "\\dv", "\\dn", "\\df", "\\l", "\\du",
];

/** Replaces what legitimately differs between the two servers. */
function mask(output: string): string {
  return output.replace(/at port "\d+"/g, "at port \"PORT\"");
}

describe("psql meta-commands match PostgreSQL 15", () => {
  let reference: ReferencePostgres;
  let tessera: TesseraCluster;
  before(async () => {
    [reference, tessera] = await Promise.all([startReferencePostgres(),
      startCluster({ role: "worker" })]);
    await psql(reference.port, schema, { extraArgs: ["-q"] });
    await psql(tessera.port, schema, { extraArgs: ["-q"] });
  });
  after(async () => {
    await Promise.all([reference?.stop(), tessera?.stop()]);
  });

  for (const command of [...commands, "\\conninfo"]) {
    test(command, async () => {
      const expected = mask(await psql(reference.port, command));
      const actual = mask(await psql(tessera.port, command));
      assert.equal(actual, expected);
    });
  }
});
