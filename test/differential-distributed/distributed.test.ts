/**
 * The distributed differential suite: the same schema and data as plain tables in a real
 * PostgreSQL 15 and as reference and distributed tables in a Tessera cluster of a coordinator
 * and 2 workers; every statement of cases/*.sql and of the sweeps (sweep.ts) runs on both, and
 * the outcomes must match as in test/differential (same runner, same comparison).
 *
 * A statement Tessera refuses with 0A000 where PostgreSQL answers is a shape the distributed
 * planner does not run yet: it is counted and listed apart, not failed. Every other difference
 * fails the file. DIFF_SHOW=n prints more mismatches; DIFF_SHOW_REFUSED=1 lists the refusals.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import pg from "pg";
import { startCluster, startReferencePostgres, type ReferencePostgres, type TesseraCluster }
  from "../harness/index.js";
import type { Endpoint } from "../differential/compare.js";
import { formatMismatch, parseKnownDifferences, type Classified }
  from "../differential/report.js";
import { runFile, type CaseFile, type StatementResult } from "../differential/run-file.js";
import { splitCorpus } from "../differential/splitter.js";
import { readSweep, writeSweep } from "./sweep.js";

const CASES = fileURLToPath(new URL("../../differential-distributed/cases/", import.meta.url));
const showMismatches = Number(process.env["DIFF_SHOW"] ?? 10);
const showRefused = process.env["DIFF_SHOW_REFUSED"] === "1";

const KNOWN = fileURLToPath(new URL("../../differential-distributed/known-differences.txt",
  import.meta.url));
const known = parseKnownDifferences(readFileSync(KNOWN, "utf8"));
const file = (name: string): CaseFile =>
  ({ name, statements: splitCorpus(readFileSync(`${CASES}${name}`, "utf8")) });
const files: CaseFile[] = [file("00-schema.sql"), file("01-data.sql"), file("02-queries.sql"),
  readSweep(), file("06-recursive-and-gather.sql"), file("07-local-joins.sql"),
  file("08-insert-select.sql"), file("09-views.sql"), file("03-writes.sql"), writeSweep(),
  file("10-view-writes.sql"), file("30-shapes-more.sql"), file("31-writing-ctes.sql"),
  file("40-citus-router-planner.sql"),
  file("41-citus-simple-queries.sql"), file("42-citus-modifications.sql"),
  file("43-citus-insert-select.sql")];
/** FILE=a.sql,b.sql runs only those files (each must stand alone, as the 40-… files do). */
const only = process.env["FILE"]?.split(",").map((name) => name.trim());
const selected = only === undefined ? files : files.filter((f) => only.includes(f.name));

let reference: ReferencePostgres | undefined;
let cluster: TesseraCluster | undefined;
const totals = { match: 0, known: 0, refused: 0, mismatch: 0 };
const refusedShapes: string[] = [];

before(async () => {
  [reference, cluster] = await Promise.all([
    startReferencePostgres({ settings: { max_parallel_workers_per_gather: 0, jit: "off" } }),
    startCluster({ workers: 2 }),
  ]);
  await runOnReference(reference, readFileSync(`${CASES}reference-stubs.sql`, "utf8"));
});

after(async () => {
  await Promise.allSettled([reference?.stop(), cluster?.stop()]);
  print(`distributed differential: ${totals.match} matched, ${totals.known} known (as Citus),` +
    ` ${totals.refused} refused (0A000),` +
    ` ${totals.mismatch} mismatched`);
  if (showRefused) print(["refused shapes:", ...refusedShapes].join("\n  "));
});

for (const caseFile of selected) {
  test(caseFile.name, async () => {
    assert.ok(reference !== undefined && cluster !== undefined, "servers started");
    const ref: Endpoint = { host: reference.host, port: reference.port, user: reference.user,
      database: reference.database };
    const target: Endpoint = { host: "127.0.0.1", port: cluster.port, user: "postgres",
      database: "postgres" };
    const results = (await runFile(caseFile, ref, target, 60_000)).map(judge);
    if (caseFile.name === "00-schema.sql") await distribute(cluster);
    const count = (c: string): number => results.filter((r) => r.class === c).length;
    totals.match += count("match");
    totals.known += count("known");
    totals.refused += count("refused");
    totals.mismatch += count("mismatch") + count("corpus-error");
    for (const r of results.filter((x) => x.class === "refused")) {
      refusedShapes.push(`${caseFile.name}:${r.statement.index} ${oneLine(r.statement.sql)}` +
        ` -- ${r.target.kind === "error" ? r.target.message : ""}`);
    }
    print(`${caseFile.name.padEnd(18)} ${count("match")}/${results.length} matched, ` +
      `${count("refused")} refused, ${count("mismatch") + count("corpus-error")} mismatched`);
    const failing = results.filter((r) => r.class === "mismatch" || r.class === "corpus-error");
    for (const r of failing.slice(0, showMismatches)) {
      const classified: Classified = { ...r, class: r.class === "corpus-error" ? r.class
        : "mismatch" };
      print(formatMismatch(classified));
    }
    if (failing.length > 0) {
      assert.fail(`${failing.length} difference(s): ` +
        failing.map((r) => `${caseFile.name}:${r.statement.index}`).join(" "));
    }
  });
}

interface Judged extends StatementResult {
  readonly class: "match" | "known" | "refused" | "mismatch" | "corpus-error";
}

/** Classifies one statement: a refusal is Tessera's 0A000 where PostgreSQL succeeded. */
function judge(result: StatementResult): Judged {
  const { statement, reference: ref, target, verdict } = result;
  if (statement.section === "setup" && ref.kind !== "ok") {
    return { ...result, class: "corpus-error" };
  }
  if (verdict.hard.length === 0) return { ...result, class: "match" };
  const reason = known.reason(result.file, statement.index);
  if (reason !== undefined) {
    return { ...result, class: citusErrorMatches(reason, target) ? "known" : "mismatch" };
  }
  if (ref.kind === "ok" && target.kind === "error" && target.code === "0A000") {
    return { ...result, class: "refused" };
  }
  return { ...result, class: "mismatch" };
}

/**
 * A known difference that quotes Citus's error (`XX000 "message"`) holds only when Tessera
 * raises exactly that SQLSTATE and message.
 */
function citusErrorMatches(reason: string, target: StatementResult["target"]): boolean {
  const quoted = /\b([0-9A-Z]{5}) "([^"]+)"/.exec(reason);
  if (quoted === null) return true;
  return target.kind === "error" && target.code === quoted[1] && target.message === quoted[2];
}

/**
 * Gives the reference no-op stand-ins for create_distributed_table and create_reference_table,
 * so a case file written like a Citus regression test runs unchanged on both sides.
 */
async function runOnReference(ref: ReferencePostgres, sql: string): Promise<void> {
  const client = new pg.Client({ host: ref.host, port: ref.port, user: ref.user,
    database: ref.database });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Turns the plain tables into Citus tables on Tessera only. */
async function distribute(target: TesseraCluster): Promise<void> {
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    for (const { sql } of splitCorpus(readFileSync(`${CASES}distribute.sql`, "utf8"))) {
      await client.query(sql);
    }
  } finally {
    await client.end();
  }
}

function oneLine(sql: string): string {
  return sql.replace(/\s+/g, " ").slice(0, 160);
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}
