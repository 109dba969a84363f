/**
 * Differential tests: every statement of cases/*.sql (and a seeded generated file) runs on a
 * real PostgreSQL 15 and on the target, and their outcomes must agree unless the difference is
 * listed in known-differences.txt. See README.md for the format and the environment knobs.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { startReferencePostgres, type ReferencePostgres } from "../harness/postgres.js";
import type { Endpoint } from "./compare.js";
import { generateCases } from "./generate.js";
import {
  classify,
  fileSummary,
  formatMismatch,
  formatSoft,
  parseKnownDifferences,
  type Classified,
} from "./report.js";
import { runFile, type CaseFile } from "./run-file.js";
import { splitCorpus } from "./splitter.js";

const SOURCE_DIR = new URL("../../differential/", import.meta.url);
const CASES_DIR = fileURLToPath(new URL("cases/", SOURCE_DIR));
const KNOWN_FILE = fileURLToPath(new URL("known-differences.txt", SOURCE_DIR));

const env = process.env;
const onlyFiles = (env["FILE"] ?? "").split(",").filter((f) => f !== "");
const seed = env["SEED"] !== undefined ? Number(env["SEED"]) : Math.floor(Math.random() * 2 ** 31);
const showMismatches = Number(env["DIFF_SHOW"] ?? 10);
const showSoft = Number(env["DIFF_SHOW_SOFT"] ?? 3);
const showKnown = env["DIFF_SHOW_KNOWN"] === "1";
const strictMessages = env["DIFF_STRICT_MESSAGES"] === "1";
const timeoutMs = Number(env["DIFF_TIMEOUT_MS"] ?? 30000);
const generatedCount = Number(env["DIFF_GENERATED"] ?? 150);
/** `postgres` / `postgres-alt` (a second real PostgreSQL), `host:port` (running), else Tessera. */
const targetKind = env["TESSERA_DIFF_TARGET"] ?? "tessera";

assert.ok(Number.isInteger(seed), `SEED must be an integer, got ${env["SEED"] ?? ""}`);

const REFERENCE_SETTINGS = { max_parallel_workers_per_gather: 0, jit: "off" } as const;
/**
 * `postgres-alt`: PostgreSQL made to prefer merge joins, sorted aggregation, sequential scans
 * and free parallel plans, so rows reach sorts and aggregates in another order. A statement
 * that matches here does not depend on an unspecified order (ORDER BY ties, aggregate input
 * order, float sums).
 */
const ALT_SETTINGS = {
  jit: "off",
  enable_hashagg: "off",
  enable_hashjoin: "off",
  enable_nestloop: "off",
  enable_indexscan: "off",
  enable_bitmapscan: "off",
  max_parallel_workers_per_gather: 4,
  parallel_setup_cost: 0,
  parallel_tuple_cost: 0,
  min_parallel_table_scan_size: 0,
  min_parallel_index_scan_size: 0,
  parallel_leader_participation: "off",
} as const;

interface Side {
  readonly endpoint: Endpoint;
  stop(): Promise<void>;
}

function pgSide(pg: ReferencePostgres): Side {
  return {
    endpoint: { host: pg.host, port: pg.port, user: pg.user, database: pg.database },
    stop: () => pg.stop(),
  };
}

/** Starts Tessera with `startTarget()` from test/harness, looked up at run time. */
async function startTessera(): Promise<Side> {
  const harness: unknown = await import("../harness/index.js");
  const start =
    typeof harness === "object" && harness !== null && "startTarget" in harness
      ? harness.startTarget
      : undefined;
  if (typeof start !== "function") {
    throw new Error(
      "test/harness/index.ts exports no startTarget(); run with TESSERA_DIFF_TARGET=postgres",
    );
  }
  const started: unknown = await start();
  if (
    typeof started !== "object" ||
    started === null ||
    !("port" in started) ||
    typeof started.port !== "number"
  ) {
    throw new Error(
      "startTarget() must resolve to { port: number, host?, user?, database?, stop? }",
    );
  }
  const field = (name: string, fallback: string): string => {
    const value: unknown = (started as Record<string, unknown>)[name];
    return typeof value === "string" ? value : fallback;
  };
  const stop: unknown = (started as Record<string, unknown>)["stop"];
  return {
    endpoint: {
      host: field("host", "127.0.0.1"),
      port: started.port,
      user: field("user", "postgres"),
      database: field("database", "postgres"),
    },
    stop: async () => {
      if (typeof stop === "function") await Promise.resolve(stop.call(started));
    },
  };
}

