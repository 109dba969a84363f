/**
 * The PL/pgSQL statements that run SQL or talk to the client: SQL statements with INTO
 * [STRICT], PERFORM, EXECUTE … [INTO] [USING], FOR over a query, RETURN / RETURN NEXT /
 * RETURN QUERY, RAISE, ASSERT, GET DIAGNOSTICS and cursors (`cursors.ts`), with
 * PostgreSQL's errors and the CONTEXT lines it adds (`PL/pgSQL function f(integer) line 3
 * at RAISE`).
 */
import { SqlError, SqlState, isSqlError } from "@tessera/base";
import { parseStatements, type PgRecord, type Value } from "@tessera/sql";
import { Oid, formatTypeName } from "../catalog/types.js";
import { baseTypeOf } from "../catalog/domains.js";
import { conditionCodesOf } from "./conditions.js";
import { execClose, execFetch, execForc, execOpen, type OpenedQuery } from "./cursors.js";
import { wait, type Step } from "./drive.js";
import { evalExpr, evalText, paramsOf, runParsed } from "./evaluate.js";
import { parsedExpr, type ParsedExpr } from "./expressions.js";
import { recordFields, type Frame, type Typed } from "./frame.js";
import type { QueryColumn, QueryResult } from "./host.js";
import type { Flow } from "./interpreter.js";
import { loop } from "./interpreter.js";
import { isUncatchable, markUncatchable } from "./uncatchable.js";
import { execCall } from "./call-in-body.js";
import { statementName, type Into, type PlExpr, type Stmt } from "./tree.js";

type StmtOf<K extends Stmt["kind"]> = Extract<Stmt, { kind: K }>;
type ExecList = (frame: Frame, stmts: readonly Stmt[]) => Step<Flow>;

const annotated = new WeakSet<Error>();

/** Adds `PL/pgSQL function f(…) line n at X` to an error leaving `stmt`, once per call. */
export function withContext(error: unknown, frame: Frame, stmt: Stmt): unknown {
  if (!isSqlError(error) || annotated.has(error)) return error;
  const line = `PL/pgSQL function ${frame.fn.signature} line ${stmt.line} at ` +
    statementName(stmt);
  const out = addWhere(error, line);
  annotated.add(out);
  return out;
}

/** The error with one more CONTEXT line. */
export function addWhere(error: SqlError, line: string): SqlError {
  const where = error.fields.where === undefined ? line : `${error.fields.where}\n${line}`;
  const out = new SqlError(error.code, error.message, { ...error.fields, where,
    severity: error.severity });
  if (error.stack !== undefined) out.stack = error.stack;
  return isUncatchable(error) ? markUncatchable(out) : out;
}

/** Runs a statement's query; errors from it get `SQL statement "…"`. */
function* runStatement(frame: Frame, parsed: ParsedExpr, text: string): Step<QueryResult> {
  try {
    return yield* runParsed(frame, parsed);
  } catch (error) {
    if (isSqlError(error)) throw addWhere(error, `SQL statement "${text}"`);
    throw error;
  }
}

export function* execSqlStatement(frame: Frame, stmt: Stmt, execList: ExecList): Step<Flow> {
  switch (stmt.kind) {
    case "execsql": return yield* execSql(frame, stmt);
    case "perform": {
      const result = yield* runStatement(frame, parse(frame, stmt.expr), stmt.expr.query);
      frame.counted(result, true);
      return undefined;
    }
    case "dynexecute": return yield* execDynamic(frame, stmt);
    case "fors": return yield* execFors(frame, stmt, execList);
    case "return": return yield* execReturn(frame, stmt);
    case "returnNext": return yield* execReturnNext(frame, stmt);
    case "returnQuery": return yield* execReturnQuery(frame, stmt);
    case "raise": return yield* execRaise(frame, stmt);
    case "assert": return yield* execAssert(frame, stmt);
    case "getdiag": return execGetDiagnostics(frame, stmt);
    case "open":
      return yield* execOpen(frame, stmt, function* (f, open) {
        if (open.dynquery !== undefined) {
          return yield* runDynamicQuery(f, open.dynquery, open.params);
        }
        const parsed = parse(f, open.query!);
        return { result: yield* runStatement(f, parsed, open.query!.query), stmt: parsed.stmt,
          text: open.query!.query };
      });
    case "fetch": return yield* execFetch(frame, stmt);
    case "close": return execClose(frame, stmt);
    case "forc": return yield* execForc(frame, stmt, execList);
    case "call": return yield* execCall(frame, stmt);
    default:
      throw new SqlError(SqlState.featureNotSupported,
        `PL/pgSQL statement ${statementName(stmt)} is not supported`);
  }
}

