/**
 * Runs one statement on a side and compares two outcomes. Every value stays the text the server
 * sent (no type parsing), so the comparison is of exactly what a client would print.
 */
import pg from "pg";
import type { QueryArrayResult } from "pg";

export interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
}

export interface Field {
  readonly name: string;
  readonly typeOid: number;
  readonly typmod: number;
}

export type Outcome =
  | {
      readonly kind: "ok";
      readonly command: string;
      readonly rowCount: number | null;
      readonly fields: readonly Field[];
      readonly rows: readonly (readonly (string | null)[])[];
    }
  | { readonly kind: "error"; readonly code: string; readonly message: string }
  /** The connection failed or the statement timed out: the session is gone. */
  | { readonly kind: "broken"; readonly message: string };

/** Parsers that return the server's text unchanged, for every type OID. */
const rawText: pg.CustomTypesConfig = {
  getTypeParser: () => (value: string) => value,
} as pg.CustomTypesConfig;

export async function connect(endpoint: Endpoint, timeoutMs: number): Promise<pg.Client> {
  const client = new pg.Client({
    host: endpoint.host,
    port: endpoint.port,
    user: endpoint.user,
    database: endpoint.database,
    types: rawText,
    query_timeout: timeoutMs,
    connectionTimeoutMillis: timeoutMs,
  });
  // An 'error' event without a listener would crash the process when a server dies.
  client.on("error", () => {});
  await client.connect();
  return client;
}

/** Runs one statement with the simple query protocol (no parameters, no name). */
export async function execute(client: pg.Client, sql: string): Promise<Outcome> {
  try {
    const result = (await client.query({ text: sql, rowMode: "array" })) as
      QueryArrayResult | QueryArrayResult[];
    // Several results only happen when one chunk holds several statements; keep the last,
    // as psql shows it.
    const last = Array.isArray(result) ? result[result.length - 1] : result;
    if (!last) return { kind: "ok", command: "", rowCount: null, fields: [], rows: [] };
    return {
      kind: "ok",
      command: last.command ?? "",
      rowCount: last.rowCount,
      fields: last.fields.map((f) => ({
        name: f.name,
        typeOid: f.dataTypeID,
        typmod: f.dataTypeModifier,
      })),
      rows: last.rows.map((row) => row.map((v) => (v === null ? null : String(v)))),
    };
  } catch (err) {
    const code = sqlState(err);
    const message = err instanceof Error ? err.message : String(err);
    if (code === undefined) return { kind: "broken", message };
    return { kind: "error", code, message };
  }
}

function sqlState(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null || !("code" in err)) return undefined;
  const code = err.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export interface Verdict {
  /** Differences that fail the test: kind, SQLSTATE, command tag, columns, types, rows. */
  readonly hard: readonly string[];
  /** Differences reported but tolerated: error message text, type modifiers. */
  readonly soft: readonly string[];
}

export function compareOutcomes(reference: Outcome, target: Outcome, ordered: boolean): Verdict {
  const hard: string[] = [];
  const soft: string[] = [];
  if (reference.kind !== target.kind) {
    hard.push(`outcome: reference ${reference.kind}, target ${target.kind}`);
    return { hard, soft };
  }
  if (reference.kind === "broken" && target.kind === "broken") {
    hard.push("both sides lost the connection");
  } else if (reference.kind === "error" && target.kind === "error") {
    if (reference.code !== target.code) hard.push(`SQLSTATE ${reference.code} vs ${target.code}`);
    if (reference.message !== target.message) soft.push("error message differs");
  } else if (reference.kind === "ok" && target.kind === "ok") {
    compareSuccess(reference, target, ordered, hard, soft);
  }
  return { hard, soft };
}

type Success = Extract<Outcome, { kind: "ok" }>;

function compareSuccess(
  a: Success,
  b: Success,
  ordered: boolean,
  hard: string[],
  soft: string[],
): void {
  if (a.command !== b.command || a.rowCount !== b.rowCount) {
    hard.push(
      `command tag ${a.command} ${String(a.rowCount)} vs ${b.command} ${String(b.rowCount)}`,
    );
  }
  const names = (s: Success): string => s.fields.map((f) => f.name).join(", ");
  const oids = (s: Success): string => s.fields.map((f) => f.typeOid).join(", ");
  const typmods = (s: Success): string => s.fields.map((f) => f.typmod).join(", ");
  if (names(a) !== names(b)) hard.push(`column names (${names(a)}) vs (${names(b)})`);
  if (oids(a) !== oids(b)) hard.push(`column type OIDs (${oids(a)}) vs (${oids(b)})`);
  if (typmods(a) !== typmods(b)) soft.push(`column typmods (${typmods(a)}) vs (${typmods(b)})`);
  const rowsA = a.rows.map((r) => JSON.stringify(r));
  const rowsB = b.rows.map((r) => JSON.stringify(r));
  const sameSorted = sameList([...rowsA].sort(), [...rowsB].sort());
  if (!sameSorted) hard.push(describeRowDiff(rowsA, rowsB));
  else if (ordered && !sameList(rowsA, rowsB)) hard.push("same rows in a different order");
}

/** Names the rows only one side has (a multiset difference), a few of each. */
function describeRowDiff(reference: readonly string[], target: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const row of reference) counts.set(row, (counts.get(row) ?? 0) + 1);
  const onlyTarget: string[] = [];
  for (const row of target) {
    const n = counts.get(row) ?? 0;
    if (n > 0) counts.set(row, n - 1);
    else onlyTarget.push(row);
  }
  const onlyReference = [...counts].flatMap(([row, n]) => Array<string>(n).fill(row));
  const sample = (rows: readonly string[]): string =>
    rows.slice(0, 3).join(" ") + (rows.length > 3 ? " …" : "");
  return (
    `rows differ (${reference.length} vs ${target.length}): ` +
    `${onlyReference.length} only in reference ${sample(onlyReference)}; ` +
    `${onlyTarget.length} only in target ${sample(onlyTarget)}`
  );
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** A readable rendering of an outcome, rows capped at `maxRows`. */
export function formatOutcome(outcome: Outcome, maxRows = 12): string {
  if (outcome.kind === "broken") return `  CONNECTION LOST: ${outcome.message}`;
  if (outcome.kind === "error") return `  ERROR ${outcome.code}: ${outcome.message}`;
  const lines = [`  ${outcome.command} ${String(outcome.rowCount)}`];
  if (outcome.fields.length > 0) {
    const header = outcome.fields.map(
      (f) => `${f.name}:${f.typeOid}${f.typmod >= 0 ? `(${f.typmod})` : ""}`,
    );
    lines.push(`  | ${header.join(" | ")}`);
    for (const row of outcome.rows.slice(0, maxRows)) {
      lines.push(`  | ${row.map((v) => (v === null ? "NULL" : JSON.stringify(v))).join(" | ")}`);
    }
    if (outcome.rows.length > maxRows)
      lines.push(`  | … ${outcome.rows.length - maxRows} more rows`);
  }
  return lines.join("\n");
}
