/** The EXPLAIN options the distributed explain looks at, read from the raw option list. */
import { notSupported } from "@tessera/base";
import type { StructuredFormat } from "@tessera/engine";
import type { ast } from "@tessera/sql";

export interface ExplainFlags {
  readonly analyze: boolean;
  readonly verbose: boolean;
  readonly costs: boolean;
  /** With ANALYZE: per-node times (default on). */
  readonly timing: boolean;
  /** Planning Time / Execution Time lines (default on with ANALYZE). */
  readonly summary: boolean;
  /** FORMAT TEXT, or JSON / YAML / XML (Citus's "Distributed Query", explain-json.ts). */
  readonly format: "text" | StructuredFormat;
}

/** The FORMAT option's value, lower case; "text" without one. */
function formatOf(options: readonly ast.Node[]): string {
  for (const option of options) {
    if (!("DefElem" in option) || option.DefElem.defname !== "format") continue;
    const arg = option.DefElem.arg;
    return (arg !== undefined && "String" in arg ? arg.String.sval ?? "" : "").toLowerCase();
  }
  return "text";
}

/** Refuses a FORMAT the distributed EXPLAIN cannot print. */
export function checkExplainOptions(options: readonly ast.Node[]): void {
  const format = formatOf(options);
  if (format !== "text" && structuredFormat(format) === undefined) {
    throw notSupported(`EXPLAIN (FORMAT ${format.toUpperCase()}) of distributed queries`);
  }
}

/** Refuses FORMAT JSON/YAML where only the text shape is implemented, naming `what`. */
export function requireTextFormat(flags: ExplainFlags, what: string): void {
  if (flags.format !== "text") {
    throw notSupported(`EXPLAIN (FORMAT ${flags.format.toUpperCase()}) of ${what}`);
  }
}

/** The result column: "QUERY PLAN", json for FORMAT JSON and text otherwise. */
export function explainColumn(options: readonly ast.Node[]): {
  name: string; tableOid: number; columnNumber: number; typeOid: number; typeSize: number;
  typeModifier: number;
} {
  return { name: "QUERY PLAN", tableOid: 0, columnNumber: 0,
    typeOid: formatOf(options) === "json" ? 114 : 25, typeSize: -1, typeModifier: -1 };
}

/** Reads ANALYZE, VERBOSE, COSTS, TIMING and SUMMARY from `EXPLAIN (…)` options. */
export function explainFlags(options: readonly ast.Node[]): ExplainFlags {
  const flag = (name: string, fallback: boolean): boolean => {
    for (const option of options) {
      if (!("DefElem" in option) || option.DefElem.defname !== name) continue;
      const arg = option.DefElem.arg;
      if (arg === undefined) return true;
      const text = "String" in arg ? arg.String.sval ?? "" : "Boolean" in arg
        ? String(arg.Boolean.boolval === true) : "Integer" in arg ? String(arg.Integer.ival ?? 0)
        : "true";
      return ["on", "true", "1", "yes"].includes(text.toLowerCase());
    }
    return fallback;
  };
  const analyze = flag("analyze", false);
  return { analyze, verbose: flag("verbose", false), costs: flag("costs", true),
    timing: flag("timing", true), summary: flag("summary", analyze),
    format: structuredFormat(formatOf(options)) ?? "text" };
}

function structuredFormat(format: string): StructuredFormat | undefined {
  return format === "json" || format === "yaml" || format === "xml" ? format : undefined;
}

/** The options with FORMAT JSON in place of the given FORMAT (for plans read back). */
export function asJsonOptions(options: readonly ast.Node[]): ast.Node[] {
  return options.map((option) => (!("DefElem" in option) || option.DefElem.defname !== "format"
    ? option : { DefElem: { ...option.DefElem, arg: { String: { sval: "json" } } } }));
}
