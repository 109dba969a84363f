/**
 * A view's options (PostgreSQL's view_relopt_tab in reloptions.c), kept as pg_class.reloptions
 * keeps them, `name=value` in the order given:
 *
 *   check_option      local | cascaded: as WITH [LOCAL | CASCADED] CHECK OPTION
 *   security_barrier  boolean: the query reading the view cannot push its conditions into
 *                     the view's (`barrierQuery`), so a leaky function never sees a row
 *                     the view's WHERE hides
 *   security_invoker  boolean: the relations the view reads are checked for the current
 *                     role instead of the view's owner (`catalog/permission-checks.ts`)
 *
 * CREATE VIEW … WITH (…) sets them (WITH CHECK OPTION adds check_option last, as DefineView
 * does); ALTER VIEW … SET (…) replaces those named and appends the new ones, RESET (…) drops
 * them.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Relation } from "../catalog/relation.js";

const booleanOptions = new Set(["security_barrier", "security_invoker"]);

/** One option as given: its name and, unless RESET, its value's text. */
interface GivenOption {
  readonly name: string;
  readonly value: string;
}

/** CREATE VIEW's options: its WITH (…) list, then WITH CHECK OPTION as check_option. */
export function createViewOptions(stmt: ast.ViewStmt): string[] {
  const given = givenOptions(stmt.options ?? [], false);
  const check = stmt.withCheckOption === "LOCAL_CHECK_OPTION" ? "local"
    : stmt.withCheckOption === "CASCADED_CHECK_OPTION" ? "cascaded" : undefined;
  if (check !== undefined) given.push({ name: "check_option", value: check });
  checkOnce(given);
  return given.map((o) => `${o.name}=${o.value}`);
}

/** The options after ALTER VIEW … SET (`reset` false) or RESET (`reset` true) of `defs`. */
export function alteredViewOptions(old: readonly string[], defs: readonly ast.Node[],
  reset: boolean): string[] {
  const given = givenOptions(defs, reset);
  if (!reset) checkOnce(given);
  const named = new Set(given.map((o) => o.name));
  const kept = old.filter((entry) => !named.has(optionName(entry)));
  return reset ? kept : [...kept, ...given.map((o) => `${o.name}=${o.value}`)];
}

/** The check option `options` give, or undefined. */
export function checkOptionIn(options: readonly string[]): "local" | "cascaded" | undefined {
  const entry = options.find((o) => optionName(o) === "check_option");
  const value = entry?.slice(entry.indexOf("=") + 1);
  return value === "local" || value === "cascaded" ? value : undefined;
}

/** Whether the view's option `name` (a boolean one) is on. */
export function viewOptionOn(view: Relation, name: string): boolean {
  const entry = view.viewOptions?.find((o) => optionName(o) === name);
  return entry !== undefined && parseBool(entry.slice(entry.indexOf("=") + 1)) === true;
}

/**
 * The query a reference to `view` expands to: its stored query, under OFFSET 0 when the view
 * is a security barrier, which keeps the outer query's conditions out of it (`plan/filter.ts`
 * pushes none through a LIMIT / OFFSET), as PostgreSQL keeps non-leakproof quals above it.
 */
export function barrierQuery(view: Relation): ast.Node {
  const query = view.viewQuery!;
  if (!viewOptionOn(view, "security_barrier") || !("SelectStmt" in query)) return query;
  return { SelectStmt: { ...query.SelectStmt, limitOption: "LIMIT_OPTION_COUNT",
    limitOffset: { A_Const: { ival: { ival: 0 } } } } };
}

function optionName(entry: string): string {
  return entry.slice(0, entry.indexOf("="));
}

/** The options of a WITH (…), SET (…) or RESET (…) list, each checked as reloptions.c does. */
function givenOptions(defs: readonly ast.Node[], reset: boolean): GivenOption[] {
  const out: GivenOption[] = [];
  for (const node of defs) {
    if (!("DefElem" in node)) continue;
    const def = node.DefElem;
    const name = def.defname ?? "";
    if (def.defnamespace !== undefined) {
      // A view has no TOAST table: its options are accepted and dropped, as reloptions.c does.
      if (def.defnamespace === "toast") continue;
      throw new SqlError(SqlState.invalidParameterValue,
        `unrecognized parameter namespace "${def.defnamespace}"`);
    }
    if (reset) {
      if (def.arg !== undefined) {
        throw new SqlError(SqlState.syntaxError, "RESET must not include values for parameters");
      }
      out.push({ name, value: "" });
      continue;
    }
    const value = def.arg === undefined ? "true" : argText(def.arg);
    checkValue(name, value);
    out.push({ name, value });
  }
  return out;
}

/** 22023 for an unknown option or a value it does not take. */
function checkValue(name: string, value: string): void {
  if (name === "check_option") {
    if (value === "local" || value === "cascaded") return;
    throw new SqlError(SqlState.invalidParameterValue,
      `invalid value for enum option "check_option": ${value}`,
      { detail: "Valid values are \"local\" and \"cascaded\"." });
  }
  if (!booleanOptions.has(name)) {
    throw new SqlError(SqlState.invalidParameterValue, `unrecognized parameter "${name}"`);
  }
  if (parseBool(value) === undefined) {
    throw new SqlError(SqlState.invalidParameterValue,
      `invalid value for boolean option "${name}": ${value}`);
  }
}

/** 22023 when a list names an option twice (parseRelOptions). */
function checkOnce(given: readonly GivenOption[]): void {
  const seen = new Set<string>();
  for (const { name } of given) {
    if (seen.has(name)) {
      throw new SqlError(SqlState.invalidParameterValue,
        `parameter "${name}" specified more than once`);
    }
    seen.add(name);
  }
}

/** The text of an option's value, as defGetString gives it. */
function argText(arg: ast.Node): string {
  if ("Integer" in arg) return String(arg.Integer.ival ?? 0);
  if ("Float" in arg) return arg.Float.fval ?? "";
  if ("Boolean" in arg) return arg.Boolean.boolval === true ? "true" : "false";
  if ("String" in arg) return arg.String.sval ?? "";
  if ("TypeName" in arg) {
    const last = arg.TypeName.names?.at(-1);
    return last !== undefined && "String" in last ? last.String.sval ?? "" : "";
  }
  return "";
}

/** PostgreSQL's parse_bool: true, false, yes, no, on, off, 1, 0 and unique prefixes. */
function parseBool(text: string): boolean | undefined {
  const v = text.trim().toLowerCase();
  if (v === "") return undefined;
  if ("true".startsWith(v) || ("yes".startsWith(v)) || v === "on" || v === "1") return true;
  if ("false".startsWith(v) || "no".startsWith(v) || (v.length >= 2 && "off".startsWith(v)) ||
    v === "0") return false;
  return undefined;
}
