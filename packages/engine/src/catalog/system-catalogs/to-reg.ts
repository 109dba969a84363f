/**
 * to_regclass, to_regtype, to_regproc, to_regprocedure, to_regnamespace, to_regrole: the
 * reg* input functions that answer NULL instead of an error when the object is missing, as
 * PostgreSQL 15's regproc.c. A malformed name still raises what Postgres raises:
 *
 *   to_regclass('a.b.c.d')  -> 42601 improper relation name (too many dotted names): a.b.c.d
 *   to_regrole('a.b')       -> 42602 invalid name syntax
 *   to_regprocedure('abs')  -> 22P02 expected a left parenthesis (the regprocedure resolver's)
 *
 * regcollation's text I/O is installed here too. to_regoper and to_regoperator read
 * pg_operator (`pg-operator.ts`): to_regoper('+') is NULL, as several operators are named +.
 *
 * Names are split as stringToQualifiedNameList does: dots between identifiers, double quotes
 * keep case, unquoted identifiers fold to lower case.
 */
import { SqlError, SqlState } from "@tessera/base";
import { parseStatements, setRegResolver, typeOf, defaultFormatContext, type Value }
  from "@tessera/sql";
import type { EvalLike } from "../../analyze/expr.js";
import type { Catalog } from "../catalog.js";
import type { ScalarDef } from "../builtins.js";
import { Oid } from "../types.js";
import { sqlFunctionsNamed } from "../sql-functions.js";
import { catalogView } from "./object-defs.js";
import { namespaceOid, SysOid } from "./oids.js";
import { quoteIdent } from "../../plan/explain-deparse.js";
import { allProcs } from "./pg-proc.js";
import { regoperatorOid, toRegoper } from "./pg-operator.js";
import { rolesOf } from "./pg-roles.js";

function invalidName(): SqlError {
  return new SqlError(SqlState.invalidName, "invalid name syntax");
}

/** Splits a possibly qualified name into identifiers; 42602 when it is not one. */
export function qualifiedNameList(text: string): string[] {
  const parts: string[] = [];
  let i = 0;
  const blank = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);
  for (;;) {
    while (blank(text[i])) i++;
    if (text[i] === "\"") {
      let ident = "";
      for (i++; ; i++) {
        if (i >= text.length) throw invalidName();
        if (text[i] === "\"") {
          if (text[i + 1] !== "\"") break;
          i++;
        }
        ident += text[i];
      }
      i++;
      if (ident === "") throw invalidName();
      parts.push(ident);
    } else {
      const start = i;
      while (i < text.length && text[i] !== "." && !blank(text[i])) i++;
      if (i === start) throw invalidName();
      parts.push(text.slice(start, i).toLowerCase());
    }
    while (blank(text[i])) i++;
    if (i >= text.length) return parts;
    if (text[i] !== ".") throw invalidName();
    i++;
  }
}

/** The errors that mean "no such object", which the to_reg* functions turn into NULL. */
const missingCodes: ReadonlySet<string> = new Set([SqlState.undefinedTable,
  SqlState.undefinedObject, SqlState.undefinedFunction, SqlState.invalidSchemaName,
  SqlState.ambiguousFunction]);

function orNull(run: () => Value): Value {
  try {
    return run();
  } catch (error) {
    if (error instanceof SqlError && missingCodes.has(error.code)) return null;
    throw error;
  }
}

function def(name: string, returnType: number, impl: (text: string, ctx: EvalLike) => Value):
  ScalarDef {
  return { kind: "scalar", name, argTypes: [Oid.text], returnType, volatility: "s",
    strict: true, impl: ([text], ctx) => impl(text as string, ctx) };
}

/** The one function a to_regproc name denotes, or NULL when none or several. */
function regprocOf(catalog: Catalog, text: string, ctx: EvalLike): Value {
  const names = qualifiedNameList(text);
  if (names.length > 3) {
    throw new SqlError(SqlState.syntaxError,
      `improper qualified name (too many dotted names): ${text}`);
  }
  const name = names[names.length - 1]!;
  const schema = names.length > 1 ? names[names.length - 2] : undefined;
  const view = catalogView(catalog, ctx);
  if (schema !== undefined && namespaceOid(catalog, schema) === 0) return null;
  const own = sqlFunctionsNamed(catalog, view.path, schema, name).map((f) => f.oid);
  const builtin = schema === undefined || schema === "pg_catalog"
    ? allProcs().filter((p) => p.def.name === name).map((p) => p.oid) : [];
  const found = [...own, ...builtin];
  return found.length === 1 ? found[0]! : null;
}