function parse(frame: Frame, expr: PlExpr): ParsedExpr {
  return parsedExpr(expr, (n) => frame.isRecord(n));
}

function* execSql(frame: Frame, stmt: StmtOf<"execsql">): Step<Flow> {
  const result = yield* runStatement(frame, parse(frame, stmt.query), stmt.query.query);
  if (stmt.into === undefined) {
    if (result.returnsRows) {
      throw new SqlError(SqlState.syntaxError, "query has no destination for result data",
        { hint: "If you want to discard the results of a SELECT, use PERFORM instead." });
    }
    frame.counted(result, true);
    return undefined;
  }
  storeInto(frame, stmt.into, result, true);
  return undefined;
}

/** SELECT … INTO: the first row into the target, FOUND and ROW_COUNT; STRICT checks. */
function storeInto(frame: Frame, into: Into, result: QueryResult, setFound: boolean): void {
  if (!result.returnsRows) {
    throw new SqlError(SqlState.syntaxError, "INTO used with a command that cannot return data");
  }
  const n = result.rows.length;
  if (into.strict && n === 0) {
    throw new SqlError("P0002", "query returned no rows");
  }
  if (n > 1 && (into.strict || result.command !== "SELECT")) {
    throw new SqlError("P0003", "query returned more than one row",
      { hint: "Make sure the query returns a single row, or use LIMIT 1." });
  }
  frame.assignFromRow(into.target, result.rows[0], result.columns);
  frame.rowCount = n;
  if (setFound) frame.setFound(n > 0);
}

/** EXECUTE's query string and USING values as a statement with parameters. */
function* dynamic(frame: Frame, query: PlExpr, using: readonly PlExpr[]):
  Step<{ parsed: ParsedExpr; text: string; values: Typed[] }> {
  const text = yield* evalText(frame, query);
  if (text === null) {
    throw new SqlError(SqlState.nullValueNotAllowed,
      "query string argument of EXECUTE is null");
  }
  const values: Typed[] = [];
  for (const p of using) values.push(yield* evalExpr(frame, p));
  const statements = parseStatements(text);
  if (statements.length !== 1) {
    throw new SqlError(SqlState.featureNotSupported,
      "EXECUTE of a string holding other than one statement is not supported");
  }
  return { parsed: { stmt: statements[0]!.stmt, refs: [], subscripts: [] }, text, values };
}

function* runDynamic(frame: Frame, query: PlExpr, using: readonly PlExpr[]):
  Step<QueryResult> {
  return (yield* runDynamicQuery(frame, query, using)).result;
}

/** EXECUTE's statement run: its result, the statement and its text. */
function* runDynamicQuery(frame: Frame, query: PlExpr, using: readonly PlExpr[]):
  Step<OpenedQuery> {
  const { parsed, text, values } = yield* dynamic(frame, query, using);
  try {
    checkParamNumbers(parsed.stmt, values.length);
    const result = yield* wait(frame.host.query({ stmt: parsed.stmt, cacheKey: undefined,
      params: values.map((v) => v.value),
      paramTypes: values.map((v) => (v.type === Oid.unknown ? Oid.text : v.type)) }));
    return { result, stmt: parsed.stmt, text };
  } catch (error) {
    if (isSqlError(error)) throw addWhere(error, `SQL statement "${text}"`);
    throw error;
  }
}

/** EXECUTE … USING gives the statement exactly its USING values: `$n` past them is 42P02. */
function checkParamNumbers(node: unknown, count: number): void {
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const item of node) checkParamNumbers(item, count);
    return;
  }
  const ref = (node as { ParamRef?: { number?: number } }).ParamRef;
  if (ref !== undefined && (ref.number ?? 0) > count) {
    throw new SqlError(SqlState.undefinedParameter, `there is no parameter $${ref.number}`);
  }
  for (const value of Object.values(node)) checkParamNumbers(value, count);
}

function* execDynamic(frame: Frame, stmt: StmtOf<"dynexecute">): Step<Flow> {
  const result = yield* runDynamic(frame, stmt.query, stmt.params);
  if (stmt.into !== undefined) {
    storeInto(frame, stmt.into, result, false);
  } else {
    frame.rowCount = result.rowCount;
  }
  return undefined;
}

