/**
 * The IoT data set of the Citus tutorial, generated deterministically: every value is a pure
 * function of the row number, so both engines get byte-identical input and the point lookups
 * can pick existing keys without keeping the data in memory.
 */
import type { BenchConfig } from "./config.js";

export const EVENTS_DDL = "create table events (event_id bigint, device_id int, payload jsonb, "
  + "created_at timestamptz, primary key (device_id, event_id))";

export const SCHEMA: readonly string[] = [
  "create table device_types (device_type_id int primary key, name text)",
  "create table devices (device_id int primary key, device_type_id int, name text, "
    + "created_at timestamptz)",
  EVENTS_DDL,
];

/** The timed queries, each with an ORDER BY so both engines' results can be compared. */
export const QUERIES = {
  aggregate: `SELECT device_id,
    count(CASE WHEN (payload ->> 'humidity')::decimal < 60 THEN 1 END) AS low_humidity,
    count(CASE WHEN (payload ->> 'humidity')::decimal > 70 THEN 1 END) AS high_humidity,
    count(CASE WHEN (payload ->> 'temperature')::decimal < 55 THEN 1 END) AS low_temperature,
    count(CASE WHEN (payload ->> 'temperature')::decimal > 60 THEN 1 END) AS high_temperature,
    count(CASE WHEN (payload ->> 'humidity')::decimal BETWEEN 60 AND 70 THEN 1 END)
      AS regular_humidity,
    count(*) FILTER (WHERE (payload ->> 'humidity')::decimal > 90) AS humidity_alerts
  FROM events GROUP BY device_id ORDER BY device_id`,
  count: "SELECT count(*) FROM events",
  join: `SELECT t.name, count(*) AS events, count(DISTINCT d.device_id) AS devices
  FROM events e
  JOIN devices d ON d.device_id = e.device_id
  JOIN device_types t ON t.device_type_id = d.device_type_id
  GROUP BY t.name ORDER BY t.name`,
  point: "select * from events where device_id = $1 and event_id = $2",
} as const;

const BASE_MS = Date.UTC(2024, 0, 1);

/** A 32-bit integer mixer (murmur3's finalizer) of the row number and a salt. */
function mix(row: number, salt: number): number {
  let h = (row ^ Math.imul(salt, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A uniform value in [0, 1) for (row, salt). */
function unit(row: number, salt: number): number {
  return mix(row, salt) / 0x1_0000_0000;
}

/**
 * The device of event number `row` (1-based): a multiplicative scatter that pgbench's `\set`
 * can compute too (7919 is prime, so every device gets the same share of the events).
 */
export function deviceOf(row: number, devices: number): number {
  return 1 + ((row * 7919) % devices);
}

/** The point lookup as a pgbench script, drawing keys from the same space as `lookupKeys`. */
export function pgbenchLookupScript(config: BenchConfig): string {
  return [
    `\\set row random(1, ${config.events})`,
    `\\set dev 1 + (:row * 7919) % ${config.devices}`,
    "select * from events where device_id = :dev and event_id = :row;",
    "",
  ].join("\n");
}

function timestampOf(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "+00");
}

interface EventRow {
  readonly eventId: number;
  readonly deviceId: number;
  readonly payload: string;
  readonly createdAt: string;
}

function eventRow(row: number, devices: number): EventRow {
  const humidity = (40 + 60 * unit(row, 2)).toFixed(1);
  const temperature = (45 + 25 * unit(row, 3)).toFixed(1);
  const status = Number(humidity) > 90 ? "alert" : "ok";
  return {
    eventId: row,
    deviceId: deviceOf(row, devices),
    payload: `{"humidity": ${humidity}, "temperature": ${temperature}, "status": "${status}"}`,
    createdAt: timestampOf(BASE_MS + row * 1000),
  };
}

/** COPY text-format chunks of `events`, about `rowsPerChunk` rows each. */
export function* eventCopyChunks(config: BenchConfig, rowsPerChunk = 5000): Generator<Buffer> {
  for (let start = 1; start <= config.events; start += rowsPerChunk) {
    const end = Math.min(config.events, start + rowsPerChunk - 1);
    let text = "";
    for (let row = start; row <= end; row++) {
      const e = eventRow(row, config.devices);
      text += `${e.eventId}\t${e.deviceId}\t${e.payload}\t${e.createdAt}\n`;
    }
    yield Buffer.from(text);
  }
}

/** Multi-row INSERT statements for `events`: the fallback when COPY does not work. */
export function* eventInsertBatches(config: BenchConfig, rowsPerBatch = 1000): Generator<string> {
  for (let start = 1; start <= config.events; start += rowsPerBatch) {
    const end = Math.min(config.events, start + rowsPerBatch - 1);
    const values: string[] = [];
    for (let row = start; row <= end; row++) {
      const e = eventRow(row, config.devices);
      values.push(`(${e.eventId},${e.deviceId},'${e.payload}','${e.createdAt}')`);
    }
    yield "insert into events (event_id, device_id, payload, created_at) values "
      + values.join(",");
  }
}

/** INSERT statements for `device_types` and `devices` (small, loaded untimed). */
export function dimensionInserts(config: BenchConfig): string[] {
  const types: string[] = [];
  for (let t = 1; t <= config.deviceTypes; t++) types.push(`(${t},'type-${t}')`);
  const devices: string[] = [];
  const created = timestampOf(BASE_MS - 86_400_000);
  for (let d = 1; d <= config.devices; d++) {
    devices.push(`(${d},${1 + (d % config.deviceTypes)},'device-${d}','${created}')`);
  }
  return [
    `insert into device_types values ${types.join(",")}`,
    `insert into devices values ${devices.join(",")}`,
  ];
}

/** An endless deterministic stream of existing (device_id, event_id) keys. */
export function lookupKeys(config: BenchConfig, seed: number): () => [number, number] {
  let n = 0;
  return () => {
    n++;
    const row = 1 + (mix(n, 1000 + seed) % config.events);
    return [deviceOf(row, config.devices), row];
  };
}
