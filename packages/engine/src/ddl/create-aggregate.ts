/**
 * CREATE [OR REPLACE] AGGREGATE, in the modern form `name (argtypes) (SFUNC = …, STYPE = …)`
 * and the old `name (BASETYPE = …, SFUNC = …, STYPE = …)`, with PostgreSQL's checks and
 * errors (DefineAggregate, AggregateCreate). The aggregate becomes a pg_proc row among the SQL
 * functions (prokind 'a') and a pg_aggregate row (`catalog/user-aggregates.ts`); calls are
 * analyzed by `analyze/user-aggregate-call.ts`. DROP / ALTER AGGREGATE: `aggregate-admin.ts`.
 *
 * Accepted and kept: SFUNC, STYPE, INITCOND, FINALFUNC, FINALFUNC_EXTRA, FINALFUNC_MODIFY,
 * COMBINEFUNC, SSPACE; accepted and ignored: PARALLEL, SORTOP. Refused with 0A000:
 * ordered-set and hypothetical aggregates, the moving-aggregate options (MSFUNC …), the
 * serialization functions and an `internal` state type.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { StatementScope } from "../analyze/scope.js";
import { resolveTypeName } from "../analyze/type-name.js";
import { findRowType } from "../catalog/row-types.js";
import {
  addSqlFunction, allSqlFunctions, removeSqlFunction, sameArgs, type SqlFunction,
} from "../catalog/sql-functions.js";
import { inputValue } from "../catalog/type-io.js";
import { Oid, formatTypeName, isPolymorphic } from "../catalog/types.js";
import {
  addUserAggregate, removeUserAggregate, userAggregateOf, type AggSupportFunction,
  type FinalModify, type UserAggregate,
} from "../catalog/user-aggregates.js";
import type { Engine } from "../engine.js";
import {
  binaryCoercible, findSupportFunction, polymorphicStateDetail, supportResult,
} from "./aggregate-support.js";
import { qualifiedName, recordUndo } from "./enum-ddl.js";

/** What the definition list says, before any lookup. */
interface Definition {
  sfunc?: string[];
  stype?: ast.TypeName;
  initcond?: string;
  finalfunc?: string[];
  combinefunc?: string[];
  finalExtra: boolean;
  finalModify: FinalModify;
  stateSpace: number;
  basetype?: ast.TypeName;
}

const ignored = new Set(["parallel", "sortop"]);
const moving = new Set(["msfunc", "minvfunc", "mstype", "msspace", "mfinalfunc",
  "mfinalfunc_extra", "mfinalfunc_modify", "minitcond"]);

/** Runs CREATE [OR REPLACE] AGGREGATE; `warn` raises PostgreSQL's WARNINGs. */
export function createAggregate(engine: Engine, stmt: ast.DefineStmt,
  statement: StatementScope, warn: (message: string) => void): string {
  const { catalog, path } = statement;
  const lookup = (s: string | undefined, n: string): number | undefined =>
    findRowType(catalog, path, s, n);
  const typeOf = (t: ast.TypeName): number => resolveTypeName(t, lookup).type;
  const definition = readDefinition(stmt.definition ?? [], warn);
  const { argTypes, argTypeNames } = readArguments(stmt, definition, typeOf);
  if (definition.stype === undefined) {
    throw new SqlError(SqlState.invalidFunctionDefinition, "aggregate stype must be specified");
  }
  if (definition.sfunc === undefined) {
    throw new SqlError(SqlState.invalidFunctionDefinition, "aggregate sfunc must be specified");
  }
  const stateType = typeOf(definition.stype);
  checkStateType(stateType, argTypes);
  const agg = supportFunctions(statement, definition, stateType, argTypes);
  const { schema: given, name } = qualifiedName(stmt.defnames);
  const schema = given ?? catalog.creationSchema(path);
  if (!catalog.schemaExists(schema)) {
    throw new SqlError(SqlState.invalidSchemaName, `schema "${schema}" does not exist`);
  }
  const returnType = agg.final === undefined ? stateType
    : supportResult(agg.final, [stateType, ...(agg.finalExtra ? argTypes : [])]);
  const existing = allSqlFunctions(catalog)
    .find((f) => f.schema === schema && f.name === name && sameArgs(f.argTypes, argTypes));
  checkReplace(existing, stmt.replace === true, name, returnType);
  const fn: SqlFunction = { oid: existing?.oid ?? catalog.allocateOid(), schema, name, argTypes,
    argTypeNames, argNames: argTypes.map(() => ""), returnType,
    returnTypeName: { typeOid: returnType, typemod: -1 }, volatility: "i", strict: false,
    source: "aggregate_dummy", body: emptyBody, setOf: false, outColumns: [], aggregate: true };
  const created: UserAggregate = { ...agg, oid: fn.oid };
  const previous = existing === undefined ? undefined : userAggregateOf(catalog, existing.oid);
  if (existing !== undefined) removeSqlFunction(catalog, existing);
  if (previous !== undefined) removeUserAggregate(catalog, previous);
  addSqlFunction(catalog, fn);
  addUserAggregate(catalog, created);
  recordUndo(engine, statement, () => {
    removeSqlFunction(catalog, fn);
    removeUserAggregate(catalog, created);
    if (existing !== undefined) addSqlFunction(catalog, existing);
    if (previous !== undefined) addUserAggregate(catalog, previous);
  });
  return "CREATE AGGREGATE";
}

