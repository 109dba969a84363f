/**
 * EXPLAIN [ANALYZE] (Postgres's ExplainQuery): plans the statement as it would run, renders
 * the plan with `explain-text.ts` as one text column "QUERY PLAN", and with ANALYZE first
 * runs it (for real, writes included) under instrumentation.
 *
 *   EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT …
 *     -> Engine.planQuery -> instrumentedRuntime -> drain -> explainLines
 *
 * Options follow Postgres: booleans as on/off/true/false/1/0, FORMAT TEXT, JSON, YAML or XML
 * (`explain-structured.ts`: one row, json or text), TIMING needs ANALYZE,
 * SUMMARY defaults to ANALYZE.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast, Row, Value } from "@tessera/sql";
import type { Cursor, FetchResult, PreparedStatement, StatementContext } from "../api.js";
import type { StatementScope } from "../analyze/scope.js";
import { Oid } from "../catalog/types.js";
import type { Engine, PlannedQuery } from "../engine.js";
import { instrumentedRuntime } from "../execute/instrument.js";
import { writeDoc, type StructuredFormat } from "./explain-doc.js";
import { explainDocument } from "./explain-structured.js";
import { explainLines, type ExplainOptions, type NodeInstrument } from "./explain-text.js";
import type { Plan } from "./plan.js";

interface ExplainSettings {
  readonly analyze: boolean;
  readonly verbose: boolean;
  readonly costs: boolean;
  readonly timing: boolean;
  readonly summary: boolean;
  readonly format: "text" | StructuredFormat;
}

export function prepareExplain(engine: Engine, stmt: ast.ExplainStmt, statement: StatementScope):
  PreparedStatement {
  const settings = parseOptions(stmt.options ?? []);
  const started = performance.now();
  const query = stmt.query!;
  if (!("SelectStmt" in query || "InsertStmt" in query || "UpdateStmt" in query ||
    "DeleteStmt" in query || "MergeStmt" in query)) {
    throw notSupported(`EXPLAIN of ${Object.keys(query)[0] ?? "this statement"}`);
  }
  const planned = engine.planQuery(query, statement);
  const planningMs = performance.now() - started;
  const paramTypes = statement.params.types.map((t) =>
    (t === 0 || t === Oid.unknown ? Oid.text : t));
  return {
    paramTypes,
    columns: [{ name: "QUERY PLAN", tableOid: 0, columnNumber: 0,
      typeOid: settings.format === "json" ? Oid.json : Oid.text,
      typeSize: -1, typeModifier: -1 }],
    open: (params, ctx) => explainCursor(engine, planned, settings, planningMs, params, ctx),
  };
}

function explainCursor(engine: Engine, planned: PlannedQuery, settings: ExplainSettings,
  planningMs: number, params: readonly Value[], ctx: StatementContext): Cursor {
  let lines: string[] | null = null;
  let sent = 0;
  return {
    fetch: async (maxRows: number): Promise<FetchResult> => {
      lines ??= await explainText(engine, planned, settings, planningMs, params, ctx);
      const end = maxRows === 0 ? lines.length : Math.min(lines.length, sent + maxRows);
      const rows: Row[] = lines.slice(sent, end).map((l) => [l]);
      sent = end;
      return sent < lines.length ? { rows } : { rows, commandTag: "EXPLAIN" };
    },
    close: () => { sent = lines?.length ?? 0; },
  };
}

async function explainText(engine: Engine, planned: PlannedQuery, settings: ExplainSettings,
  planningMs: number, params: readonly Value[], ctx: StatementContext): Promise<string[]> {
  const options: ExplainOptions = { costs: settings.costs, verbose: settings.verbose,
    analyze: settings.analyze, timing: settings.timing, fmt: ctx, catalog: engine.catalog };
  let instruments: Map<Plan, NodeInstrument> | null = null;
  let executionMs = 0;
  if (settings.analyze) {
    instruments = new Map();
    const started = performance.now();
    await runInstrumented(engine, planned, instruments, settings.timing, params, ctx);
    executionMs = performance.now() - started;
  }
  if (settings.format !== "text") {
    const doc = explainDocument(planned.plan, options, instruments, settings.summary
      ? { planningMs, ...(settings.analyze ? { executionMs } : {}) } : {});
    return [writeDoc(settings.format, [doc])];
  }
  const lines = explainLines(planned.plan, options, instruments);
  if (settings.summary) {
    lines.push(`Planning Time: ${planningMs.toFixed(3)} ms`);
    if (settings.analyze) lines.push(`Execution Time: ${executionMs.toFixed(3)} ms`);
  }
  return lines;
}

/** Runs the plan to completion under instrumentation; writes commit as the statement would. */
async function runInstrumented(engine: Engine, planned: PlannedQuery,
  instruments: Map<Plan, NodeInstrument>, timing: boolean, params: readonly Value[],
  ctx: StatementContext): Promise<void> {
  const cursor = engine.openPlan({ ...planned, plan: planned.plan }, params, ctx, (rt) =>
    instrumentedRuntime(rt, instruments, timing));
  try {
    for (;;) {
      const result = await cursor.fetch(1000);
      if (result.commandTag !== undefined) break;
    }
  } finally {
    cursor.close();
  }
}

