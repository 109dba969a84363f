/**
 * CALL p(args) inside a PL/pgSQL body: the arguments are evaluated with the frame's variables
 * as parameters, the host finds the procedure (`PlHost.procedure`, by all the arguments a
 * CALL passes, OUT ones too: `procedure-args.ts`), and its body runs nested on the same
 * host, inside the calling statement. An OUT or INOUT parameter's argument must be a
 * variable (42601 otherwise, as PostgreSQL's make_callstmt_target): the procedure's final
 * value of the parameter is assigned to it.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { argNamesOf, argValue } from "../analyze/call-placement.js";
import { Oid } from "../catalog/types.js";
import { callProcedure } from "./call.js";
import { wait, type Step } from "./drive.js";
import { paramsOf, runParsed } from "./evaluate.js";
import { parsedExpr, type ParsedExpr, type Ref } from "./expressions.js";
import type { Frame } from "./frame.js";
import {
  argumentAt, inputArgs, isUntyped, outPositions, selectOf, type ResolvedCall,
} from "./procedure-args.js";
import type { Stmt } from "./tree.js";

type CallStmt = Extract<Stmt, { kind: "call" }>;

/** Runs one CALL statement of a body. */
export function* execCall(frame: Frame, stmt: CallStmt): Step<undefined> {
  const parsed = parsedExpr(stmt.expr, (n) => frame.isRecord(n));
  const call = "CallStmt" in parsed.stmt ? parsed.stmt.CallStmt.funccall : undefined;
  if (call === undefined) throw new SqlError(SqlState.syntaxError, "CALL without a procedure");
  if (frame.host.procedure === undefined) throw notSupported("CALL inside PL/pgSQL here");
  const given = call.args ?? [];
  const raw = given.map(argValue);
  const names = (call.funcname ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  const select = (targets: readonly ast.Node[]): ParsedExpr => ({ refs: parsed.refs,
    subscripts: [], stmt: selectOf(targets) });
  const plain = raw.length === 0 ? undefined : yield* runParsed(frame, select(raw));
  const { paramTypes } = paramsOf(frame, parsed.refs);
  const types = (plain?.columns ?? []).map((c, i) =>
    (isUntyped(raw[i]!, paramTypes) ? Oid.unknown : c.type));
  const { fn, call: resolved } = frame.host.procedure(names, types, argNamesOf(given));
  const outs = outPositions(resolved);
  const targets = outs.map((at) => outTarget(frame, resolved, at, raw, parsed.refs));
  // The arguments' values (evaluated once: nextval() advances once) are cast as parameters.
  const inputs = inputArgs(resolved, raw.map((_a, i): ast.Node =>
    ({ ParamRef: { number: i + 1 } })));
  const args = inputs.length === 0 ? [] : (yield* wait(frame.host.query({
    stmt: selectOf(inputs), cacheKey: undefined, params: plain?.rows[0] ?? [],
    paramTypes: (plain?.columns ?? []).map((c) => (c.type === Oid.unknown ? Oid.text : c.type)),
  }))).rows[0] ?? [];
  const values = yield* callProcedure(fn, frame.host, [...args], outs);
  targets.forEach((target, i) => frame.assign(target, values[i]!.value, values[i]!.type));
  return undefined;
}

/**
 * The datum that receives OUT or INOUT parameter `at`: its argument must be a variable
 * (a `$n` of the parsed CALL standing for one), not a DEFAULT.
 */
function outTarget(frame: Frame, resolved: ResolvedCall, at: number, raw: readonly ast.Node[],
  refs: readonly Ref[]): number {
  const index = argumentAt(resolved, at);
  const arg = index < 0 ? undefined : raw[index]!;
  const ref = arg !== undefined && "ParamRef" in arg ? refs[(arg.ParamRef.number ?? 0) - 1]
    : undefined;
  if (ref !== undefined && ref.field !== undefined) {
    throw notSupported("a record field as the argument of a CALL's OUT parameter");
  }
  if (ref === undefined) {
    const name = resolved.params[at]!.name;
    throw new SqlError(SqlState.syntaxError, `procedure parameter "${name === "" ? `$${at + 1}`
      : name}" is an output parameter but corresponding argument is not writable`);
  }
  const d = frame.datum(ref.datum);
  if (d.kind === "var" && d.isConst) {
    throw new SqlError(SqlState.errorInAssignment, `variable "${d.name}" is declared CONSTANT`);
  }
  return ref.datum;
}
