/**
 * The SQL/JSON path functions and operators of PostgreSQL 15: jsonb_path_query (a set),
 * jsonb_path_query_array, jsonb_path_query_first, jsonb_path_exists, jsonb_path_match, each
 * with optional `vars` (an object) and `silent`, and `jsonb @? jsonpath`, `jsonb @@ jsonpath`
 * (silent). Silent calls turn suppressible errors into NULL or no rows. The *_tz variants
 * (jsonb_path_query_tz …) let datetime comparisons cast through the session's TimeZone
 * (`jsonpath-datetime.ts`); the others refuse such casts.
 */
import { SqlError, SqlState } from "@tessera/base";
import { jsonPathOf } from "../types/jsonpath.js";
import { TypeOid } from "../types/oids.js";
import { JSONB_NULL, type Jsonb, type JsonbObject, type Value } from "../types/value.js";
import { fn, op, srf } from "./builders.js";
import type { FunctionDef, OperatorDef } from "./defs.js";
import { isJsonNull, isJsonObject } from "./jsonb-util.js";
import { executeJsonPath, JsonPathError } from "./jsonpath-exec.js";
import { datetimeToJsonb, type DatetimeSettings } from "./jsonpath-datetime.js";
import type { EvalContext } from "./defs.js";
import { sessionZone } from "./tz.js";

const J = TypeOid.jsonb;
const P = TypeOid.jsonpath;
const emptyObject: JsonbObject = Object.freeze({ kind: "object", entries: [] });
const argNames = ["target", "path", "vars", "silent"];
const options = { argNames, defaults: [emptyObject, false] };

/** Without a time zone: the plain functions and the operators. */
const withoutTz: DatetimeSettings = { useTz: false, zone: () => "UTC" };

/** The *_tz functions' settings: the session's TimeZone. */
function withTz(ctx: EvalContext): DatetimeSettings {
  return { useTz: true, zone: () => sessionZone((n) => ctx.setting(n)) };
}

/**
 * Runs a path; in silent mode a suppressible error ends it with the items found so far
 * (`failed` tells exists and match that it failed). Datetime items become ISO strings.
 */
function run(args: Value[], datetime: DatetimeSettings = withoutTz):
  Jsonb[] & { failed?: boolean } {
  const [target, path, vars, silent] = args;
  const varsValue = (vars ?? emptyObject) as Jsonb;
  if (!isJsonObject(varsValue)) {
    throw new SqlError(SqlState.invalidParameterValue,
      "\"vars\" argument is not an object",
      { detail: "Jsonpath parameters should be encoded as key-value pairs of \"vars\" object." });
  }
  try {
    return executeJsonPath(jsonPathOf(path as string), target as Jsonb, varsValue, datetime)
      .map(datetimeToJsonb);
  } catch (e) {
    if (e instanceof JsonPathError && silent === true) {
      return Object.assign(e.partial.map(datetimeToJsonb), { failed: true });
    }
    throw e;
  }
}

function match(args: Value[], datetime?: DatetimeSettings): Value {
  const items = run(args, datetime);
  const only = items[0];
  if (items.length === 1 && typeof only === "boolean") return only;
  if (items.length === 1 && isJsonNull(only)) return null;
  if (args[3] === true) return null;
  throw new SqlError("22038", "single boolean result is expected");
}

function exists(args: Value[], datetime?: DatetimeSettings): Value {
  // In lax mode PostgreSQL stops at the first item, before any later error; strict mode
  // evaluates the whole path to check that it has no error.
  const items = run(args, datetime);
  if (items.failed !== true) return items.length > 0;
  return items.length > 0 && jsonPathOf(args[1] as string).lax ? true : null;
}

export function jsonpathFunctions(): FunctionDef[] {
  return [...pathFunctions("", () => withoutTz, options),
    ...pathFunctions("_tz", withTz, { ...options, volatility: "s" as const })];
}

/** jsonb_path_query and its siblings, with `suffix` ("" or "_tz"). */
function pathFunctions(suffix: string, settings: (ctx: EvalContext) => DatetimeSettings,
  opts: typeof options & { volatility?: "s" }): FunctionDef[] {
  const sig = [J, P, J, TypeOid.bool];
  return [
    srf(`jsonb_path_query${suffix}`, sig, J, (a, ctx) => run(a, settings(ctx)), opts),
    fn(`jsonb_path_query_array${suffix}`, sig, J, (a, ctx) => [...run(a, settings(ctx))], opts),
    fn(`jsonb_path_query_first${suffix}`, sig, J, (a, ctx) => {
      const first = run(a, settings(ctx))[0];
      return first === undefined ? null : first === null ? JSONB_NULL : first;
    }, opts),
    fn(`jsonb_path_exists${suffix}`, sig, TypeOid.bool, (a, ctx) => exists(a, settings(ctx)),
      opts),
    fn(`jsonb_path_match${suffix}`, sig, TypeOid.bool, (a, ctx) => match(a, settings(ctx)),
      opts),
  ];
}

export function jsonpathOperators(): OperatorDef[] {
  return [
    op("@?", J, P, TypeOid.bool, (l, r) => exists([l, r, emptyObject, true])),
    op("@@", J, P, TypeOid.bool, (l, r) => match([l, r, emptyObject, true])),
  ];
}
