/**
 * Parameter sweeps over the distributed schema: each template runs for a list of values, so
 * router queries hit many shards and nodes, and multi-shard queries see many filters. The
 * cases are fixed (no seed): the same statements every run, numbered like a case file.
 */
import type { CaseFile } from "../differential/run-file.js";
import type { Statement } from "../differential/splitter.js";

type Template = (k: number) => string;

const devices = [1, 2, 3, 7, 11, 42, 64, 99, 128, 150, 177, 199, 200];
const quantities = [0, 1, 3, 8, 12, 16];
const tags = ["a", "b", "c", "d"];

const readTemplates: readonly [readonly number[], Template][] = [
  [devices, (k) => `SELECT * FROM dx_events WHERE device_id = ${k} ORDER BY event_id`],
  [devices, (k) => `SELECT count(*), sum(qty), avg(value), min(at), max(tag) FROM dx_events ` +
    `WHERE device_id = ${k}`],
  [devices, (k) => `SELECT tag, count(*), sum(value) FROM dx_events WHERE device_id = ${k} ` +
    `GROUP BY tag ORDER BY tag`],
  [devices, (k) => `SELECT e.event_id, d.name, d.active FROM dx_events e JOIN dx_devices d ` +
    `ON d.device_id = e.device_id WHERE e.device_id = ${k} ORDER BY 1`],
  [devices, (k) => `SELECT e.event_id, t.name FROM dx_events e JOIN dx_devices d USING ` +
    `(device_id) JOIN dx_types t ON t.type_id = d.type_id WHERE d.device_id = ${k} ` +
    `ORDER BY 1 LIMIT 5`],
  [devices, (k) => `SELECT * FROM dx_devices WHERE device_id IN (${k}, ${k + 1}, ${k * 3}) ` +
    `ORDER BY 1`],
  [devices, (k) => `SELECT payload->>'kind', count(*) FROM dx_events WHERE device_id = ${k} ` +
    `GROUP BY 1 ORDER BY 1`],
  [devices, (k) => `SELECT event_id FROM dx_events WHERE device_id = ${k} AND qty > 5 ` +
    `ORDER BY event_id DESC LIMIT 3`],
  [devices, (k) => `SELECT count(*) FROM dx_events WHERE device_id < ${k}`],
  [devices, (k) => `SELECT device_id, count(*) FROM dx_events WHERE device_id > ${k} ` +
    `GROUP BY device_id ORDER BY count(*) DESC, device_id LIMIT 3`],
  [quantities, (q) => `SELECT count(*) FROM dx_events WHERE qty > ${q}`],
  [quantities, (q) => `SELECT tag, count(*), sum(qty), min(value), max(value), avg(qty) ` +
    `FROM dx_events WHERE qty < ${q} GROUP BY tag ORDER BY tag`],
  [quantities, (q) => `SELECT device_id, count(*) FROM dx_events WHERE qty = ${q} ` +
    `GROUP BY device_id ORDER BY count(*) DESC, device_id LIMIT 5`],
  [quantities, (q) => `SELECT event_id, device_id FROM dx_events WHERE qty = ${q} ` +
    `ORDER BY event_id DESC, device_id LIMIT 5 OFFSET ${q}`],
  [quantities, (q) => `SELECT t.name, count(*) FROM dx_events e JOIN dx_devices d ON ` +
    `e.device_id = d.device_id JOIN dx_types t ON t.type_id = d.type_id WHERE e.qty > ${q} ` +
    `GROUP BY t.name ORDER BY 1`],
  [quantities, (q) => `SELECT DISTINCT tag FROM dx_events WHERE qty = ${q} ORDER BY 1`],
  [quantities, (q) => `SELECT count(DISTINCT device_id) FROM dx_events WHERE qty > ${q}`],
  [quantities, (q) => `SELECT qty, count(*) FROM dx_events WHERE qty >= ${q} GROUP BY qty ` +
    `HAVING count(*) > 10 ORDER BY qty`],
  [quantities, (q) => `SELECT device_id, sum(value) FROM dx_events WHERE qty = ${q} ` +
    `GROUP BY device_id HAVING sum(value) > 100 ORDER BY device_id LIMIT 10`],
  [[1, 2, 3, 4, 5], (t) => `SELECT bool_and(active), bool_or(active), count(*) FILTER ` +
    `(WHERE active) FROM dx_devices WHERE type_id = ${t}`],
  [[1, 2, 3, 4, 5], (t) => `SELECT d.device_id, count(e.event_id) FROM dx_devices d JOIN ` +
    `dx_events e ON e.device_id = d.device_id WHERE d.type_id = ${t} GROUP BY d.device_id ` +
    `ORDER BY 2 DESC, 1 LIMIT 3`],
  [[0, 1, 2, 3], (i) => `SELECT tag, count(*) FROM dx_events WHERE tag = '${tags[i]!}' ` +
    `AND qty < 10 GROUP BY tag`],
  [[1, 5, 17, 42, 99, 150, 233, 300], (u) => `SELECT email, bday, score FROM dx_users ` +
    `WHERE email = 'user${u}@test.com'`],
  [[1960, 1970, 1980, 1990, 2000], (y) => `SELECT count(*), min(email), max(score) ` +
    `FROM dx_users WHERE bday < date '${y}-01-01'`],
  [[10, 50, 90], (s) => `SELECT score, count(*) FROM dx_users WHERE score > ${s} ` +
    `GROUP BY score ORDER BY score`],
];

