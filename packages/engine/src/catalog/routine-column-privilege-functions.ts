/**
 * has_function_privilege, has_column_privilege and has_any_column_privilege, for the current
 * role or a named one, as Postgres's aclchk answers them: EXECUTE on a function from its ACL
 * (`privileges.ts`; built-in functions are everyone's), a column's privilege from the table's
 * ACL or the column's own (`column-privileges.ts`), and "any column" when the table's or some
 * column's ACL gives it. The privilege list reads as has_table_privilege's: 'SELECT, UPDATE
 * WITH GRANT OPTION' is true when any of them is held.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "@tessera/sql";
import type { EvalLike } from "../analyze/expr.js";
import { registerEngineFunction } from "./builtins.js";
import type { Catalog } from "./catalog.js";
import { Oid } from "./types.js";
import { findRole, requireRole } from "./roles.js";
import { heldPrivileges, holds, Priv } from "./privileges.js";
import { columnsWithAcls, heldColumnPrivileges } from "./column-privileges.js";
import { sqlFunctionByOid, sqlFunctionsNamed } from "./sql-functions.js";
import type { Relation } from "./relation.js";

const words: Readonly<Record<string, string>> = {
  select: Priv.select, insert: Priv.insert, update: Priv.update, references: Priv.references,
  execute: Priv.execute,
};

/** 'SELECT, INSERT WITH GRANT OPTION' as letters, each with its grant-option flag. */
function wanted(text: string, allowed: string): { letter: string; option: boolean }[] {
  return text.split(",").map((part) => {
    const w = part.trim().toLowerCase().split(/\s+/);
    const option = w.length === 4 && w.slice(1).join(" ") === "with grant option";
    const letter = words[w[0] ?? ""];
    if ((w.length !== 1 && !option) || letter === undefined || !allowed.includes(letter)) {
      throw new SqlError(SqlState.invalidParameterValue,
        `unrecognized privilege type: "${part.trim()}"`);
    }
    return { letter, option };
  });
}

/** The role asked about: undefined for the cluster's internal user (it may do anything). */
function roleOf(catalog: Catalog, user: string, ctx: EvalLike): number | undefined {
  const role = user === ctx.user ? findRole(catalog, user) : requireRole(catalog, user);
  return role?.superuser === true ? undefined : role?.oid;
}

function relationOf(catalog: Catalog, table: Value, ctx: EvalLike): Relation | null {
  if (typeof table !== "string") return catalog.relation(Number(table)) ?? null;
  const parts = table.split(".").map((p) => (p.startsWith("\"") ? p.slice(1, -1)
    : p.toLowerCase()));
  const path = catalog.searchPath(ctx.setting("search_path"), ctx.user, ctx.backendPid ?? 0);
  const rel = catalog.findRelation(path, parts.length > 1 ? parts[0] : undefined,
    parts[parts.length - 1] ?? "");
  if (rel === undefined) {
    throw new SqlError(SqlState.undefinedTable, `relation "${table}" does not exist`);
  }
  return rel;
}

function columnAnswer(catalog: Catalog, user: string, table: Value, column: Value,
  privs: string, ctx: EvalLike): Value {
  const asked = wanted(privs, "arwx");
  const rel = relationOf(catalog, table, ctx);
  if (rel === null) return null;
  const attnum = typeof column === "string"
    ? rel.columns.findIndex((c) => c.name === column && !c.dropped) + 1 : Number(column);
  if (attnum <= 0 || rel.columns[attnum - 1]?.dropped !== false) {
    if (typeof column !== "string") return null;
    throw new SqlError(SqlState.undefinedColumn,
      `column "${column}" of relation "${rel.name}" does not exist`);
  }
  const role = roleOf(catalog, user, ctx);
  if (role === undefined) return true;
  const onColumn = heldColumnPrivileges(catalog, rel.oid, attnum, role);
  return asked.some(({ letter, option }) =>
    holds(catalog, "table", rel.oid, role, letter, option) ||
    (!option && onColumn.includes(letter)));
}

