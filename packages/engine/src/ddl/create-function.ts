/**
 * CREATE [OR REPLACE] FUNCTION … LANGUAGE sql and DROP FUNCTION [IF EXISTS] name[(types)],
 * with PostgreSQL's errors. The body is one SELECT (quoted `AS '…'`, `RETURN expr`, or a
 * BEGIN ATOMIC block of one SELECT); calls expand it in place (`analyze/sql-function-call.ts`).
 *
 * LANGUAGE plpgsql functions and procedures run on the interpreter (`plpgsql/`), and so do
 * LANGUAGE sql procedures (`sql-procedure.ts`). Parameter DEFAULTs: `function-param-defaults.ts`.
 * Refused with 0A000, naming what is missing: other languages (c …), BEGIN ATOMIC procedures,
 * OUT/INOUT parameters of SQL functions, polymorphic types, and bodies that are not a single
 * SELECT. A procedure's OUT and INOUT parameters make CALL return a row
 * (`plpgsql/call-statement.ts`). RETURNS SETOF t and RETURNS TABLE (…) functions are called
 * in FROM.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import { parsePlpgsql, parseStatements, type ast } from "@tessera/sql";
import type { StatementScope } from "../analyze/scope.js";
import { resolveTypeName } from "../analyze/type-name.js";
import type { Catalog } from "../catalog/catalog.js";
import { findRowType } from "../catalog/row-types.js";
import {
  addSqlFunction, allSqlFunctions, procedureCallTypes, removeSqlFunction, sameArgs,
  sqlFunctionsNamed, type PlpgsqlSource, type SqlFunction,
} from "../catalog/sql-functions.js";
import { createFunctionText, quoteIdent, typeNameText } from "../plpgsql/source-text.js";
import { Oid, formatTypeName, isPolymorphic, typeInfo } from "../catalog/types.js";
import type { Engine } from "../engine.js";
import { addTypeUsers, qualifiedName, recordUndo } from "./enum-ddl.js";
import { readParamDefaults } from "./function-param-defaults.js";
import { sqlProcedureBlock } from "./sql-procedure.js";
import { dropAggregateDependents } from "./aggregate-admin.js";
import {
  checkConfigLanguage, configOf, securityDefinerOf, setClauses,
} from "./function-config.js";

interface Options {
  language: string | undefined;
  volatility: "i" | "s" | "v";
  strict: boolean;
  source: string | undefined;
}

function readOptions(stmt: ast.CreateFunctionStmt): Options {
  const out: Options = { language: undefined, volatility: "v", strict: false,
    source: undefined };
  for (const option of stmt.options ?? []) {
    if (!("DefElem" in option)) continue;
    const { defname, arg } = option.DefElem;
    const text = arg !== undefined && "String" in arg ? arg.String.sval ?? "" : "";
    if (defname === "language") out.language = text.toLowerCase();
    else if (defname === "volatility") {
      out.volatility = text === "immutable" ? "i" : text === "stable" ? "s" : "v";
    } else if (defname === "strict") {
      out.strict = arg !== undefined && "Boolean" in arg && arg.Boolean.boolval === true;
    } else if (defname === "as") {
      const items = arg !== undefined && "List" in arg ? arg.List.items ?? [] : [];
      if (items.length > 1) throw notSupported("functions with a link symbol (AS 'obj', 'sym')");
      const first = items[0];
      out.source = first !== undefined && "String" in first ? first.String.sval ?? "" : "";
    } else if (!["parallel", "leakproof", "cost", "rows", "security", "set"]
      .includes(defname ?? "")) {
      throw notSupported(`CREATE FUNCTION option ${(defname ?? "").toUpperCase()}`);
    }
  }
  return out;
}

/**
 * The body as one SelectStmt and its source text. A function that runs as a call (`asCall`:
 * SET clauses or SECURITY DEFINER) may have several statements; its body is then its last
 * SELECT, kept for dependencies (`plpgsql/sql-function-block.ts` runs the source).
 */
