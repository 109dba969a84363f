/**
 * pg_proc: the functions that exist, from `@tessera/sql`'s built-ins and the ones the engine
 * and its host registered. Each gets an OID from 9000 up in a fixed order (by name, then
 * argument types), so an OID means the same function for the life of the process; they sit
 * below FirstNormalObjectId (16384) like Postgres's own functions.
 */
import { allFunctions, makeArray, type Row } from "@tessera/sql";
import { allEngineFunctions, type FunctionDef } from "../builtins.js";
import type { SystemRelationDef } from "../system-relations.js";
import { Oid } from "../types.js";
import { SysOid } from "./oids.js";
import { firstNormalOid } from "../catalog.js";
import { sqlFunctionFacts } from "./pg-proc-sql.js";

const functionOidBase = 9000;

interface ProcEntry {
  readonly oid: number;
  readonly def: FunctionDef;
}

let cached: { count: number; entries: ProcEntry[] } | undefined;

/** Every function with its OID; recomputed when a function was registered since. */
export function allProcs(): readonly ProcEntry[] {
  const defs: FunctionDef[] = [...allEngineFunctions(),
    ...(allFunctions() as readonly FunctionDef[])];
  if (cached !== undefined && cached.count === defs.length) return cached.entries;
  const key = (d: FunctionDef): string => `${d.name}(${d.argTypes.join(",")})`;
  const seen = new Set<string>();
  const unique = defs.filter((d) => !seen.has(key(d)) && seen.add(key(d)) !== undefined);
  unique.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const entries = unique.map((def, i) => ({ oid: functionOidBase + i, def }));
  cached = { count: defs.length, entries };
  return entries;
}

/** Finds a function by OID (a SQL function's pg_proc facts, `sql-functions.ts`, too). */
export function procByOid(oid: number): FunctionDef | undefined {
  if (oid >= firstNormalOid) return sqlFunctionFacts(oid);
  return allProcs()[oid - functionOidBase]?.def;
}

/** Finds the OID of the first function named `name`, or undefined. */
export function procOidByName(name: string): number | undefined {
  return allProcs().find((p) => p.def.name === name)?.oid;
}

const kinds: Record<FunctionDef["kind"], string> = {
  scalar: "f", srf: "f", aggregate: "a", window: "w",
};

export const pgProc: SystemRelationDef = {
  oid: 1255, schema: "pg_catalog", name: "pg_proc",
  columns: [["oid", Oid.oid], ["proname", Oid.name], ["pronamespace", Oid.oid],
    ["proowner", Oid.oid], ["prolang", Oid.oid], ["procost", Oid.float4],
    ["prorows", Oid.float4], ["provariadic", Oid.oid], ["prosupport", Oid.regproc],
    ["prokind", Oid.char], ["prosecdef", Oid.bool], ["proleakproof", Oid.bool],
    ["proisstrict", Oid.bool], ["proretset", Oid.bool], ["provolatile", Oid.char],
    ["proparallel", Oid.char], ["pronargs", Oid.int2], ["pronargdefaults", Oid.int2],
    ["prorettype", Oid.oid], ["proargtypes", 30], ["proallargtypes", 1028],
    ["proargmodes", 1002], ["proargnames", 1009], ["proargdefaults", Oid.text],
    ["protrftypes", 1028], ["prosrc", Oid.text], ["probin", Oid.text],
    ["prosqlbody", Oid.text], ["proconfig", 1009], ["proacl", 1009]],
  rows: () => allProcs().map(({ oid, def }): Row => {
    const n = def.argTypes.length;
    const strict = "strict" in def ? def.strict : false;
    return [oid, def.name, SysOid.pgCatalog, SysOid.bootstrapSuperuser, 12, 1,
      def.kind === "srf" ? 1000 : 0, def.variadic ?? 0, 0, kinds[def.kind], false, false,
      strict, def.kind === "srf", def.volatility, "s", n, def.defaultCount ?? 0,
      def.returnType,
      n === 0 ? makeArray(Oid.oid, []) : makeArray(Oid.oid, [...def.argTypes], [n], [0]),
      null, null, null, null, null, def.name, null, null, null, null];
  }),
};
