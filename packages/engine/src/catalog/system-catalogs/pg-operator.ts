/**
 * pg_operator (PostgreSQL 15's rows for the operators Tessera implements, from
 * `pg-operator-data.ts`) and the regoper / regoperator types' text I/O over it, as
 * PostgreSQL's regoperin / regoperout / regoperatorin / regoperatorout:
 *
 *   '||/'::regoper                 -> 597, printed ||/
 *   '+'::regoper                   -> 42725 more than one operator named +
 *   '+(int4,int4)'::regoperator    -> 551, printed +(integer,integer)
 *   '-(NONE,int4)'::regoperator    -> the prefix minus, printed -(NONE,integer)
 *   15::regoper                    -> pg_catalog.=  (qualified: the name alone is ambiguous)
 *
 * Every built-in operator lives in pg_catalog. The oprcode / oprrest / oprjoin functions are
 * PostgreSQL's OIDs; `operatorProcName` gives their names to the regproc output.
 */
import { SqlError, SqlState } from "@tessera/base";
import { defaultFormatContext, setRegResolver, typeOf, type Row } from "@tessera/sql";
import type { Catalog } from "../catalog.js";
import type { SystemRelationDef } from "../system-relations.js";
import { Oid } from "../types.js";
import { namespaceOid, SysOid } from "./oids.js";
import { operatorRows, type OperatorRow } from "./pg-operator-data.js";
import { operatorProcNames } from "./pg-operator-procs.js";

const procNames: ReadonlyMap<number, string> = new Map(operatorProcNames);
const byOid: ReadonlyMap<number, OperatorRow> = new Map(operatorRows.map((r) => [r[0], r]));
const byName = new Map<string, OperatorRow[]>();
for (const row of operatorRows) byName.set(row[1], [...byName.get(row[1]) ?? [], row]);

/** The name of a function pg_operator names (oprcode, oprrest, oprjoin), by its OID. */
export function operatorProcName(oid: number): string | undefined {
  return procNames.get(oid);
}

/** pg_operator, with PostgreSQL 15's columns. */
export const pgOperator: SystemRelationDef = {
  oid: 2617, schema: "pg_catalog", name: "pg_operator",
  columns: [["oid", Oid.oid], ["oprname", Oid.name], ["oprnamespace", Oid.oid],
    ["oprowner", Oid.oid], ["oprkind", Oid.char], ["oprcanmerge", Oid.bool],
    ["oprcanhash", Oid.bool], ["oprleft", Oid.oid], ["oprright", Oid.oid],
    ["oprresult", Oid.oid], ["oprcom", Oid.oid], ["oprnegate", Oid.oid],
    ["oprcode", Oid.regproc], ["oprrest", Oid.regproc], ["oprjoin", Oid.regproc]],
  rows: () => operatorRows.map(([oid, name, kind, merge, hash, ...rest]): Row =>
    [oid, name, SysOid.pgCatalog, SysOid.bootstrapSuperuser, kind, merge === 1, hash === 1,
      ...rest]),
};