function bodyOf(stmt: ast.CreateFunctionStmt, options: Options, asCall: boolean):
  { body: ast.Node; source: string } {
  if (stmt.sql_body !== undefined) {
    const sqlBody = stmt.sql_body;
    if ("ReturnStmt" in sqlBody) {
      const body: ast.Node = { SelectStmt: { targetList: [{ ResTarget: {
        val: sqlBody.ReturnStmt.returnval! } }], limitOption: "LIMIT_OPTION_DEFAULT",
      op: "SETOP_NONE" } };
      return { body, source: "" };
    }
    const outer = "List" in sqlBody ? sqlBody.List.items ?? [] : [];
    const inner = outer.flatMap((n) => ("List" in n ? n.List.items ?? [] : [n]));
    if (inner.length !== 1 || !("SelectStmt" in inner[0]!)) {
      throw notSupported("BEGIN ATOMIC bodies other than a single SELECT");
    }
    return { body: inner[0]!, source: "" };
  }
  if (options.source === undefined) {
    throw new SqlError(SqlState.invalidFunctionDefinition, "no function body specified");
  }
  const statements = parseStatements(options.source);
  if (asCall && statements.length > 0) {
    const last = statements[statements.length - 1]!.stmt;
    return { body: "SelectStmt" in last ? last : emptyBody, source: options.source };
  }
  if (statements.length !== 1 || !("SelectStmt" in statements[0]!.stmt)) {
    throw notSupported("SQL function bodies other than a single SELECT");
  }
  const select = statements[0]!.stmt;
  if ("SelectStmt" in select && select.SelectStmt.intoClause !== undefined) {
    throw notSupported("SELECT INTO in a SQL function body");
  }
  return { body: select, source: options.source };
}

function checkType(type: number, what: string, plpgsql: boolean): void {
  // PL/pgSQL binds polymorphic types per call (`plpgsql/polymorphic.ts`).
  if (plpgsql && (isPolymorphic(type) || type === Oid.record)) return;
  if (isPolymorphic(type) || type === Oid.any || type === Oid.record) {
    throw notSupported(`SQL functions with ${what} of type ${formatTypeName(type, -1)}`);
  }
}

/** A polymorphic result needs a polymorphic argument to take its type from (42P13). */
function checkPolymorphicResult(argTypes: readonly number[], results: readonly number[]): void {
  const result = results.find(isPolymorphic);
  if (result === undefined || argTypes.some(isPolymorphic)) return;
  const name = formatTypeName(result, -1);
  throw new SqlError(SqlState.invalidFunctionDefinition, "cannot determine result data type",
    { detail: `A result of type ${name} requires at least one input of type anyelement, ` +
      "anyarray, anynonarray, anyenum, anyrange, or anymultirange." });
}

/** Parses a PL/pgSQL body, as PostgreSQL's validator compiles it when it is created. */
function parseBody(createSql: string, procedure: boolean): void {
  try {
    parsePlpgsql(createSql);
  } catch (error) {
    // The parser sees a procedure as a function returning void.
    if (procedure && error instanceof SqlError &&
      error.message === "RETURN cannot have a parameter in function returning void") {
      throw new SqlError(SqlState.syntaxError, "RETURN cannot have a parameter in a procedure");
    }
    throw error;
  }
}

interface Param {
  readonly name: string;
  readonly type: number;
  readonly typeName: ast.TypeName;
  /** i, o, b (INOUT), v (VARIADIC) or t (a RETURNS TABLE column). */
  readonly mode: "i" | "o" | "b" | "v" | "t";
  readonly defexpr: ast.Node | undefined;
}

const triggerOid = 2279;
const eventTriggerOid = 3838;