async function startTargetSide(): Promise<Side> {
  if (targetKind === "postgres")
    return pgSide(await startReferencePostgres({ settings: REFERENCE_SETTINGS }));
  if (targetKind === "postgres-alt")
    return pgSide(await startReferencePostgres({ settings: ALT_SETTINGS }));
  const hostPort = /^([^:]+):(\d+)$/.exec(targetKind);
  if (hostPort) {
    const [, host = "", port = ""] = hostPort;
    return {
      endpoint: { host, port: Number(port), user: "postgres", database: "postgres" },
      stop: async () => {},
    };
  }
  return startTessera();
}

function loadCaseFiles(): CaseFile[] {
  const names = readdirSync(CASES_DIR)
    .filter((f) => f.endsWith(".sql"))
    .sort();
  const files: CaseFile[] = names.map((name) => ({
    name,
    statements: splitCorpus(readFileSync(`${CASES_DIR}${name}`, "utf8")),
  }));
  if (generatedCount > 0) files.push(generateCases(seed, generatedCount));
  const selected = onlyFiles.length === 0 ? files : files.filter((f) => onlyFiles.includes(f.name));
  if (onlyFiles.length > 0 && selected.length !== onlyFiles.length) {
    throw new Error(
      `FILE=${onlyFiles.join(",")}: not found among ${files.map((f) => f.name).join(", ")}`,
    );
  }
  return selected;
}

const caseFiles = loadCaseFiles();
const known = parseKnownDifferences(readFileSync(KNOWN_FILE, "utf8"));
const summaries: string[] = [];
let reference: Side | undefined;
let target: Side | undefined;

before(async () => {
  const [ref, tgt] = await Promise.allSettled([
    startReferencePostgres({ settings: REFERENCE_SETTINGS }).then(pgSide),
    startTargetSide(),
  ]);
  if (ref.status === "fulfilled") reference = ref.value;
  if (tgt.status === "fulfilled") target = tgt.value;
  if (ref.status === "rejected") throw ref.reason;
  if (tgt.status === "rejected") throw tgt.reason;
  const port = (side: Side | undefined): string => String(side?.endpoint.port ?? "?");
  print(
    `differential: reference ${port(reference)}, target ${targetKind} ${port(target)}, ` +
      `SEED=${seed}`,
  );
});

after(async () => {
  await Promise.allSettled([reference?.stop(), target?.stop()]);
  if (summaries.length > 0) print(["differential summary:", ...summaries].join("\n  "));
  const stale = known.unused(new Set(caseFiles.map((f) => f.name)));
  if (stale.length > 0)
    print(`known differences that now match (remove them): ${stale.join(", ")}`);
});

for (const file of caseFiles) {
  const title = file.name === "generated" ? `generated (SEED=${seed})` : file.name;
  test(title, async () => {
    assert.ok(reference && target, "servers did not start");
    const results = (await runFile(file, reference.endpoint, target.endpoint, timeoutMs)).map((r) =>
      classify(r, known),
    );
    const summary = fileSummary(file.name, results);
    summaries.push(summary);
    print(summary);
    const failing = results.filter(
      (r) =>
        r.class === "mismatch" ||
        r.class === "corpus-error" ||
        (strictMessages && r.verdict.soft.length > 0),
    );
    const shown = showKnown ? results.filter((r) => r.class !== "match") : failing;
    for (const r of shown.slice(0, showMismatches)) print(formatMismatch(r));
    if (shown.length > showMismatches)
      print(`… ${shown.length - showMismatches} more (DIFF_SHOW=n to see them)`);
    const soft = results.filter((r) => r.verdict.soft.length > 0 && r.class === "match");
    for (const r of soft.slice(0, showSoft)) print(formatSoft(r));
    if (failing.length > 0) assert.fail(failureMessage(file, failing));
  });
}

function failureMessage(file: CaseFile, failing: readonly Classified[]): string {
  const ids = failing.map((r) => `${r.file}:${r.statement.index}`);
  const replay =
    file.name === "generated"
      ? ` — replay with SEED=${seed} FILE=generated`
      : ` — rerun with FILE=${file.name}`;
  const listed = ids.slice(0, 30).join(" ") + (ids.length > 30 ? " …" : "");
  return `${failing.length} unexpected difference(s): ${listed}${replay}`;
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}