function* execFors(frame: Frame, stmt: StmtOf<"fors">, execList: ExecList): Step<Flow> {
  const result = stmt.query !== undefined
    ? yield* runStatement(frame, parse(frame, stmt.query), stmt.query.query)
    : yield* runDynamic(frame, stmt.dynquery!, stmt.params);
  // PostgreSQL's loop reads through a portal, which takes the next `<unnamed portal n>`.
  frame.cursors.unnamedName();
  let at = 0;
  const flow = yield* loop(frame, stmt.label, function* () {
    frame.assignFromRow(stmt.target, result.rows[at++], result.columns);
    return yield* execList(frame, stmt.body);
  }, function* () {
    return at < result.rows.length;
  });
  frame.setFound(at > 0);
  return flow;
}

function* execReturn(frame: Frame, stmt: StmtOf<"return">): Step<Flow> {
  frame.returned = true;
  if (frame.shape.setOf) return { kind: "return" };
  if (stmt.retvarno !== undefined || stmt.expr !== undefined) {
    const v = stmt.retvarno !== undefined ? frame.read(stmt.retvarno)
      : yield* evalExpr(frame, stmt.expr!);
    const composite = frame.shape.columns !== undefined || frame.shape.type === Oid.record;
    if (composite && v.value !== null && !isRecordValue(v.value)) {
      throw new SqlError(SqlState.datatypeMismatch,
        "cannot return non-composite value from function returning composite type");
    }
    frame.returnValue = frame.shape.columns !== undefined
      ? matchingRecord(v.value, frame.shape.columns) : convert(frame, v, frame.shape.type);
  } else {
    frame.returnValue = null;
  }
  return { kind: "return" };
}

/**
 * A record returned for a row result: its fields must have the result's column types, as
 * PostgreSQL's convert_tuples_by_position demands (no casts on the way out).
 */
function isRecordValue(value: Value): value is PgRecord {
  return value !== null && typeof value === "object" && "kind" in value &&
    value.kind === "record";
}

function matchingRecord(value: Value, columns: readonly QueryColumn[]): Value {
  if (!isRecordValue(value)) return value;
  const mismatch = (detail: string): SqlError => new SqlError(SqlState.datatypeMismatch,
    "returned record type does not match expected record type", { detail });
  if (value.fields.length !== columns.length) {
    throw mismatch(`Number of returned columns (${value.fields.length}) does not match ` +
      `expected column count (${columns.length}).`);
  }
  columns.forEach((c, i) => {
    const t = value.types[i] ?? Oid.unknown;
    if (t !== Oid.unknown && t !== c.type) {
      throw mismatch(`Returned type ${formatTypeName(t, -1)} does not match expected type ` +
        `${formatTypeName(c.type, -1)} in column ${i + 1}.`);
    }
  });
  return value;
}

function convert(frame: Frame, v: Typed, type: number): Value {
  const base = baseTypeOf(type).type;
  if (base !== type && v.type !== type) {
    // A domain result: its constraints hold for every value, null included.
    return frame.host.cast(convert(frame, v, base), base, type, -1);
  }
  if (v.value === null || v.type === type || type === Oid.void || type === Oid.record) {
    return type === Oid.void ? null : v.value;
  }
  return frame.host.cast(v.value, v.type, type, -1);
}

/** One result row from a value: its fields for a row result, else itself. */
function resultRow(frame: Frame, v: Typed): Value[] {
  const columns = frame.shape.columns;
  if (columns === undefined) return [convert(frame, v, frame.shape.type)];
  const fields = recordFields(v.value, columns.length);
  const wrong = (detail: string): SqlError => new SqlError(SqlState.datatypeMismatch,
    "wrong record type supplied in RETURN NEXT", { detail });
  if (fields.length !== columns.length) {
    throw wrong(`Number of returned columns (${fields.length}) does not match expected ` +
      `column count (${columns.length}).`);
  }
  // A row value's fields must have the column types already (convert_tuples_by_position).
  if (v.value !== null) {
    columns.forEach((c, i) => {
      const t = fields[i]!.type;
      if (t === Oid.unknown || t === c.type) return;
      throw wrong(`Returned type ${formatTypeName(t, -1)} does not match expected type ` +
        `${formatTypeName(c.type, -1)} in column ${i + 1}.`);
    });
  }
  return columns.map((c, i) => convert(frame, fields[i]!, c.type));
}