const emptyBody: ast.Node = { SelectStmt: { limitOption: "LIMIT_OPTION_DEFAULT",
  op: "SETOP_NONE" } };

/** Reads the definition list (`SFUNC = f, STYPE = t …`). */
function readDefinition(items: readonly ast.Node[], warn: (message: string) => void):
  Definition {
  const out: Definition = { finalExtra: false, finalModify: "r", stateSpace: 0 };
  for (const item of items) {
    if (!("DefElem" in item)) continue;
    const { defname, arg } = item.DefElem;
    const key = (defname ?? "").toLowerCase();
    if (key === "sfunc" || key === "sfunc1") out.sfunc = namesOf(arg);
    else if (key === "stype" || key === "stype1") out.stype = typeArg(arg, key);
    else if (key === "initcond" || key === "initcond1") out.initcond = textOf(arg);
    else if (key === "finalfunc") out.finalfunc = namesOf(arg);
    else if (key === "combinefunc") out.combinefunc = namesOf(arg);
    else if (key === "finalfunc_extra") out.finalExtra = booleanOf(arg);
    else if (key === "finalfunc_modify") out.finalModify = modifyOf(arg);
    else if (key === "sspace") out.stateSpace = Number(textOf(arg));
    else if (key === "basetype") out.basetype = typeArg(arg, key);
    else if (key === "hypothetical") throw notSupported("hypothetical-set aggregates");
    else if (moving.has(key)) {
      throw notSupported(`moving-aggregate mode (${key.toUpperCase()})`);
    } else if (key === "serialfunc" || key === "deserialfunc") {
      throw notSupported("aggregate serialization functions");
    } else if (!ignored.has(key)) warn(`aggregate attribute "${defname}" not recognized`);
  }
  return out;
}

