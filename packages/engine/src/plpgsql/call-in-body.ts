/**
 * CALL p(args) inside a PL/pgSQL body: the arguments are evaluated with the frame's variables
 * as parameters, the host finds the procedure (`PlHost.procedure`), and its body runs nested
 * on the same host, inside the calling statement. Procedures have no OUT or INOUT
 * parameters here (CREATE PROCEDURE refuses them), so nothing is written back.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { Oid } from "../catalog/types.js";
import { callFunction } from "./call.js";
import type { Step } from "./drive.js";
import { runParsed } from "./evaluate.js";
import { parsedExpr, type ParsedExpr } from "./expressions.js";
import type { Frame } from "./frame.js";
import type { Stmt } from "./tree.js";

type CallStmt = Extract<Stmt, { kind: "call" }>;

/** Runs one CALL statement of a body. */
export function* execCall(frame: Frame, stmt: CallStmt): Step<undefined> {
  const parsed = parsedExpr(stmt.expr, (n) => frame.isRecord(n));
  const call = "CallStmt" in parsed.stmt ? parsed.stmt.CallStmt.funccall : undefined;
  if (call === undefined) throw new SqlError(SqlState.syntaxError, "CALL without a procedure");
  if (frame.host.procedure === undefined) throw notSupported("CALL inside PL/pgSQL here");
  const raw = call.args ?? [];
  if (raw.some((a) => "NamedArgExpr" in a)) throw notSupported("named arguments in CALL");
  const names = (call.funcname ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  const select = (targets: ast.Node[]): ParsedExpr => ({ refs: parsed.refs, subscripts: [],
    stmt: { SelectStmt: { targetList: targets.map((val) => ({ ResTarget: { val } })),
      limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" } } });
  const plain = raw.length === 0 ? undefined : yield* runParsed(frame, select(raw));
  // A quoted literal is of type unknown until a parameter type is chosen.
  const types = (plain?.columns ?? []).map((c, i) => {
    const arg = raw[i];
    return arg !== undefined && "A_Const" in arg && arg.A_Const.sval !== undefined
      ? Oid.unknown : c.type;
  });
  const { fn, argTypeNames } = frame.host.procedure(names, types);
  const args = raw.length === 0 ? [] : (yield* runParsed(frame, select(raw.map((arg, i) =>
    ({ TypeCast: { arg, typeName: argTypeNames[i]! } }))))).rows[0] ?? [];
  yield* callFunction(fn, frame.host, { setOf: false, type: Oid.void, columns: undefined },
    [...args]);
  return undefined;
}