function* execReturnNext(frame: Frame, stmt: StmtOf<"returnNext">): Step<Flow> {
  if (!frame.shape.setOf) {
    throw new SqlError(SqlState.datatypeMismatch,
      "cannot use RETURN NEXT in a non-SETOF function");
  }
  const v = stmt.retvarno !== undefined ? frame.read(stmt.retvarno)
    : stmt.expr !== undefined ? yield* evalExpr(frame, stmt.expr)
      : frame.fn.outVarno !== undefined ? frame.read(frame.fn.outVarno)
        : { value: null, type: Oid.unknown };
  const varno = stmt.retvarno;
  if (varno !== undefined && v.value === null && frame.isUnassignedRecord(varno)) {
    throw new SqlError(SqlState.objectNotInPrerequisiteState,
      `record "${frame.name(varno)}" is not assigned yet`,
      { detail: "The tuple structure of a not-yet-assigned record is indeterminate." });
  }
  frame.results.push(resultRow(frame, v));
  return undefined;
}

function* execReturnQuery(frame: Frame, stmt: StmtOf<"returnQuery">): Step<Flow> {
  if (!frame.shape.setOf) {
    throw new SqlError(SqlState.datatypeMismatch,
      "cannot use RETURN QUERY in a non-SETOF function");
  }
  const result = stmt.query !== undefined
    ? yield* runStatement(frame, parse(frame, stmt.query), stmt.query.query)
    : yield* runDynamic(frame, stmt.dynquery!, stmt.params);
  const width = frame.shape.columns?.length ?? 1;
  if (result.columns.length !== width) {
    throw new SqlError(SqlState.datatypeMismatch,
      "structure of query does not match function result type",
      { detail: `Number of returned columns (${result.columns.length}) does not match ` +
        `expected column count (${width}).` });
  }
  const types = result.columns.map((c) => c.type);
  const targets = frame.shape.columns?.map((c) => c.type) ?? [frame.shape.type];
  // As PostgreSQL's convert_tuples_by_position: each column of exactly the result's type.
  targets.forEach((t, i) => {
    const given = types[i]!;
    if (given === t || given === Oid.unknown || t === Oid.record) return;
    throw new SqlError(SqlState.datatypeMismatch,
      "structure of query does not match function result type",
      { detail: `Returned type ${formatTypeName(given, -1)} does not match expected type ` +
        `${formatTypeName(t, -1)} in column ${i + 1}.` });
  });
  for (const row of result.rows) {
    frame.results.push(targets.map((t, i) => convert(frame,
      { value: (row[i] ?? null) as Value, type: types[i]! }, t)));
  }
  frame.counted(result, true);
  return undefined;
}

const levels: Record<number, "NOTICE" | "WARNING" | "INFO" | "LOG" | "DEBUG"> = {
  14: "DEBUG", 15: "LOG", 17: "INFO", 18: "NOTICE", 19: "WARNING" };

function* execRaise(frame: Frame, stmt: StmtOf<"raise">): Step<Flow> {
  if (stmt.condname === undefined && stmt.message === undefined && stmt.options.length === 0) {
    const current = frame.handling[frame.handling.length - 1];
    if (current === undefined) {
      throw new SqlError("0Z002",
        "RAISE without parameters cannot be used outside an exception handler");
    }
    throw current;
  }
  let code = stmt.condname === undefined ? undefined : conditionOf(stmt.condname);
  let message = stmt.message === undefined ? undefined : yield* format(frame, stmt);
  const fields: Record<string, string> = {};
  for (const option of stmt.options) {
    const text = yield* evalText(frame, option.expr);
    if (text === null) {
      throw new SqlError(SqlState.nullValueNotAllowed,
        `RAISE statement option cannot be null`);
    }
    const given = option.name === "errcode" ? code : option.name === "message" ? message
      : fields[option.name];
    if (given !== undefined) {
      throw new SqlError(SqlState.syntaxError,
        `RAISE option already specified: ${option.name.toUpperCase()}`);
    }
    if (option.name === "errcode") code = conditionOf(text);
    else if (option.name === "message") message = text;
    else fields[option.name] = text;
  }
  message ??= stmt.condname;
  const level = stmt.level >= 20 ? "ERROR" : levels[stmt.level] ?? "NOTICE";
  const error = new SqlError(code ?? (level === "ERROR" ? "P0001" : "00000"),
    message ?? code ?? "", {
      severity: level,
      ...(fields["detail"] !== undefined && { detail: fields["detail"] }),
      ...(fields["hint"] !== undefined && { hint: fields["hint"] }),
      ...(fields["column"] !== undefined && { column: fields["column"] }),
      ...(fields["constraint"] !== undefined && { constraint: fields["constraint"] }),
      ...(fields["datatype"] !== undefined && { dataType: fields["datatype"] }),
      ...(fields["table"] !== undefined && { table: fields["table"] }),
      ...(fields["schema"] !== undefined && { schema: fields["schema"] }),
    });
  if (level === "ERROR") throw error;
  if (level !== "LOG" && level !== "DEBUG") frame.host.notice(withContext(error, frame,
    stmt) as SqlError);
  return undefined;
}