function namesOf(arg: ast.Node | undefined): string[] {
  if (arg !== undefined && "TypeName" in arg) {
    return (arg.TypeName.names ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  }
  if (arg !== undefined && "List" in arg) {
    return (arg.List.items ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  }
  return [textOf(arg)];
}

function typeArg(arg: ast.Node | undefined, key: string): ast.TypeName {
  if (arg !== undefined && "TypeName" in arg) return arg.TypeName;
  const text = textOf(arg);
  if (text === "") {
    throw new SqlError(SqlState.syntaxError, `${key} requires a parameter`);
  }
  return { names: [{ String: { sval: text } }], typemod: -1 };
}

function textOf(arg: ast.Node | undefined): string {
  if (arg === undefined) return "";
  if ("String" in arg) return arg.String.sval ?? "";
  if ("Integer" in arg) return String(arg.Integer.ival ?? 0);
  if ("Float" in arg) return arg.Float.fval ?? "";
  if ("TypeName" in arg) {
    return (arg.TypeName.names ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""))
      .join(".");
  }
  return "";
}

function booleanOf(arg: ast.Node | undefined): boolean {
  if (arg === undefined) return true;
  if ("Boolean" in arg) return arg.Boolean.boolval === true;
  const text = textOf(arg).toLowerCase();
  return !["false", "off", "0", "no"].includes(text);
}

function modifyOf(arg: ast.Node | undefined): FinalModify {
  const text = textOf(arg).toLowerCase();
  const found = ({ read_only: "r", shareable: "s", read_write: "w" } as const)[
    text as "read_only" | "shareable" | "read_write"];
  if (found === undefined) {
    throw new SqlError(SqlState.syntaxError,
      "parameter \"finalfunc_modify\" must be READ_ONLY, SHAREABLE, or READ_WRITE");
  }
  return found;
}

/** The argument types: the list after the name, or old style's BASETYPE ('ANY': none). */
function readArguments(stmt: ast.DefineStmt, definition: Definition,
  typeOf: (t: ast.TypeName) => number): { argTypes: number[]; argTypeNames: ast.TypeName[] } {
  if (stmt.oldstyle === true) {
    const base = definition.basetype;
    if (base === undefined) {
      throw new SqlError(SqlState.invalidFunctionDefinition,
        "aggregate input type must be specified");
    }
    const names = (base.names ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
    if (names.length === 1 && names[0]!.toLowerCase() === "any") {
      return { argTypes: [], argTypeNames: [] };
    }
    return { argTypes: [typeOf(base)], argTypeNames: [base] };
  }
  if (definition.basetype !== undefined) {
    throw new SqlError(SqlState.invalidFunctionDefinition,
      "basetype is redundant with aggregate input type specification");
  }
  const [list, direct] = stmt.args ?? [];
  const ordered = direct !== undefined && "Integer" in direct && (direct.Integer.ival ?? 0) !== -1;
  if (ordered) throw notSupported("ordered-set aggregates (CREATE AGGREGATE … ORDER BY)");
  const params = list !== undefined && "List" in list ? list.List.items ?? [] : [];
  const typeNames = params.flatMap((p) => {
    if (!("FunctionParameter" in p)) return [];
    const mode = p.FunctionParameter.mode ?? "FUNC_PARAM_DEFAULT";
    if (mode === "FUNC_PARAM_VARIADIC") throw notSupported("VARIADIC aggregate arguments");
    if (mode === "FUNC_PARAM_OUT" || mode === "FUNC_PARAM_INOUT") {
      throw new SqlError(SqlState.invalidFunctionDefinition,
        "aggregates cannot have output arguments");
    }
    return [p.FunctionParameter.argType!];
  });
  return { argTypes: typeNames.map(typeOf), argTypeNames: typeNames };
}

/** A polymorphic state type needs a polymorphic input; `internal` is not supported. */
function checkStateType(stateType: number, argTypes: readonly number[]): void {
  if (stateType === Oid.internal) throw notSupported("aggregates with transition type internal");
  if (isPolymorphic(stateType) && !argTypes.some(isPolymorphic)) {
    throw new SqlError(SqlState.invalidFunctionDefinition,
      "cannot determine transition data type",
      { detail: polymorphicStateDetail.replace("%s", formatTypeName(stateType, -1)) });
  }
}

type Support = Omit<UserAggregate, "oid">;

/** Looks up SFUNC, FINALFUNC and COMBINEFUNC and checks them as AggregateCreate does. */
function supportFunctions(statement: StatementScope, definition: Definition,
  stateType: number, argTypes: readonly number[]): Support {
  const transition = findSupportFunction(statement, definition.sfunc!, [stateType, ...argTypes]);
  const stateInputs = [stateType, ...argTypes];
  if (supportResult(transition, stateInputs) !== stateType) {
    throw new SqlError(SqlState.datatypeMismatch, `return type of transition function ` +
      `${definition.sfunc!.join(".")} is not ${formatTypeName(stateType, -1)}`);
  }
  const initText = definition.initcond ?? null;
  if (initText === null && transition.strict &&
    (argTypes.length === 0 || !binaryCoercible(argTypes[0]!, stateType))) {
    throw new SqlError(SqlState.invalidFunctionDefinition, "must not omit initial value when " +
      "transition function is strict and transition type is not compatible with input type");
  }
  // An initial value of a known type is read now, so bad input fails here (22P02).
  if (initText !== null && !isPolymorphic(stateType)) inputValue(stateType, initText, -1);
  const final = definition.finalfunc === undefined ? undefined
    : findSupportFunction(statement, definition.finalfunc,
      [stateType, ...(definition.finalExtra ? argTypes : [])]);
  const combine = definition.combinefunc === undefined ? undefined
    : combineFunction(statement, definition.combinefunc, stateType);
  return { transition, final, combine, finalExtra: definition.finalExtra,
    finalModify: definition.finalModify, stateType, initText,
    stateSpace: definition.stateSpace };
}

function combineFunction(statement: StatementScope, names: readonly string[],
  stateType: number): AggSupportFunction {
  const combine = findSupportFunction(statement, names, [stateType, stateType]);
  if (supportResult(combine, [stateType, stateType]) !== stateType) {
    throw new SqlError(SqlState.datatypeMismatch, `return type of combine function ` +
      `${names.join(".")} is not ${formatTypeName(stateType, -1)}`);
  }
  return combine;
}

/** 42723 for a second aggregate of the same identity; OR REPLACE keeps kind and result. */
function checkReplace(existing: SqlFunction | undefined, replace: boolean, name: string,
  returnType: number): void {
  if (existing === undefined) return;
  if (!replace) {
    throw new SqlError(SqlState.duplicateFunction,
      `function "${name}" already exists with same argument types`);
  }
  if (existing.aggregate !== true) {
    throw new SqlError(SqlState.wrongObjectType, "cannot change routine kind",
      { detail: `"${name}" is a ${existing.procedure === true ? "procedure" : "function"}.` });
  }
  if (existing.returnType !== returnType) {
    const args = existing.argTypes.map((t) => formatTypeName(t, -1)).join(", ");
    throw new SqlError(SqlState.invalidFunctionDefinition,
      "cannot change return type of existing function",
      { hint: `Use DROP AGGREGATE ${name}(${args}) first.` });
  }
}