/** Splits 'schema.name' where the name is an operator; 42601 / 3F000 as PostgreSQL. */
function operatorName(catalog: Catalog, text: string): string {
  const trimmed = text.trim();
  const parts: string[] = [];
  let rest = trimmed;
  for (;;) {
    const match = /^("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)\s*\.\s*/.exec(rest);
    if (match === null) break;
    const ident = match[1]!;
    parts.push(ident.startsWith("\"") ? ident.slice(1, -1).replace(/""/g, "\"")
      : ident.toLowerCase());
    rest = rest.slice(match[0].length);
  }
  if (parts.length > 2) {
    throw new SqlError(SqlState.syntaxError,
      `improper qualified name (too many dotted names): ${text}`);
  }
  const schema = parts[parts.length - 1];
  if (schema !== undefined && namespaceOid(catalog, schema) === 0) {
    throw new SqlError(SqlState.invalidSchemaName, `schema "${schema}" does not exist`);
  }
  const name = rest.startsWith("\"") && rest.endsWith("\"") && rest.length > 1
    ? rest.slice(1, -1).replace(/""/g, "\"") : rest;
  return schema === undefined || schema === "pg_catalog" ? name : "\u0000";
}

/** regoperin: the one operator named `text`; 42883 when none, 42725 when several. */
export function regoperOid(catalog: Catalog, text: string): number {
  const found = byName.get(operatorName(catalog, text)) ?? [];
  if (found.length === 0) {
    throw new SqlError(SqlState.undefinedFunction, `operator does not exist: ${text}`);
  }
  if (found.length > 1) {
    throw new SqlError(SqlState.ambiguousFunction, `more than one operator named ${text}`);
  }
  return found[0]![0];
}

/** Splits 'name(a, b)' into the name and its two argument type texts. */
function nameAndArgs(text: string): { name: string; args: string[] } {
  const open = text.indexOf("(");
  if (open < 0) {
    throw new SqlError(SqlState.invalidTextRepresentation, "expected a left parenthesis");
  }
  const inner = text.slice(open + 1);
  const args: string[] = [];
  let depth = 0;
  let current = "";
  let closed = false;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c === "(") depth++;
    if (c === ")" && depth === 0) {
      if (inner.slice(i + 1).trim() !== "") {
        throw new SqlError(SqlState.invalidTextRepresentation, "expected a right parenthesis");
      }
      closed = true;
      break;
    }
    if (c === ")") depth--;
    if (c === "," && depth === 0) {
      args.push(current.trim());
      current = "";
    } else {
      current += c;
    }
  }
  if (!closed) {
    throw new SqlError(SqlState.invalidTextRepresentation, "expected a right parenthesis");
  }
  args.push(current.trim());
  return { name: text.slice(0, open), args };
}

/** regoperatorin: the operator of 'name(left, right)', NONE for a prefix operator's left. */
export function regoperatorOid(catalog: Catalog, text: string): number {
  const { name, args } = nameAndArgs(text);
  if (args.length < 2) {
    throw new SqlError(SqlState.undefinedParameter, "missing argument",
      { hint: "Use NONE to denote the missing argument of a unary operator." });
  }
  if (args.length > 2) {
    throw new SqlError(SqlState.tooManyArguments, "too many arguments",
      { hint: "Provide two argument types for operator." });
  }
  const [left, right] = args.map((arg) => (arg.toLowerCase() === "none" ? 0
    : typeOf(Oid.regtype).input(arg, -1, defaultFormatContext) as number));
  const opName = operatorName(catalog, name);
  const found = (byName.get(opName) ?? []).find((r) => r[5] === left && r[6] === right);
  if (found === undefined) {
    throw new SqlError(SqlState.undefinedFunction, `operator does not exist: ${text}`);
  }
  return found[0];
}

function typeText(oid: number): string {
  return oid === 0 ? "NONE" : typeOf(Oid.regtype).output(oid, defaultFormatContext);
}

/** Installs the regoper and regoperator resolvers (`reg-resolvers.ts` calls this). */
export function installRegoper(catalog: Catalog): void {
  setRegResolver("regoper", {
    toName: (oid) => {
      const row = byOid.get(oid);
      if (row === undefined) return undefined;
      return (byName.get(row[1]) ?? []).length === 1 ? row[1] : `pg_catalog.${row[1]}`;
    },
    toOid: (text) => regoperOid(catalog, text),
  });
  setRegResolver("regoperator", {
    toName: (oid) => {
      const row = byOid.get(oid);
      return row === undefined ? undefined
        : `${row[1]}(${typeText(row[5])},${typeText(row[6])})`;
    },
    toOid: (text) => regoperatorOid(catalog, text),
  });
}

/** to_regoper: NULL when no operator, or more than one, has the name. */
export function toRegoper(catalog: Catalog, text: string): number | null {
  const found = byName.get(operatorName(catalog, text)) ?? [];
  return found.length === 1 ? found[0]![0] : null;
}
