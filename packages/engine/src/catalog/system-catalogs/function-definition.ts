/**
 * What psql's `\df`, `\sf` and `\ef` read of a user-defined function or procedure:
 * pg_get_function_arguments / _identity_arguments / _result (parameter modes, procedures'
 * explicit IN, RETURNS TABLE), pg_get_functiondef's CREATE OR REPLACE text laid out as
 * PostgreSQL 15's ruleutils does, and pg_function_is_visible through the search path.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Catalog } from "../catalog.js";
import { firstNormalOid } from "../catalog.js";
import { allSqlFunctions, liveSqlFunction, type SqlFunction } from "../sql-functions.js";
import { quoteIdent } from "../../plan/explain-deparse.js";

/** Names a type by OID as format_type would for the calling session. */
export type TypeText = (oid: number) => string;

const functionModeWords: Readonly<Record<string, string>> = {
  i: "", o: "OUT ", b: "INOUT ", v: "VARIADIC ",
};

interface Parameter {
  readonly mode: string;
  readonly name: string;
  readonly type: number;
  readonly defaultText?: string;
}

function parametersOf(f: SqlFunction): Parameter[] {
  const pl = f.plpgsql;
  if (pl !== undefined && pl.argModes.length > 0) {
    let input = 0;
    return pl.argModes.map((mode, i) => ({ mode, name: pl.allArgNames[i] ?? "",
      type: pl.allArgTypes[i]!,
      ...(mode === "o" || mode === "t" ? {} : defaultOf(f, input++)) }));
  }
  const last = f.argTypes.length - 1;
  return f.argTypes.map((type, i) => ({ mode: f.variadic !== undefined && i === last ? "v" : "i",
    name: f.argNames[i] ?? "", type, ...defaultOf(f, i) }));
}

/** The DEFAULT of input parameter `i` (pg_get_function_arguments shows it). */
function defaultOf(f: SqlFunction, i: number): { defaultText?: string } {
  const text = f.argDefaults?.[i]?.text;
  return text === undefined ? {} : { defaultText: text };
}

function parameterText(p: Parameter, typeText: TypeText): string {
  return `${p.name === "" ? "" : `${quoteIdent(p.name)} `}${typeText(p.type)}`;
}

/**
 * pg_get_function_arguments (identity: pg_get_function_identity_arguments) of a user
 * function; undefined for a built-in one. Procedures spell IN; TABLE columns are left out,
 * and so are a function's OUT parameters from its identity.
 */
export function userFunctionArguments(oid: number, identity: boolean,
  typeText: TypeText): string | undefined {
  const f = liveSqlFunction(oid);
  if (f === undefined) return undefined;
  return parametersOf(f).filter((p) => p.mode !== "t" &&
    !(identity && f.procedure !== true && p.mode === "o"))
    .map((p) => `${f.procedure === true && p.mode === "i" ? "IN "
      : functionModeWords[p.mode] ?? ""}${parameterText(p, typeText)}${!identity &&
        p.defaultText !== undefined ? ` DEFAULT ${p.defaultText}` : ""}`).join(", ");
}

/**
 * pg_get_function_result of a user function: null for a procedure, `TABLE(…)` for RETURNS
 * TABLE, `SETOF t`; undefined for a built-in function.
 */
export function userFunctionResult(oid: number, typeText: TypeText): string | null | undefined {
  const f = liveSqlFunction(oid);
  if (f === undefined) return undefined;
  if (f.procedure === true) return null;
  // A SQL function's RETURNS TABLE keeps its columns apart (it takes IN parameters only).
  const table = f.plpgsql === undefined
    ? f.outColumns.map((c) => ({ mode: "t", name: c.name, type: c.type }))
    : parametersOf(f).filter((p) => p.mode === "t");
  if (table.length > 0) {
    return `TABLE(${table.map((p) => parameterText(p, typeText)).join(", ")})`;
  }
  return `${f.setOf ? "SETOF " : ""}${typeText(f.returnType)}`;
}

const volatilityWords = { i: " IMMUTABLE", s: " STABLE", v: "" } as const;

/** pg_get_functiondef(oid): the function's CREATE OR REPLACE statement, one clause a line. */
export function userFunctionDefinition(oid: number, typeText: TypeText): string | null {
  const f = liveSqlFunction(oid);
  if (f === undefined) {
    if (oid < firstNormalOid) {
      throw new SqlError(SqlState.featureNotSupported,
        "pg_get_functiondef of a built-in function is not supported");
    }
    return null;
  }
  const kind = f.procedure === true ? "procedure" : "function";
  const lines = [`CREATE OR REPLACE ${kind.toUpperCase()} ` +
    `${quoteIdent(f.schema)}.${quoteIdent(f.name)}(${userFunctionArguments(oid, false,
      typeText)})`];
  if (f.procedure !== true) lines.push(` RETURNS ${userFunctionResult(oid, typeText)!}`);
  lines.push(` LANGUAGE ${f.plpgsql === undefined || f.plpgsql.languageSql === true ? "sql"
    : "plpgsql"}`);
  const flags = `${volatilityWords[f.volatility]}${f.strict ? " STRICT" : ""}`;
  if (flags !== "") lines.push(flags);
  let quote = `$${kind}`;
  while (f.source.includes(quote)) quote += "x";
  quote += "$";
  return `${lines.join("\n")}\nAS ${quote}${f.source}${quote}\n`;
}

/**
 * pg_function_is_visible: built-in functions are (pg_catalog is always searched); a user
 * function is when its schema is on the search path and no schema before it has a function
 * of the same name and argument types.
 */
export function userFunctionVisible(catalog: Catalog, oid: number,
  path: readonly string[]): boolean | null {
  if (oid < firstNormalOid) return true;
  const f = liveSqlFunction(oid);
  if (f === undefined) return null;
  const position = path.indexOf(f.schema);
  if (position < 0) return false;
  const sameArgs = (g: SqlFunction): boolean => g.argTypes.length === f.argTypes.length &&
    g.argTypes.every((t, i) => t === f.argTypes[i]);
  return !allSqlFunctions(catalog).some((g) => g !== f && g.name === f.name && sameArgs(g) &&
    path.indexOf(g.schema) >= 0 && path.indexOf(g.schema) < position);
}