function anyColumnAnswer(catalog: Catalog, user: string, table: Value, privs: string,
  ctx: EvalLike): Value {
  const asked = wanted(privs, "arwx");
  const rel = relationOf(catalog, table, ctx);
  if (rel === null) return null;
  const role = roleOf(catalog, user, ctx);
  if (role === undefined) return true;
  const held = heldPrivileges(catalog, "table", rel.oid, role);
  const columns = columnsWithAcls(catalog, rel.oid)
    .map((attnum) => heldColumnPrivileges(catalog, rel.oid, attnum, role)).join("");
  return asked.some(({ letter, option }) =>
    (option ? held.options : held.privs).includes(letter) ||
    (!option && columns.includes(letter)));
}

/** The function a has_function_privilege argument names: by OID, or 'name(types)'. */
function functionOid(catalog: Catalog, fn: Value, ctx: EvalLike): number | undefined {
  if (typeof fn !== "string") return Number(fn);
  const open = fn.indexOf("(");
  const qualified = (open < 0 ? fn : fn.slice(0, open)).trim().split(".");
  const name = qualified[qualified.length - 1]!.toLowerCase();
  const inside = open < 0 ? "" : fn.slice(open + 1, fn.lastIndexOf(")")).trim();
  const arity = inside === "" ? 0 : inside.split(",").length;
  const path = catalog.searchPath(ctx.setting("search_path"), ctx.user, ctx.backendPid ?? 0);
  const found = sqlFunctionsNamed(catalog, path,
    qualified.length > 1 ? qualified[0]!.toLowerCase() : undefined, name)
    .filter((f) => f.argTypes.length === arity);
  return found.length === 1 ? found[0]!.oid : undefined;
}

function functionAnswer(catalog: Catalog, user: string, fn: Value, privs: string,
  ctx: EvalLike): Value {
  const asked = wanted(privs, Priv.execute);
  const oid = functionOid(catalog, fn, ctx);
  const role = roleOf(catalog, user, ctx);
  // Built-in functions (not SQL functions of the catalog) are everyone's to execute.
  if (role === undefined || oid === undefined || sqlFunctionByOid(catalog, oid) === undefined) {
    return true;
  }
  return asked.some(({ letter, option }) => holds(catalog, "function", oid, role, letter,
    option));
}

/** Registers the functions over `catalog`. */
export function registerRoutineColumnPrivilegeFunctions(catalog: Catalog): void {
  const scalar = (name: string, argTypes: number[],
    impl: (args: Value[], ctx: EvalLike) => Value): void => {
    registerEngineFunction({ kind: "scalar", name, argTypes, returnType: Oid.bool,
      volatility: "s", strict: true, impl });
  };
  for (const fnType of [Oid.text, Oid.oid]) {
    scalar("has_function_privilege", [fnType, Oid.text], ([f, p], ctx) =>
      functionAnswer(catalog, ctx.user, f!, p as string, ctx));
    scalar("has_function_privilege", [Oid.name, fnType, Oid.text], ([u, f, p], ctx) =>
      functionAnswer(catalog, u as string, f!, p as string, ctx));
  }
  // The table as text, name (the form a placeholder without a type takes) or OID.
  for (const tableType of [Oid.text, Oid.name, Oid.oid]) {
    scalar("has_any_column_privilege", [tableType, Oid.text], ([t, p], ctx) =>
      anyColumnAnswer(catalog, ctx.user, t!, p as string, ctx));
    scalar("has_any_column_privilege", [Oid.name, tableType, Oid.text], ([u, t, p], ctx) =>
      anyColumnAnswer(catalog, u as string, t!, p as string, ctx));
    for (const columnType of [Oid.text, Oid.int2]) {
      scalar("has_column_privilege", [tableType, columnType, Oid.text], ([t, c, p], ctx) =>
        columnAnswer(catalog, ctx.user, t!, c!, p as string, ctx));
      scalar("has_column_privilege", [Oid.name, tableType, columnType, Oid.text],
        ([u, t, c, p], ctx) => columnAnswer(catalog, u as string, t!, c!, p as string, ctx));
    }
  }
}
