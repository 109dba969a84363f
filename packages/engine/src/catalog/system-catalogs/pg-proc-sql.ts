/**
 * The pg_proc rows of SQL-language functions (`sql-functions.ts`): prolang 14 (sql), the
 * schema's OID, prosrc the body text, so psql's `\df` lists them and `\sf`-style queries read
 * them; and their facts as a FunctionDef for pg_get_function_result / _arguments.
 */
import type { FunctionDef, Row } from "@tessera/sql";
import { makeArray } from "@tessera/sql";
import type { Catalog } from "../catalog.js";
import { allSqlFunctions, liveSqlFunction, type SqlFunction } from "../sql-functions.js";
import type { SystemRelationDef } from "../system-relations.js";
import { Oid } from "../types.js";
import { aclArray, ownerOf } from "../privileges.js";

const sqlLanguageOid = 14;
/** An aggregate's pg_proc row is language internal (12), as PostgreSQL's. */
const internalLanguageOid = 12;
/** pg_language's plpgsql row (`pg-misc.ts`); PostgreSQL 15 gives it 13563 at initdb. */
export const plpgsqlLanguageOid = 13563;

/** pg_proc: the built-in rows of `pgProc` and then the database's SQL functions. */
export function pgProcWithSqlFunctions(catalog: Catalog, builtin: SystemRelationDef):
  SystemRelationDef {
  return { ...builtin, rows: (ctx) => [...builtin.rows(ctx), ...sqlFunctionRows(catalog)] };
}

function sqlFunctionRows(catalog: Catalog): Row[] {
  const schemas = new Map(catalog.allSchemas());
  return allSqlFunctions(catalog).map((f): Row => {
    const n = f.argTypes.length;
    const pl = f.plpgsql;
    const modes = pl !== undefined && pl.argModes.length > 0 ? pl : tableModes(f);
    const allNames = modes?.allArgNames ?? f.argNames;
    const names = allNames.some((name) => name !== "")
      ? makeArray(Oid.text, [...allNames]) : null;
    return [f.oid, f.name, schemas.get(f.schema) ?? 0, ownerOf(catalog, "function", f.oid),
      f.aggregate === true ? internalLanguageOid
        : f.plpgsql === undefined || f.plpgsql.languageSql === true ? sqlLanguageOid
          : plpgsqlLanguageOid, f.aggregate === true ? 1 : 100,
      f.setOf ? 1000 : 0, f.variadic ?? 0, 0,
      f.procedure === true ? "p" : f.aggregate === true ? "a" : "f",
      f.securityDefiner === true, false,
      f.strict,
      f.setOf,
      f.volatility, "u", n,
      (f.argDefaults ?? []).filter((d) => d !== undefined).length, f.returnType,
      n === 0 ? makeArray(Oid.oid, []) : makeArray(Oid.oid, [...f.argTypes], [n], [0]),
      modes === undefined ? null : makeArray(Oid.oid, [...modes.allArgTypes]),
      modes === undefined ? null : makeArray(18, [...modes.argModes]), names, null, null,
      f.source, null, null, f.config === undefined ? null : makeArray(Oid.text, [...f.config]),
      aclArray(catalog, "function", f.oid)];
  });
}

/** A SQL function's RETURNS TABLE columns as pg_proc spells them: mode 't' after the inputs. */
function tableModes(f: SqlFunction): { allArgTypes: number[]; argModes: string[];
  allArgNames: string[] } | undefined {
  if (f.outColumns.length === 0 && f.variadic === undefined) return undefined;
  const last = f.argTypes.length - 1;
  return { allArgTypes: [...f.argTypes, ...f.outColumns.map((c) => c.type)],
    argModes: [...f.argTypes.map((_t, i) => (f.variadic !== undefined && i === last ? "v" : "i")),
      ...f.outColumns.map(() => "t")],
    allArgNames: [...f.argTypes.map((_, i) => f.argNames[i] ?? ""),
      ...f.outColumns.map((c) => c.name)] };
}

/** A SQL function's signature as a FunctionDef, for the catalog functions that describe it. */
export function sqlFunctionFacts(oid: number): FunctionDef | undefined {
  const f = liveSqlFunction(oid);
  if (f === undefined) return undefined;
  return { kind: "scalar", name: f.name, argTypes: f.argTypes, returnType: f.returnType,
    strict: f.strict, volatility: f.volatility,
    impl: () => {
      throw new Error("pg_proc facts of a SQL function are not callable");
    } };
}