/** `trigger` and `event_trigger`, pseudo-types only a function's result may name. */
function pseudoType(typeName: ast.TypeName): number | undefined {
  const names = (typeName.names ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  const last = names[names.length - 1];
  if (names.length > 2 || (names.length === 2 && names[0] !== "pg_catalog")) return undefined;
  return last === "trigger" ? triggerOid : last === "event_trigger" ? eventTriggerOid : undefined;
}

const modes: Record<string, Param["mode"]> = { FUNC_PARAM_IN: "i", FUNC_PARAM_DEFAULT: "i",
  FUNC_PARAM_OUT: "o", FUNC_PARAM_INOUT: "b", FUNC_PARAM_TABLE: "t",
  FUNC_PARAM_VARIADIC: "v" };

function readParams(stmt: ast.CreateFunctionStmt, plpgsql: boolean,
  lookup: (s: string | undefined, n: string) => number | undefined): Param[] {
  return (stmt.parameters ?? []).map((p) => {
    if (!("FunctionParameter" in p)) throw notSupported("this function parameter");
    const param = p.FunctionParameter;
    const mode = modes[param.mode ?? "FUNC_PARAM_DEFAULT"];
    if (mode === undefined || (!plpgsql && (mode === "o" || mode === "b"))) {
      throw notSupported("OUT and INOUT parameters of SQL functions");
    }
    const type = resolveTypeName(param.argType!, lookup).type;
    checkType(type, mode === "t" || mode === "o" ? "a result column" : "an argument", plpgsql);
    return { name: param.name ?? "", type, typeName: param.argType!, mode,
      defexpr: param.defexpr };
  });
}

/** RETURNS: given, or made from OUT parameters (one: its type; several: record). */
function readReturns(stmt: ast.CreateFunctionStmt, all: readonly Param[], plpgsql: boolean,
  lookup: (s: string | undefined, n: string) => number | undefined):
  { setOf: boolean; returnType: number; returnTypeName: ast.TypeName; outColumns: Param[] } {
  const outs = all.filter((p) => p.mode === "o" || p.mode === "b");
  const table = all.filter((p) => p.mode === "t");
  const given = stmt.returnType;
  if (given === undefined && outs.length === 0) {
    throw new SqlError(SqlState.invalidFunctionDefinition,
      "function result type must be specified");
  }
  const setOf = given?.setof === true;
  if (given === undefined || (outs.length > 0 && table.length === 0)) {
    const single = outs.length === 1 ? outs[0]! : undefined;
    const recordName: ast.TypeName = { names: [{ String: { sval: "record" } }],
      typemod: -1 };
    return { setOf, returnType: single?.type ?? Oid.record,
      returnTypeName: single?.typeName ?? recordName, outColumns: single ? [] : outs };
  }
  const returnType = pseudoType(given) ?? resolveTypeName({ ...given, setof: false }, lookup).type;
  if (returnType === eventTriggerOid || (returnType === triggerOid && !plpgsql)) {
    throw notSupported(`${returnType === triggerOid ? "SQL" : "event"} trigger functions`);
  }
  if (returnType === triggerOid && all.length > 0) {
    throw new SqlError(SqlState.invalidFunctionDefinition,
      "trigger functions cannot have declared arguments",
      { hint: "The arguments of the trigger can be accessed through TG_NARGS and TG_ARGV " +
        "instead." });
  }
  if (table.length === 0) checkType(returnType, "a result", plpgsql);
  return { setOf, returnType, returnTypeName: { ...given, setof: false }, outColumns: table };
}

export function createFunction(engine: Engine, stmt: ast.CreateFunctionStmt,
  statement: StatementScope): string {
  const { catalog, path } = statement;
  const options = readOptions(stmt);
  const language = options.language ?? "sql";
  const procedure = stmt.is_procedure === true;
  // A LANGUAGE sql procedure runs as a PL/pgSQL block (`sql-procedure.ts`).
  const sqlProcedure = procedure && language === "sql";
  const plpgsql = language === "plpgsql" || sqlProcedure;
  if (sqlProcedure && stmt.sql_body !== undefined) {
    throw notSupported("BEGIN ATOMIC bodies of procedures");
  }
  if (sqlProcedure && options.source === undefined) {
    throw new SqlError(SqlState.invalidFunctionDefinition, "no function body specified");
  }
  if (procedure && !plpgsql) throw notSupported(`LANGUAGE ${language} procedures`);
  if (language !== "sql" && !plpgsql) {
    if (!["c", "internal"].includes(language)) {
      throw new SqlError(SqlState.undefinedObject, `language "${language}" does not exist`);
    }
    throw notSupported(`LANGUAGE ${language} functions`);
  }
  const { schema: given, name } = qualifiedName(stmt.funcname);
  const schema = given ?? catalog.creationSchema(path);
  if (!catalog.schemaExists(schema)) {
    throw new SqlError(SqlState.invalidSchemaName, `schema "${schema}" does not exist`);
  }
  const lookup = (s: string | undefined, n: string): number | undefined =>
    findRowType(catalog, path, s, n);
  const all = readParams(stmt, plpgsql, lookup);
  if (procedure) checkProcedureParams(all, sqlProcedure);
  const params = all.filter((p) => p.mode === "i" || p.mode === "b" || p.mode === "v");
  const variadic = variadicElement(params);
  const argDefaults = readParamDefaults(all, statement);
  const { setOf, returnType, returnTypeName, outColumns } = procedure ? procedureResult(all)
    : readReturns(stmt, all, plpgsql, lookup);
  checkPolymorphicResult(params.map((p) => p.type),
    [returnType, ...outColumns.map((c) => c.type)]);
  const config = configOf(setClauses(stmt.options), (n) => statement.ctx.setting(n));
  const securityDefiner = securityDefinerOf(stmt.options, false);
  const { body, source } = plpgsql ? { body: emptyBody, source: options.source ?? "" }
    : bodyOf(stmt, options, securityDefiner || config !== undefined);
  const argTypes = params.map((p) => p.type);
  const existing = allSqlFunctions(catalog)
    .find((f) => f.schema === schema && f.name === name && sameArgs(f.argTypes, argTypes));
  if (existing !== undefined) {
    if (stmt.replace !== true) {
      throw new SqlError(SqlState.duplicateFunction,
        `function "${name}" already exists with same argument types`);
    }
    if (existing.returnType !== returnType || existing.setOf !== setOf) {
      throw new SqlError(SqlState.invalidFunctionDefinition,
        "cannot change return type of existing function",
        { hint: `Use DROP FUNCTION ${signature(existing)} first.` });
    }
    if (procedure) checkSameOutParams(existing, outColumns);
  }
  const fn: SqlFunction = { oid: existing?.oid ?? catalog.allocateOid(), schema, name, argTypes,
    argTypeNames: params.map((p) => p.typeName), argNames: params.map((p) => p.name),
    returnType, returnTypeName,
    volatility: options.volatility, strict: options.strict,
    source: source === "" && !plpgsql ? sourceOf(body) : source, body, setOf,
    outColumns: outColumns.map(({ name: n, type, typeName }) => ({ name: n, type, typeName })),
    ...(plpgsql && { plpgsql: plpgsqlSource(name, all, stmt,
      sqlProcedure ? sqlProcedureBlock(source, outNames(all)) : source, sqlProcedure) }),
    ...(procedure && { procedure: true }), ...(argDefaults && { argDefaults }),
    ...(variadic !== undefined && { variadic }), ...(config !== undefined && { config }),
    ...(securityDefiner && { securityDefiner: true }) };
  checkConfigLanguage(fn);
  if (existing !== undefined) removeSqlFunction(catalog, existing);
  addSqlFunction(catalog, fn);
  recordUndo(engine, statement, () => {
    removeSqlFunction(catalog, fn);
    if (existing !== undefined) addSqlFunction(catalog, existing);
  });
  return procedure ? "CREATE PROCEDURE" : "CREATE FUNCTION";
}

/** The element type of a VARIADIC parameter, which must be the last input and an array. */
function variadicElement(params: readonly Param[]): number | undefined {
  const at = params.findIndex((p) => p.mode === "v");
  if (at < 0) return undefined;
  if (at !== params.length - 1) {
    throw new SqlError(SqlState.invalidFunctionDefinition,
      "VARIADIC parameter must be the last input parameter");
  }
  const element = typeInfo(params[at]!.type).elem;
  if (element === 0) {
    throw new SqlError(SqlState.invalidFunctionDefinition,
      "VARIADIC parameter must be an array");
  }
  return element;
}

interface ProcedureResult {
  readonly setOf: boolean;
  readonly returnType: number;
  readonly outColumns: Param[];
  readonly returnTypeName: ast.TypeName;
}

const voidResult: ProcedureResult = { setOf: false, returnType: Oid.void, outColumns: [],
  returnTypeName: { names: [{ String: { sval: "void" } }], typemod: -1 } };

/** A procedure returns void, or a record of its OUT and INOUT parameters (CALL's row). */
function procedureResult(all: readonly Param[]): ProcedureResult {
  const outs = all.filter((p) => p.mode === "o" || p.mode === "b");
  if (outs.length === 0) return voidResult;
  return { setOf: false, returnType: Oid.record, outColumns: outs,
    returnTypeName: { names: [{ String: { sval: "record" } }], typemod: -1 } };
}

/**
 * A procedure's OUT parameters (CALL passes them too) come before any VARIADIC one and
 * after no input with a DEFAULT, as PostgreSQL requires. A LANGUAGE sql procedure assigns
 * them from its last SELECT, by name (`sql-procedure.ts`).
 */
function checkProcedureParams(all: readonly Param[], languageSql: boolean): void {
  all.forEach((p, i) => {
    if (p.mode !== "o") return;
    if (all.slice(0, i).some((q) => q.mode === "v")) {
      throw new SqlError(SqlState.invalidFunctionDefinition,
        "VARIADIC parameter must be the last parameter");
    }
    if (all.slice(0, i).some((q) => q.defexpr !== undefined)) {
      throw new SqlError(SqlState.invalidFunctionDefinition,
        "procedure OUT parameters cannot appear after one with a default value");
    }
  });
  if (languageSql && all.some((p) => (p.mode === "o" || p.mode === "b") && p.name === "")) {
    throw notSupported("unnamed OUT parameters of LANGUAGE sql procedures");
  }
}

const emptyBody: ast.Node = { SelectStmt: { limitOption: "LIMIT_OPTION_DEFAULT",
  op: "SETOP_NONE" } };

const modeWords = { i: "", o: "OUT ", b: "INOUT ", v: "VARIADIC ", t: "" } as const;

/** What a PL/pgSQL function keeps; its body is parsed now, so syntax errors come at once. */
function plpgsqlSource(name: string, all: readonly Param[], stmt: ast.CreateFunctionStmt,
  body: string, languageSql: boolean): PlpgsqlSource {
  const text = (p: Param): string => `${p.name === "" ? "" : quoteIdent(p.name) + " "}` +
    typeNameText(p.typeName);
  const params = all.filter((p) => p.mode !== "t").map((p) =>
    `${modeWords[p.mode]}${text(p)}`);
  const table = all.filter((p) => p.mode === "t");
  const given = stmt.returnType;
  const outs = all.some((p) => p.mode === "o" || p.mode === "b");
  const returns = stmt.is_procedure === true ? (outs ? undefined : "void")
    : table.length > 0 ? `TABLE (${table.map(text).join(", ")})`
      : outs || given === undefined
        ? (given?.setof === true ? "SETOF record" : undefined)
        : `${given.setof === true ? "SETOF " : ""}${typeNameText(given)}`;
  const createSql = createFunctionText(name, params, returns, body);
  parseBody(createSql, stmt.is_procedure === true);
  const modes = all.map((p) => p.mode);
  // Datums: the parameters in order, then the TABLE columns.
  return { createSql, inArgs: [...all.filter((p) => p.mode !== "t")
    .map((p) => p.mode !== "o"), ...table.map(() => false)],
  argModes: modes.every((m) => m === "i") ? [] : modes, allArgTypes: all.map((p) => p.type),
  allArgNames: all.map((p) => p.name), ...(languageSql && { languageSql: true }) };
}

/** CREATE OR REPLACE PROCEDURE keeps the row its OUT and INOUT parameters make. */
function checkSameOutParams(existing: SqlFunction, outs: readonly Param[]): void {
  const before = existing.outColumns;
  if (before.length === outs.length && before.every((c, i) => c.name === outs[i]!.name &&
    c.type === outs[i]!.type)) return;
  throw new SqlError(SqlState.invalidFunctionDefinition,
    "cannot change return type of existing function", {
      detail: "Row type defined by OUT parameters is different.",
      hint: `Use DROP PROCEDURE ${signature(existing)} first.` });
}

/** The names of a procedure's OUT and INOUT parameters, in order. */
function outNames(all: readonly Param[]): string[] {
  return all.filter((p) => p.mode === "o" || p.mode === "b").map((p) => p.name);
}

/** prosrc of a SQL-standard body: Postgres keeps it empty; we keep nothing better. */
function sourceOf(_body: ast.Node): string {
  return "";
}

/** `name(integer, mood)`, as Postgres names a function in messages. */
export function signature(fn: { name: string; argTypes: readonly number[] }): string {
  return `${fn.name}(${fn.argTypes.map((t) => formatTypeName(t, -1)).join(", ")})`;
}

export function dropFunctions(engine: Engine, stmt: ast.DropStmt, statement: StatementScope,
  notice: (message: string) => void): string {
  const { catalog, path } = statement;
  const targets: SqlFunction[] = [];
  for (const object of stmt.objects ?? []) {
    if (!("ObjectWithArgs" in object)) throw notSupported("this DROP FUNCTION form");
    const found = findForDrop(catalog, path, object.ObjectWithArgs, stmt.missing_ok === true,
      notice);
    if (found !== undefined) targets.push(found);
  }
  dropAggregateDependents(engine, statement, targets, stmt.behavior === "DROP_CASCADE");
  for (const fn of targets) {
    removeSqlFunction(catalog, fn);
    recordUndo(engine, statement, () => addSqlFunction(catalog, fn));
  }
  return stmt.removeType === "OBJECT_PROCEDURE" ? "DROP PROCEDURE" : "DROP FUNCTION";
}

export function findForDrop(catalog: Catalog, path: readonly string[],
  object: ast.ObjectWithArgs, missingOk: boolean, notice: (message: string) => void):
  SqlFunction | undefined {
  const { schema, name } = qualifiedName(object.objname);
  const candidates = sqlFunctionsNamed(catalog, path, schema, name);
  if (object.args_unspecified === true) {
    if (candidates.length > 1) {
      throw new SqlError(SqlState.ambiguousFunction, `function name "${name}" is not unique`,
        { hint: "Specify the argument list to select the function unambiguously." });
    }
    if (candidates.length === 1) return candidates[0];
    if (missingOk) {
      notice(`function ${name}() does not exist, skipping`);
      return undefined;
    }
    throw new SqlError(SqlState.undefinedFunction,
      `could not find a function named "${name}"`);
  }
  const lookup = (s: string | undefined, n: string): number | undefined =>
    findRowType(catalog, path, s, n);
  const argTypes = (object.objargs ?? []).map((a) =>
    ("TypeName" in a ? resolveTypeName(a.TypeName, lookup).type : 0));
  // A procedure is named by its input parameters or by all of them, OUT ones too (as CALL
  // passes them); two procedures so named are ambiguous.
  const matching = candidates.filter((f) => sameArgs(f.argTypes, argTypes) ||
    sameArgs(procedureCallTypes(f), argTypes));
  if (matching.length > 1) {
    throw new SqlError(SqlState.ambiguousFunction, `procedure name "${name}" is not unique`);
  }
  const found = matching[0];
  if (found !== undefined) return found;
  const shown = signature({ name, argTypes });
  if (missingOk) {
    notice(`function ${shown} does not exist, skipping`);
    return undefined;
  }
  throw new SqlError(SqlState.undefinedFunction, `function ${shown} does not exist`);
}

// DROP TYPE refuses while a function takes or returns the type.
addTypeUsers((catalog, typeOids) => allSqlFunctions(catalog)
  .filter((f) => [...f.argTypes, f.returnType].some((t) => typeOids.includes(t)))
  .map((f) => `function ${signature(f)}`));
