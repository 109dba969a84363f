/**
 * psql's backslash commands against a Tessera worker print what they print against
 * PostgreSQL 15 for the same schema, views' definitions (`\d+ view`, pg_get_viewdef) included.
 * Both servers get the same DDL; each meta-command runs through the real `psql -X -c`, and the
 * texts are compared exactly.
 *
 * Masked, because they differ legitimately: the port in `\conninfo`. Nothing else is: the
 * reference runs with --locale=C and UTF8, as Tessera reports, so `\l` matches as is.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { psql, workerBesidePostgres, type ReferencePostgres, type TesseraCluster }
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
CREATE TABLE app_tags (id bigint PRIMARY KEY, tag text);
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
CREATE VIEW customer_orders AS SELECT o.id, c.name AS customer, o.amount * 2 AS doubled
  FROM orders o JOIN customers c ON c.id = o.customer_id LEFT JOIN app_tags t ON t.id = o.id
  WHERE c.active AND o.status <> 'void';
CREATE VIEW order_totals AS SELECT customer_id, count(*) AS n, sum(amount) AS total, avg(qty)
  FROM orders GROUP BY customer_id HAVING count(*) > 1 ORDER BY customer_id DESC LIMIT 10;
CREATE VIEW order_exprs AS SELECT id::text AS sid, qty + 1.5 AS q,
  CASE WHEN amount > 10 THEN 'big' ELSE 'small' END AS size, coalesce(status, 'none') AS st,
  upper(status), born + 1 AS next, data->>'k' AS k, status IN ('a', 'b') AS ab,
  status NOT IN ('c', 'd') AS cd, amount BETWEEN 1 AND 5 AS bt, ts IS NULL AS no_ts,
  CAST(qty AS bigint) AS big_qty FROM orders ORDER BY amount * 2, id;
CREATE VIEW order_subqueries AS SELECT id,
  (SELECT max(amount) FROM orders o2 WHERE o2.customer_id = orders.customer_id) AS top
  FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE active)
  AND EXISTS (SELECT 1 FROM customers c WHERE c.id = orders.customer_id)
  AND amount > ALL (SELECT amount FROM orders o3 WHERE o3.id < orders.id);
CREATE VIEW recent_ids AS SELECT s.cid, s.n FROM (SELECT customer_id AS cid, count(*) AS n
  FROM orders GROUP BY customer_id) s WHERE s.n > 2
  UNION SELECT id, 0 FROM customers ORDER BY 1 LIMIT 5;
CREATE VIEW order_windows (order_id, running, yr) AS WITH recent AS (SELECT * FROM orders
  WHERE born > CURRENT_DATE - 30) SELECT r.id, sum(r.amount) OVER (PARTITION BY customer_id
  ORDER BY r.id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), EXTRACT(year FROM r.born)
  FROM recent r JOIN app_tags USING (id) WHERE trim(r.status) <> '';
CREATE VIEW order_series AS SELECT s.n, o.id FROM generate_series(1, 3) AS s(n)
  JOIN orders o ON o.qty = s.n;
CREATE SEQUENCE order_seq START 100 INCREMENT 5;
CREATE SCHEMA app;
CREATE TABLE app.items (sku text PRIMARY KEY, price numeric(8,2) NOT NULL);
`;

/** The meta-commands compared, most used first. */
const commands = [
  "\\d", "\\d orders", "\\d customers", "\\d app.items", "\\d big_orders", "\\d order_seq",
  "\\d customers_id_seq", "\\d orders_code_born_idx", "\\d+ orders", "\\dt", "\\di", "\\ds",
  "\\dv", "\\dn", "\\df", "\\l", "\\du", "\\d+ big_orders", "\\d+ customer_orders",
  "\\d+ order_totals", "\\d+ order_exprs", "\\d+ order_subqueries", "\\d+ recent_ids",
  "\\d+ order_windows", "\\d+ order_series", "\\sv big_orders", "\\sv+ customer_orders",
  "SELECT viewname, definition FROM pg_views WHERE schemaname = 'public' ORDER BY 1",
];

/** Replaces what legitimately differs between the two servers. */
function mask(output: string): string {
  return output.replace(/at port "\d+"/g, "at port \"PORT\"");
}

describe("psql meta-commands match PostgreSQL 15", () => {
  let reference: ReferencePostgres;
  let tessera: TesseraCluster;
  before(async () => {
    [reference, tessera] = await workerBesidePostgres(schema);
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