const booleanWords: Record<string, boolean> = { true: true, on: true, "1": true, yes: true,
  false: false, off: false, "0": false, no: false };

/** Reads EXPLAIN's option list with Postgres's checks and messages. */
function parseOptions(list: readonly ast.Node[]): ExplainSettings {
  const seen = new Map<string, boolean>();
  let format: ExplainSettings["format"] = "text";
  for (const node of list) {
    if (!("DefElem" in node)) continue;
    const def = node.DefElem;
    const name = def.defname ?? "";
    const loc = def.location === undefined ? {} : { location: def.location };
    if (name === "format") {
      const value = argText(def.arg)?.toLowerCase() ?? "";
      if (value === "text" || value === "json" || value === "yaml" || value === "xml") {
        format = value;
        continue;
      }
      throw new SqlError(SqlState.invalidParameterValue,
        `unrecognized value for EXPLAIN option "format": "${value}"`, loc);
    }
    if (!["analyze", "verbose", "costs", "settings", "buffers", "wal", "timing", "summary"]
      .includes(name)) {
      throw new SqlError(SqlState.syntaxError, `unrecognized EXPLAIN option "${name}"`, loc);
    }
    seen.set(name, booleanOf(def, name));
  }
  const analyze = seen.get("analyze") ?? false;
  if (seen.get("timing") === true && !analyze) {
    throw new SqlError(SqlState.invalidParameterValue, "EXPLAIN option TIMING requires ANALYZE");
  }
  if (seen.get("wal") === true && !analyze) {
    throw new SqlError(SqlState.invalidParameterValue, "EXPLAIN option WAL requires ANALYZE");
  }
  return { analyze, verbose: seen.get("verbose") ?? false, costs: seen.get("costs") ?? true,
    timing: seen.get("timing") ?? analyze, summary: seen.get("summary") ?? analyze, format };
}

function booleanOf(def: ast.DefElem, name: string): boolean {
  if (def.arg === undefined) return true;
  const text = argText(def.arg)?.toLowerCase();
  const value = text === undefined ? undefined : booleanWords[text];
  if (value === undefined) {
    throw new SqlError(SqlState.syntaxError, `${name} requires a Boolean value`,
      def.location === undefined ? {} : { location: def.location });
  }
  return value;
}

function argText(arg: ast.Node | undefined): string | undefined {
  if (arg === undefined) return undefined;
  if ("String" in arg) return arg.String.sval ?? "";
  if ("Integer" in arg) return String(arg.Integer.ival ?? 0);
  if ("Boolean" in arg) return arg.Boolean.boolval === true ? "true" : "false";
  if ("A_Const" in arg) {
    const c = arg.A_Const;
    if (c.sval !== undefined) return c.sval.sval ?? "";
    if (c.ival !== undefined) return String(c.ival.ival ?? 0);
    if (c.boolval !== undefined) return c.boolval.boolval === true ? "true" : "false";
  }
  return undefined;
}