function regclassOf(catalog: Catalog, text: string, ctx: EvalLike): Value {
  const names = qualifiedNameList(text);
  if (names.length > 3) {
    throw new SqlError(SqlState.syntaxError,
      `improper relation name (too many dotted names): ${text}`);
  }
  if (names.length === 3 && names[0] !== ctx.database) {
    throw new SqlError(SqlState.featureNotSupported,
      `cross-database references are not implemented: ${text}`);
  }
  const name = names[names.length - 1]!;
  const schema = names.length > 1 ? names[names.length - 2] : undefined;
  return catalog.lookupName(catalogView(catalog, ctx).path, schema, name)?.oid ?? null;
}

/**
 * Raises what PostgreSQL raises for a type name it cannot read: a syntax error (the name is
 * parsed as the type of a cast), too many dotted names, or another database's name.
 */
function checkTypeName(text: string, database: string): void {
  try {
    parseStatements(`SELECT NULL::${text}`);
  } catch (error) {
    if (error instanceof SqlError && error.code === SqlState.syntaxError) {
      throw new SqlError(SqlState.syntaxError, error.message);
    }
    throw error;
  }
  let names: string[];
  try {
    names = qualifiedNameList(text.replace(/\s*(\[\s*\d*\s*\]\s*)+$/, ""));
  } catch {
    return;
  }
  if (names.length > 3) {
    throw new SqlError(SqlState.syntaxError,
      `improper qualified name (too many dotted names): ${text}`);
  }
  if (names.length === 3 && names[0] !== database) {
    throw new SqlError(SqlState.featureNotSupported,
      `cross-database references are not implemented: ${text}`);
  }
}

const regcollation = 4191;

/** pg_collation's rows (`pg-misc.ts`): all in pg_catalog. */
const collations: readonly [number, string][] = [[SysOid.defaultCollation, "default"],
  [SysOid.cCollation, "C"], [SysOid.posixCollation, "POSIX"]];

/** regcollation text I/O: `'"C"'::regcollation` is 950 and prints as `"C"`. */
export function installRegcollation(): void {
  setRegResolver("regcollation", {
    toName: (oid) => {
      const found = collations.find(([o]) => o === oid);
      return found === undefined ? undefined : quoteIdent(found[1]);
    },
    toOid: (text) => {
      const names = qualifiedNameList(text);
      if (names.length > 3) {
        throw new SqlError(SqlState.syntaxError,
          `improper qualified name (too many dotted names): ${text}`);
      }
      const name = names[names.length - 1]!;
      const schema = names.length > 1 ? names[names.length - 2] : "pg_catalog";
      const found = collations.find(([, n]) => n === name);
      if (schema !== "pg_catalog" || found === undefined) {
        throw new SqlError(SqlState.undefinedObject,
          `collation "${name}" for encoding "UTF8" does not exist`);
      }
      return found[0];
    },
  });
}

/** The to_reg* functions over `catalog`. */
export function toRegFunctions(catalog: Catalog): ScalarDef[] {
  installRegcollation();
  const single = (text: string): string => {
    const names = qualifiedNameList(text);
    if (names.length !== 1) throw invalidName();
    return names[0]!;
  };
  const input = (type: number, text: string): Value =>
    typeOf(type).input(text, -1, defaultFormatContext);
  return [
    def("to_regclass", Oid.regclass, (text, ctx) => regclassOf(catalog, text, ctx)),
    def("to_regtype", Oid.regtype, (text, ctx) => {
      checkTypeName(text, ctx.database);
      return orNull(() => input(Oid.regtype, text));
    }),
    def("to_regproc", Oid.regproc, (text, ctx) => regprocOf(catalog, text, ctx)),
    def("to_regprocedure", 2202, (text) => orNull(() => input(2202, text))),
    def("to_regnamespace", 4089, (text) => {
      const oid = namespaceOid(catalog, single(text));
      return oid === 0 ? null : oid;
    }),
    def("to_regrole", 4096, (text) => {
      const name = single(text);
      return rolesOf(catalog).find(([, role]) => role === name)?.[0] ?? null;
    }),
    def("to_regcollation", regcollation, (text) => orNull(() => input(regcollation, text))),
    def("to_regoper", 2203, (text) => orNull(() => toRegoper(catalog, text))),
    def("to_regoperator", 2204, (text) => orNull(() => regoperatorOid(catalog, text))),
  ];
}
