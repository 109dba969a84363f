/** The EXPLAIN options the distributed explain looks at, read from the raw option list. */
import { notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";

export interface ExplainFlags {
  readonly analyze: boolean;
  readonly verbose: boolean;
  readonly costs: boolean;
  /** With ANALYZE: per-node times (default on). */
  readonly timing: boolean;
  /** Planning Time / Execution Time lines (default on with ANALYZE). */
  readonly summary: boolean;
}

/**
 * Refuses what the distributed EXPLAIN cannot print yet: a FORMAT other than TEXT (Citus's
 * JSON/YAML/XML nest the workers' plans as objects).
 */
export function checkExplainOptions(options: readonly ast.Node[]): void {
  for (const option of options) {
    if (!("DefElem" in option) || option.DefElem.defname !== "format") continue;
    const arg = option.DefElem.arg;
    const format = arg !== undefined && "String" in arg ? arg.String.sval ?? "" : "";
    if (format.toLowerCase() !== "text") {
      throw notSupported(`EXPLAIN (FORMAT ${format.toUpperCase()}) of distributed queries`);
    }
  }
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
    timing: flag("timing", true), summary: flag("summary", analyze) };
}
