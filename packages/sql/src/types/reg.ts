/**
 * The OID alias types (regclass, regtype, regproc, regprocedure, regnamespace, regrole):
 * numbers on the inside, names on the outside. Names live in the engine's catalog, so the
 * engine installs a resolver per type with `setRegResolver`; until it does, output prints
 * the number and input takes only numbers. regtype resolves built-in types by itself.
 *
 *   'pg_class'::regclass -> 1259 inside, printed "pg_class"; an unknown OID prints as "16384"
 */
import { SqlError, SqlState } from "@tessera/base";
import { parseOid, oidIo } from "./integer.js";
import type { TypeIo } from "./type-io.js";

export type RegKind = "regclass" | "regtype" | "regproc" | "regprocedure" | "regnamespace" |
  "regrole" | "regcollation" | "regoper" | "regoperator";

export interface RegResolver {
  /** Returns the name to print for `oid`, or undefined to print the number. */
  toName(oid: number): string | undefined;
  /** Returns the OID a name denotes; throws the catalog's own error when there is none. */
  toOid(name: string): number;
}

const resolvers = new Map<RegKind, RegResolver>();

/** Installs the catalog lookups behind one reg* type; the engine calls this at start-up. */
export function setRegResolver(kind: RegKind, resolver: RegResolver | undefined): void {
  if (resolver === undefined) resolvers.delete(kind);
  else resolvers.set(kind, resolver);
}

/** Shorthand for `setRegResolver("regclass", ...)`. */
export function setRegclassResolver(resolver: RegResolver | undefined): void {
  setRegResolver("regclass", resolver);
}

/** What each kind says when a name is unknown and no resolver is installed. */
const notFound: Record<RegKind, (name: string) => SqlError> = {
  regclass: (name) => new SqlError(SqlState.undefinedTable, `relation "${name}" does not exist`),
  regtype: (name) => new SqlError(SqlState.undefinedObject, `type "${name}" does not exist`),
  regproc: (name) => new SqlError(SqlState.undefinedFunction, `function "${name}" does not exist`),
  regprocedure: (name) => new SqlError(SqlState.undefinedFunction,
    `function "${name}" does not exist`),
  regnamespace: (name) => new SqlError(SqlState.invalidSchemaName,
    `schema "${name}" does not exist`),
  regrole: (name) => new SqlError(SqlState.undefinedObject, `role "${name}" does not exist`),
  regcollation: (name) => new SqlError(SqlState.undefinedObject,
    `collation "${name}" for encoding "UTF8" does not exist`),
  regoper: (name) => new SqlError(SqlState.undefinedFunction,
    `operator does not exist: ${name}`),
  regoperator: (name) => new SqlError(SqlState.undefinedFunction,
    `operator does not exist: ${name}`),
};

/** Built-in fallbacks (regtype knows the registry); set by registry.ts to avoid a cycle. */
const fallbacks = new Map<RegKind, RegResolver>();

export function setRegFallback(kind: RegKind, resolver: RegResolver): void {
  fallbacks.set(kind, resolver);
}

export function makeRegIo(kind: RegKind): TypeIo {
  return {
    ...oidIo,
    input(text) {
      if (/^\s*\d+\s*$/.test(text)) return parseOid(text, kind);
      if (text.trim() === "-") return 0;
      const resolver = resolvers.get(kind) ?? fallbacks.get(kind);
      if (resolver === undefined) throw notFound[kind](text);
      return resolver.toOid(text);
    },
    output(value) {
      const oid = value as number;
      // regoperout and regoperatorout print InvalidOid as 0, the others as "-".
      if (oid === 0) return kind === "regoper" || kind === "regoperator" ? "0" : "-";
      const resolver = resolvers.get(kind) ?? fallbacks.get(kind);
      return resolver?.toName(oid) ?? String(oid);
    },
  };
}
