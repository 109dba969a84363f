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