/** A condition name or a five-character SQLSTATE as a code. */
function conditionOf(name: string): string {
  if (/^[0-9A-Z]{5}$/.test(name)) return name;
  const code = conditionCodesOf(name)[0];
  if (code === undefined) {
    throw new SqlError(SqlState.undefinedObject, `unrecognized exception condition "${name}"`);
  }
  return code;
}

/** RAISE's message with each `%` replaced by the next parameter (`%%` is a `%`). */
function* format(frame: Frame, stmt: StmtOf<"raise">): Step<string> {
  const template = stmt.message ?? "";
  let out = "";
  let next = 0;
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== "%") {
      out += c;
      continue;
    }
    if (template[i + 1] === "%") {
      out += "%";
      i++;
      continue;
    }
    const param = stmt.params[next++];
    if (param === undefined) {
      throw new SqlError(SqlState.syntaxError, "too few parameters specified for RAISE");
    }
    const v = yield* evalExpr(frame, param);
    out += v.value === null ? "<NULL>" : frame.host.text(v.value, v.type);
  }
  if (next < stmt.params.length) {
    throw new SqlError(SqlState.syntaxError, "too many parameters specified for RAISE");
  }
  return out;
}

function* execAssert(frame: Frame, stmt: StmtOf<"assert">): Step<Flow> {
  const v = yield* evalExpr(frame, stmt.cond);
  if (v.value === true) return undefined;
  const message = stmt.message === undefined ? null : yield* evalText(frame, stmt.message);
  throw new SqlError("P0004", message ?? "assertion failed");
}

function execGetDiagnostics(frame: Frame, stmt: StmtOf<"getdiag">): Flow {
  const error = frame.handling[frame.handling.length - 1];
  if (stmt.stacked && error === undefined) {
    throw new SqlError("0Z002",
      "GET STACKED DIAGNOSTICS cannot be used outside an exception handler");
  }
  for (const item of stmt.items) {
    const value = diagnostic(frame, item.kind, stmt.stacked ? error : undefined, stmt.line);
    frame.assign(item.target, value.value, value.type);
  }
  return undefined;
}

function diagnostic(frame: Frame, kind: string, error: SqlError | undefined,
  line: number): Typed {
  const text = (v: string | undefined): Typed => ({ value: v ?? "", type: Oid.text });
  switch (kind) {
    case "ROW_COUNT": return { value: BigInt(frame.rowCount), type: Oid.int8 };
    case "PG_CONTEXT": return text(`PL/pgSQL function ${frame.fn.signature} line ${line} at GET ` +
      "DIAGNOSTICS");
    case "RETURNED_SQLSTATE": return text(error?.code);
    case "MESSAGE_TEXT": return text(error?.message);
    case "PG_EXCEPTION_DETAIL": return text(error?.detail);
    case "PG_EXCEPTION_HINT": return text(error?.hint);
    case "PG_EXCEPTION_CONTEXT": return text(error?.fields.where);
    case "COLUMN_NAME": return text(error?.fields.column);
    case "CONSTRAINT_NAME": return text(error?.fields.constraint);
    case "PG_DATATYPE_NAME": return text(error?.fields.dataType);
    case "TABLE_NAME": return text(error?.fields.table);
    case "SCHEMA_NAME": return text(error?.fields.schema);
    default:
      throw new SqlError(SqlState.featureNotSupported,
        `GET DIAGNOSTICS item ${kind} is not supported`);
  }
}

export { paramsOf };
