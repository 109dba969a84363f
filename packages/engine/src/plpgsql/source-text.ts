/**
 * The CREATE FUNCTION text libpg-query's PL/pgSQL parser reads a body from: the parameters
 * (names and types, which become the first datums), what the function returns, and the body
 * quoted with a dollar tag it does not contain. Line numbers count from the body's start.
 */
import type { ast } from "@tessera/sql";

export function createFunctionText(name: string, params: readonly string[],
  returns: string | undefined, body: string): string {
  let tag = "$plpgsql$";
  for (let i = 0; body.includes(tag); i++) tag = `$plpgsql${i}$`;
  return `CREATE FUNCTION ${quoteIdent(name)}(${params.join(", ")}) ` +
    `${returns === undefined ? "" : `RETURNS ${returns} `}LANGUAGE plpgsql AS ${tag}${body}${tag}`;
}

export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, "\"\"")}"`;
}

/** A type name as SQL text: `pg_catalog.int4`, `numeric(10,2)`, `text[]`. */
export function typeNameText(typeName: ast.TypeName): string {
  const names = (typeName.names ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  let out = names.map(quoteIdent).join(".");
  const mods = (typeName.typmods ?? []).map((m) =>
    ("A_Const" in m && m.A_Const.ival !== undefined ? String(m.A_Const.ival.ival ?? 0) : ""));
  if (mods.length > 0 && mods.every((m) => m !== "")) out += `(${mods.join(",")})`;
  for (const _bound of typeName.arrayBounds ?? []) out += "[]";
  if (typeName.pct_type === true) out += "%TYPE";
  return out;
}

/** What `plpgsqlCreateSql` needs of a function (`catalog/sql-functions.ts`). */
interface PlpgsqlDefinition {
  readonly argTypes: readonly number[];
  readonly argNames: readonly string[];
  readonly returnType: number;
  readonly setOf: boolean;
  readonly volatility: "i" | "s" | "v";
  readonly strict: boolean;
  readonly source: string;
  readonly outColumns: readonly { readonly name: string; readonly type: number }[];
  readonly procedure?: true;
  readonly plpgsql?: {
    readonly argModes: readonly string[];
    readonly allArgTypes: readonly number[];
    readonly allArgNames: readonly string[];
  };
}

/** The trigger pseudo-type, which type catalogs do not name. */
const triggerType = 2279;

const volatilities = { i: "IMMUTABLE", s: "STABLE", v: "VOLATILE" } as const;
const modeWords: Record<string, string> = { i: "", o: "OUT ", b: "INOUT ", t: "" };

/**
 * `CREATE OR REPLACE FUNCTION name(…) … LANGUAGE plpgsql … AS $$body$$`, the definition as
 * a worker or pg_get_functiondef would read it; `typeText` names a type by OID.
 */
export function plpgsqlCreateSql(fn: PlpgsqlDefinition, qualifiedName: string,
  typeText: (oid: number) => string): string {
  const pl = fn.plpgsql;
  const modes = pl !== undefined && pl.argModes.length > 0 ? pl.argModes
    : fn.argTypes.map(() => "i");
  const types = pl !== undefined && pl.argModes.length > 0 ? pl.allArgTypes : fn.argTypes;
  const names = pl !== undefined && pl.argModes.length > 0 ? pl.allArgNames : fn.argNames;
  const param = (i: number): string =>
    `${names[i] === undefined || names[i] === "" ? "" : `${quoteIdent(names[i])} `}` +
    typeText(types[i]!);
  const params = modes.flatMap((m, i) => (m === "t" ? [] : [`${modeWords[m] ?? ""}${param(i)}`]));
  const table = modes.flatMap((m, i) => (m === "t" ? [param(i)] : []));
  const outs = modes.some((m) => m === "o" || m === "b");
  const returns = table.length > 0 ? ` RETURNS TABLE (${table.join(", ")})`
    : outs ? (fn.setOf ? " RETURNS SETOF record" : "")
      : ` RETURNS ${fn.setOf ? "SETOF " : ""}` +
        `${fn.returnType === triggerType ? "trigger" : typeText(fn.returnType)}`;
  let tag = "$fn$";
  for (let i = 0; fn.source.includes(tag); i++) tag = `$fn${i}$`;
  if (fn.procedure === true) {
    return `CREATE OR REPLACE PROCEDURE ${qualifiedName}(${params.join(", ")}) ` +
      `LANGUAGE plpgsql AS ${tag}${fn.source}${tag}`;
  }
  return `CREATE OR REPLACE FUNCTION ${qualifiedName}(${params.join(", ")})${returns} ` +
    `LANGUAGE plpgsql ${volatilities[fn.volatility]}${fn.strict ? " STRICT" : ""} ` +
    `AS ${tag}${fn.source}${tag}`;
}
