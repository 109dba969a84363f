/**
 * The SQL-language functions of one database (CREATE FUNCTION … LANGUAGE sql): their
 * pg_proc facts (schema, name, argument and result types, volatility, strictness, source
 * text) and the parsed body, a single SELECT that calls expand in place
 * (`analyze/sql-function-call.ts`). Kept per catalog; each takes an OID from the catalog's
 * counter, logged with the statement, so replay gives it the same OID.
 */
import type { ast } from "@tessera/sql";
import type { Catalog } from "./catalog.js";

export interface SqlFunction {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly argTypes: readonly number[];
  /** The argument types as written, cast to in the expansion (they name enums, too). */
  readonly argTypeNames: readonly ast.TypeName[];
  /** Parameter names, "" where unnamed. */
  readonly argNames: readonly string[];
  readonly returnType: number;
  readonly returnTypeName: ast.TypeName;
  readonly volatility: "i" | "s" | "v";
  readonly strict: boolean;
  /** pg_proc.prosrc: the body as written (the RETURN expression's SELECT for SQL bodies). */
  readonly source: string;
  /** The body: one SelectStmt. */
  readonly body: ast.Node;
  /** RETURNS SETOF t or RETURNS TABLE (…): called in FROM, one row per body row. */
  readonly setOf: boolean;
  /** RETURNS TABLE's columns (returnType is then record); empty otherwise. */
  readonly outColumns: readonly { name: string; type: number; typeName: ast.TypeName }[];
  /** Set for LANGUAGE plpgsql functions (`plpgsql/`): then `body` is unused. */
  readonly plpgsql?: PlpgsqlSource;
  /** A procedure (CREATE PROCEDURE, run by CALL; pg_proc.prokind 'p'). */
  readonly procedure?: true;
  /** An aggregate (CREATE AGGREGATE, prokind 'a'); its pg_aggregate facts: user-aggregates.ts. */
  readonly aggregate?: true;
  /** Per input parameter, its DEFAULT (undefined where none); absent when none has one. */
  readonly argDefaults?: readonly (ParamDefault | undefined)[];
  /** pg_proc.provariadic: the element type of a last VARIADIC (array) parameter. */
  readonly variadic?: number;
  /** pg_proc.proconfig: "name=value" settings of its SET clauses (`ddl/function-config.ts`). */
  readonly config?: readonly string[];
  /** pg_proc.prosecdef: SECURITY DEFINER, run as its owner (`plpgsql/call.ts`). */
  readonly securityDefiner?: true;
}

/** A parameter's DEFAULT: the raw expression calls fill in, and its pg_get_expr text. */
export interface ParamDefault {
  readonly expr: ast.Node;
  readonly text: string;
}

/** What a PL/pgSQL function keeps of its definition. */
export interface PlpgsqlSource {
  /** A CREATE FUNCTION text for libpg-query's PL/pgSQL parser (the body and parameters). */
  readonly createSql: string;
  /** Per parameter, in order: true for IN and INOUT (the call's arguments). */
  readonly inArgs: readonly boolean[];
  /** pg_proc.proargmodes: i, o, b, t per parameter; empty when all are IN. */
  readonly argModes: readonly string[];
  /** pg_proc.proallargtypes and the names of every parameter. */
  readonly allArgTypes: readonly number[];
  readonly allArgNames: readonly string[];
  /** A LANGUAGE sql procedure run as a PL/pgSQL block (`ddl/sql-procedure.ts`). */
  readonly languageSql?: true;
}

const stores = new WeakMap<Catalog, Map<number, SqlFunction>>();

function storeOf(catalog: Catalog): Map<number, SqlFunction> {
  let store = stores.get(catalog);
  if (store === undefined) {
    store = new Map();
    stores.set(catalog, store);
  }
  return store;
}

/** Every SQL function of `catalog`. */
export function allSqlFunctions(catalog: Catalog): SqlFunction[] {
  return [...storeOf(catalog).values()];
}

/** True when `catalog` has any SQL function named `name` (a cheap test for every call). */
export function hasSqlFunctionNamed(catalog: Catalog, name: string): boolean {
  const store = stores.get(catalog);
  if (store === undefined || store.size === 0) return false;
  for (const fn of store.values()) if (fn.name === name) return true;
  return false;
}

/**
 * The functions named `name` a call may mean: those of `schema` when given, else those of
 * the first schema on the path that has any (as Postgres, which prefers earlier schemas).
 */
export function sqlFunctionsNamed(catalog: Catalog, path: readonly string[],
  schema: string | undefined, name: string): SqlFunction[] {
  const named = allSqlFunctions(catalog).filter((f) => f.name === name);
  if (schema !== undefined) return named.filter((f) => f.schema === schema);
  const out: SqlFunction[] = [];
  for (const s of path) {
    for (const f of named) {
      if (f.schema !== s) continue;
      if (!out.some((o) => sameArgs(o.argTypes, f.argTypes))) out.push(f);
    }
  }
  return out;
}

export function sameArgs(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

/** Every live SQL function of the process by OID, for lookups without a catalog (reg*). */
const liveByOid = new Map<number, SqlFunction>();

export function addSqlFunction(catalog: Catalog, fn: SqlFunction): void {
  storeOf(catalog).set(fn.oid, fn);
  liveByOid.set(fn.oid, fn);
}

export function removeSqlFunction(catalog: Catalog, fn: SqlFunction): void {
  if (storeOf(catalog).get(fn.oid) === fn) storeOf(catalog).delete(fn.oid);
  if (liveByOid.get(fn.oid) === fn) liveByOid.delete(fn.oid);
}

/** The SQL function with this OID in any live catalog of the process (one, in a daemon). */
export function liveSqlFunction(oid: number): SqlFunction | undefined {
  return liveByOid.get(oid);
}

export function sqlFunctionByOid(catalog: Catalog, oid: number): SqlFunction | undefined {
  return storeOf(catalog).get(oid);
}

/**
 * The parameter types a CALL passes for procedure `fn`: its OUT parameters too, which CALL
 * writes (NULL, or a variable inside PL/pgSQL) and which name the procedure in DROP. For a
 * function, its input types.
 */
export function procedureCallTypes(fn: SqlFunction): readonly number[] {
  const pl = fn.plpgsql;
  return fn.procedure === true && pl !== undefined && pl.argModes.length > 0
    ? pl.allArgTypes : fn.argTypes;
}