/** The read-only sweep, run before the writes. */
export function readSweep(): CaseFile {
  return caseFile("04-sweep-reads", readTemplates.flatMap(([values, template]) =>
    values.map((v) => template(v))));
}

/** Writes, each followed by a read of what it changed. */
export function writeSweep(): CaseFile {
  const sql: string[] = [];
  for (const k of devices) {
    sql.push(`INSERT INTO dx_events (device_id, event_id, value, qty, tag) VALUES ` +
      `(${k}, ${100_000 + k}, ${k}.5, ${k % 17}, 'w')`);
    sql.push(`UPDATE dx_events SET qty = qty + 1 WHERE device_id = ${k} AND event_id % 3 = 0`);
    sql.push(`SELECT event_id, qty FROM dx_events WHERE device_id = ${k} ORDER BY event_id`);
    sql.push(`DELETE FROM dx_events WHERE device_id = ${k} AND qty > 14`);
    sql.push(`SELECT count(*), sum(qty) FROM dx_events WHERE device_id = ${k}`);
  }
  for (const q of quantities) {
    sql.push(`UPDATE dx_events SET tag = 'u${q}' WHERE qty = ${q} AND tag = 'a'`);
    sql.push(`SELECT tag, count(*) FROM dx_events GROUP BY tag ORDER BY tag`);
    sql.push(`DELETE FROM dx_events WHERE qty = ${q} AND value > 99`);
    sql.push(`SELECT count(*), sum(value) FROM dx_events`);
  }
  for (const u of [3, 33, 133]) {
    sql.push(`UPDATE dx_users SET score = coalesce(score, 0) + 1 ` +
      `WHERE email = 'user${u}@test.com'`);
    sql.push(`DELETE FROM dx_users WHERE email = 'user${u + 1}@test.com'`);
    sql.push(`INSERT INTO dx_users VALUES ('new${u}@test.com', date '2001-02-03', ${u})`);
    sql.push(`SELECT count(*), sum(score) FROM dx_users`);
  }
  return caseFile("05-sweep-writes", sql);
}

function caseFile(name: string, sql: readonly string[]): CaseFile {
  const statements = sql.map((text, i): Statement => ({
    index: i + 1, line: i + 1, sql: `${text};`, section: "test", order: "auto",
  }));
  return { name, statements };
}
