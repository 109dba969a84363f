/**
 * From libpg-query's PLpgSQL_function JSON to the interpreter's tree (`tree.ts`). The JSON
 * leaves out zero and false fields, so a missing `varno` is datum 0. Two facts the JSON does
 * not carry are rebuilt here: which datums a block's DECLARE section makes (they are set to
 * their defaults each time the block is entered) and which names each expression can see.
 *
 * A block's declared datums come between the datums made by the statements before it and
 * those made inside it (the parser numbers datums in the order it meets them); among blocks
 * that start at the same point, a datum belongs to the first whose BEGIN line is at or after
 * the datum's line.
 */
import { SqlError, SqlState } from "@tessera/base";
import { parsePlpgsql } from "@tessera/sql";
import { recordDefaultFinder, recordFlagFinder, type RecordFlags } from "./rec-defaults.js";
import { conditionCodesOf } from "./conditions.js";
import type { CondBody, Datum, Handler, Into, NameScope, PlExpr, PlFunction, RaiseOption, Stmt }
  from "./tree.js";

type Json = Record<string, unknown>;

const raiseOptionNames = ["errcode", "message", "detail", "hint", "column", "constraint",
  "datatype", "table", "schema"];

function obj(value: unknown): Json {
  return value !== null && typeof value === "object" ? value as Json : {};
}

/** The one key of a node `{ PLpgSQL_x: {...} }` and its fields. */
function node(value: unknown): { tag: string; f: Json } {
  const o = obj(value);
  const tag = Object.keys(o)[0] ?? "";
  return { tag, f: obj(o[tag]) };
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function num(value: unknown, fallback = 0): number {
  return typeof value === "number" ? value : fallback;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

interface RawDatum {
  readonly tag: string;
  readonly f: Json;
  readonly key: string;
}

/** Parses `createSql` (a CREATE FUNCTION statement) and builds the function's tree. */
export function parseFunction(createSql: string, signature: string, label: string,
  inArgs: readonly boolean[]): PlFunction {
  const parsed = node(parsePlpgsql(createSql));
  if (parsed.tag !== "PLpgSQL_function") {
    throw new SqlError(SqlState.syntaxError, "could not parse the PL/pgSQL body");
  }
  // A variable always wins over a column here (`expressions.ts`); a body asking for the
  // column is refused rather than run the other way.
  if (/#variable_conflict\s+use_column/i.test(createSql)) {
    throw new SqlError(SqlState.featureNotSupported,
      "#variable_conflict use_column is not supported");
  }
  return new Builder(parsed.f, signature, label, inArgs, recordDefaultFinder(createSql),
    recordFlagFinder(createSql)).build();
}

class Builder {
  private readonly raw: RawDatum[];
  private readonly datums: Datum[] = [];
  /** Datums made by statements (loop variables, INTO rows …), by index, in walk order. */
  private readonly madeByStatements = new Set<number>();
  private readonly events: ({ block: number; line: number } | { made: number })[] = [];
  private nextBlock = 0;
  private readonly declaredOf = new Map<number, number[]>();
  private readonly claimed = new Set<number>();

  constructor(private readonly fn: Json, private readonly signature: string,
    private readonly label: string, private readonly inArgs: readonly boolean[],
    private readonly recordDefault: (name: string, line: number) => string | undefined,
    private readonly recordFlags: (name: string, line: number) => RecordFlags) {
    this.raw = list(fn["datums"]).map((d) => {
      const { tag, f } = node(d);
      return { tag, f, key: JSON.stringify(d) };
    });
  }

  build(): PlFunction {
    const argCount = this.inArgs.length;
    const foundVarno = this.raw.findIndex((d, i) => i >= argCount &&
      str(d.f["refname"]) === "found" && d.f["lineno"] === undefined);
    // First pass: which datums statements make, and where blocks start.
    this.scan(this.fn["action"]);
    this.assignDeclarations(foundVarno);
    for (const d of this.raw) this.datums.push(this.datum(d, emptyScope));
    const rootVars = new Map<string, number>();
    // Before FOUND: the parameters, or a trigger function's NEW, OLD and TG_* variables.
    for (let i = 0; i < Math.max(argCount, foundVarno); i++) {
      const name = str(this.raw[i]?.f["refname"]);
      if (name !== undefined && !name.startsWith("$")) rootVars.set(name, i);
    }
    for (let i = 0; i < argCount; i++) rootVars.set(`$${i + 1}`, i);
    rootVars.set("found", foundVarno);
    // DECLARE name ALIAS FOR $n | new | old: another name of the datum (kept function-wide).
    for (const a of list(this.fn["aliases"])) {
      const alias = node(a).f;
      const name = str(alias["name"]);
      if (name !== undefined) rootVars.set(name, num(alias["varno"]));
    }
    const root: NameScope = { vars: rootVars, labels: new Map([[this.label, rootVars]]),
      parent: undefined };
    this.nextBlock = 0;
    const body = this.stmt(this.fn["action"], root);
    const out = this.fn["out_param_varno"];
    return { signature: this.signature, datums: this.datums, body,
      argVarnos: this.inArgs.flatMap((isIn, i) => (isIn ? [i] : [])), foundVarno,
      outVarno: typeof out === "number" ? out : undefined };
  }

  private datum(d: RawDatum, scope: NameScope): Datum {
    const type = (): string => str(node(d.f["datatype"]).f["typname"]) ?? "unknown";
    const init = (): PlExpr | undefined => (d.f["default_val"] === undefined ? undefined
      : this.expr(d.f["default_val"], scope));
    switch (d.tag) {
      case "PLpgSQL_var": {
        const query = d.f["cursor_explicit_expr"];
        const argRow = num(d.f["cursor_explicit_argrow"], -1);
        return { kind: "var", name: str(d.f["refname"]) ?? "", typeName: type(),
          isConst: d.f["isconst"] === true, notNull: d.f["notnull"] === true, init: init(),
          ...(query !== undefined && { cursor: { query: this.expr(query, scope),
            argRow: argRow < 0 ? undefined : argRow, options: num(d.f["cursor_options"], 0) } }) };
      }
      case "PLpgSQL_rec":
        return { kind: "rec", name: str(d.f["refname"]) ?? "", typeName: type(),
          init: init() ?? this.recInit(d, scope),
          ...this.recordFlags(str(d.f["refname"]) ?? "", num(d.f["lineno"])) };
      case "PLpgSQL_row":
        return { kind: "row", fields: list(d.f["fields"]).map((x) => ({
          name: str(obj(x)["name"]) ?? "", varno: num(obj(x)["varno"]) })) };
      case "PLpgSQL_recfield":
        return { kind: "recfield", field: str(d.f["fieldname"]) ?? "",
          parent: num(d.f["recparentno"]) };
      default:
        return { kind: "var", name: "?", typeName: "unknown", isConst: false, notNull: false,
          init: undefined };
    }
  }

  /** Finds the datum a statement embeds by value (loop variables come without a number). */
  private datumNumber(value: unknown): number {
    const { tag, f } = node(value);
    if (tag === "PLpgSQL_rec" && typeof f["dno"] === "number") return f["dno"];
    const key = JSON.stringify(value);
    for (let i = 0; i < this.raw.length; i++) {
      if (this.raw[i]!.key === key && !this.claimed.has(i)) {
        if (tag !== "PLpgSQL_row" || !this.madeByStatements.has(i)) return i;
      }
    }
    return this.raw.findIndex((r) => r.key === key);
  }

  private made(index: number): void {
    if (index < 0 || this.madeByStatements.has(index)) return;
    this.madeByStatements.add(index);
    this.events.push({ made: index });
  }

  /** First pass over the statements, in the order the parser met them. */
  private scan(value: unknown): void {
    const { tag, f } = node(value);
    const each = (v: unknown): void => list(v).forEach((s) => this.scan(s));
    switch (tag) {
      case "PLpgSQL_stmt_block": {
        this.events.push({ block: this.nextBlock++, line: num(f["lineno"]) });
        each(f["body"]);
        const handlers = list(obj(node(f["exceptions"]).f)["exc_list"]);
        if (handlers.length > 0) {
          for (let i = 0; i < this.raw.length; i++) {
            const name = str(this.raw[i]!.f["refname"]);
            if ((name === "sqlstate" || name === "sqlerrm") && this.raw[i]!.f["isconst"] === true &&
              !this.madeByStatements.has(i)) {
              this.made(i);
              if (name === "sqlerrm") break;
            }
          }
        }
        for (const h of handlers) each(node(h).f["action"]);
        return;
      }
      case "PLpgSQL_stmt_fori":
        this.made(this.datumNumber(f["var"]));
        each(f["body"]);
        return;
      case "PLpgSQL_stmt_forc":
        this.made(num(node(f["var"]).f["dno"], -1));
        each(f["body"]);
        return;
      case "PLpgSQL_stmt_case":
        if (f["t_expr"] !== undefined) this.made(num(f["t_varno"]));
        for (const w of list(f["case_when_list"])) each(node(w).f["stmts"]);
        each(f["else_stmts"]);
        return;
      case "PLpgSQL_stmt_if":
        each(f["then_body"]);
        for (const e of list(f["elsif_list"])) each(node(e).f["stmts"]);
        each(f["else_body"]);
        return;
      default:
        each(f["body"]);
    }
  }

  /** Gives each declared datum to its block (see the comment at the top). */
  private assignDeclarations(foundVarno: number): void {
    for (let i = foundVarno + 1; i < this.raw.length; i++) {
      const d = this.raw[i]!;
      if (this.madeByStatements.has(i)) continue;
      if (d.tag !== "PLpgSQL_var" && d.tag !== "PLpgSQL_rec") continue;
      const line = num(d.f["lineno"]);
      let candidates: { block: number; line: number }[] = [];
      let before = true;
      for (const e of this.events) {
        if ("made" in e) {
          if (e.made < i) {
            candidates = [];
          } else if (e.made > i) {
            before = false;
            break;
          }
        } else if (before) {
          candidates.push(e);
        }
      }
      const chosen = candidates.find((c) => c.line >= line) ?? candidates[candidates.length - 1];
      if (chosen === undefined) continue;
      const own = this.declaredOf.get(chosen.block) ?? [];
      own.push(i);
      this.declaredOf.set(chosen.block, own);
    }
  }

  private expr(value: unknown, scope: NameScope): PlExpr {
    const f = node(value).f;
    return { query: str(f["query"]) ?? "", mode: num(f["parseMode"]), scope };
  }

  /** A record variable's default, which the parser's JSON leaves out (`rec-defaults.ts`). */
  private recInit(d: RawDatum, scope: NameScope): PlExpr | undefined {
    const query = this.recordDefault(str(d.f["refname"]) ?? "", num(d.f["lineno"]));
    return query === undefined ? undefined : { query, mode: 2, scope };
  }

  private optExpr(value: unknown, scope: NameScope): PlExpr | undefined {
    return value === undefined ? undefined : this.expr(value, scope);
  }

  private stmts(value: unknown, scope: NameScope): Stmt[] {
    return list(value).map((s) => this.stmt(s, scope));
  }

  private into(f: Json): Into | undefined {
    if (f["into"] !== true) return undefined;
    return { target: this.targetNumber(f["target"]), strict: f["strict"] === true };
  }

  private targetNumber(value: unknown): number {
    const { tag, f } = node(value);
    if (tag === "PLpgSQL_rec") return num(f["dno"]);
    const n = this.datumNumber(value);
    if (n >= 0) this.claimed.add(n);
    return n;
  }

  private stmt(value: unknown, scope: NameScope): Stmt {
    const { tag, f } = node(value);
    const line = num(f["lineno"]);
    const label = str(f["label"]);
    const e = (v: unknown): PlExpr => this.expr(v, scope);
    const oe = (v: unknown): PlExpr | undefined => this.optExpr(v, scope);
    const params = (): PlExpr[] => list(f["params"]).map(e);
    switch (tag) {
      case "PLpgSQL_stmt_block":
        return this.block(f, line, label, scope);
      case "PLpgSQL_stmt_assign":
        return { kind: "assign", line, varno: num(f["varno"]), expr: e(f["expr"]) };
      case "PLpgSQL_stmt_if":
        return this.ifStmt(f, line, scope);
      case "PLpgSQL_stmt_case":
        return this.caseStmt(f, line, scope);
      case "PLpgSQL_stmt_loop":
        return { kind: "loop", line, label, body: this.stmts(f["body"], scope) };
      case "PLpgSQL_stmt_while":
        return { kind: "while", line, label, cond: e(f["cond"]),
          body: this.stmts(f["body"], scope) };
      case "PLpgSQL_stmt_fori": {
        const varno = this.datumNumber(f["var"]);
        this.claimed.add(varno);
        const name = str(node(f["var"]).f["refname"]) ?? "";
        const inner = child(scope, [[name, varno]], label);
        return { kind: "fori", line, label, varno, lower: e(f["lower"]), upper: e(f["upper"]),
          step: oe(f["step"]), reverse: f["reverse"] === true,
          body: this.stmts(f["body"], inner) };
      }
      case "PLpgSQL_stmt_fors":
      case "PLpgSQL_stmt_dynfors":
        return { kind: "fors", line, label, target: this.targetNumber(f["var"]),
          query: tag === "PLpgSQL_stmt_fors" ? oe(f["query"]) : undefined,
          dynquery: tag === "PLpgSQL_stmt_dynfors" ? oe(f["query"]) : undefined,
          params: params(), body: this.stmts(f["body"], child(scope, [], label)) };
      case "PLpgSQL_stmt_foreach_a":
        return { kind: "foreach", line, label, varno: num(f["varno"]), slice: num(f["slice"]),
          expr: e(f["expr"]), body: this.stmts(f["body"], child(scope, [], label)) };
      case "PLpgSQL_stmt_exit":
        return { kind: "exit", line, isExit: f["is_exit"] === true, label,
          cond: oe(f["cond"]) };
      case "PLpgSQL_stmt_return":
        // The parser ends every body with a RETURN of no line: falling off the end, which
        // only void, SETOF and OUT-parameter functions may do (2F005 for others).
        if (line === 0 && f["expr"] === undefined && f["retvarno"] === undefined) {
          return { kind: "block", line, label: undefined, declared: [], body: [],
            handlers: undefined, errorVars: [] };
        }
        return { kind: "return", line, expr: oe(f["expr"]),
          retvarno: typeof f["retvarno"] === "number" ? f["retvarno"] : undefined };
      case "PLpgSQL_stmt_return_next":
        return { kind: "returnNext", line,
          expr: oe(f["expr"]),
          retvarno: typeof f["retvarno"] === "number" ? f["retvarno"] : undefined };
      case "PLpgSQL_stmt_return_query":
        return { kind: "returnQuery", line, query: oe(f["query"]), dynquery: oe(f["dynquery"]),
          params: params() };
      case "PLpgSQL_stmt_raise":
        return this.raiseStmt(f, line, scope);
      case "PLpgSQL_stmt_assert":
        return { kind: "assert", line, cond: e(f["cond"]), message: oe(f["message"]) };
      case "PLpgSQL_stmt_execsql":
        return { kind: "execsql", line, query: e(f["sqlstmt"]), into: this.into(f) };
      case "PLpgSQL_stmt_dynexecute":
        return { kind: "dynexecute", line, query: e(f["query"]), into: this.into(f),
          params: params() };
      case "PLpgSQL_stmt_perform":
        return { kind: "perform", line, expr: e(f["expr"]) };
      case "PLpgSQL_stmt_getdiag":
        return { kind: "getdiag", line, stacked: f["is_stacked"] === true,
          items: list(f["diag_items"]).map((x) => {
            const xf = node(x).f;
            return { kind: str(xf["kind"]) ?? "", target: num(xf["target"]) };
          }) };
      case "PLpgSQL_stmt_open":
        return { kind: "open", line, curvar: num(f["curvar"]), query: oe(f["query"]),
          dynquery: oe(f["dynquery"]), params: params(), args: oe(f["argquery"]),
          options: num(f["cursor_options"], 0) };
      case "PLpgSQL_stmt_fetch":
        return { kind: "fetch", line, curvar: num(f["curvar"]),
          target: f["target"] === undefined ? undefined : this.targetNumber(f["target"]),
          direction: num(f["direction"]), count: num(f["how_many"], 1),
          countExpr: oe(f["expr"]), move: f["is_move"] === true };
      case "PLpgSQL_stmt_close":
        return { kind: "close", line, curvar: num(f["curvar"]) };
      case "PLpgSQL_stmt_forc": {
        const target = this.targetNumber(f["var"]);
        const name = str(node(f["var"]).f["refname"]) ?? "";
        return { kind: "forc", line, label, curvar: num(f["curvar"]), target,
          args: oe(f["argquery"]), body: this.stmts(f["body"], child(scope, [[name, target]],
            label)) };
      }
      case "PLpgSQL_stmt_call":
        return f["is_call"] === true ? { kind: "call", line, expr: this.expr(f["expr"], scope) }
          : { kind: "unsupported", line, what: "DO" };
      default:
        return otherStmt(tag, f, line);
    }
  }

  private raiseStmt(f: Json, line: number, scope: NameScope): Stmt {
    return { kind: "raise", line, level: num(f["elog_level"]),
      condname: str(f["condname"]), message: str(f["message"]),
      params: list(f["params"]).map((p) => this.expr(p, scope)),
      options: list(f["options"]).map((o): RaiseOption => {
        const of = node(o).f;
        return { name: raiseOptionNames[num(of["opt_type"])] ?? "errcode",
          expr: this.expr(of["expr"], scope) };
      }) };
  }

  private ifStmt(f: Json, line: number, scope: NameScope): Stmt {
    const branches: CondBody[] = [{ cond: this.expr(f["cond"], scope),
      body: this.stmts(f["then_body"], scope) }];
    for (const x of list(f["elsif_list"])) {
      const el = node(x).f;
      branches.push({ cond: this.expr(el["cond"], scope), body: this.stmts(el["stmts"], scope) });
    }
    return { kind: "if", line, branches, otherwise: f["else_body"] === undefined
      ? undefined : this.stmts(f["else_body"], scope) };
  }

  private caseStmt(f: Json, line: number, scope: NameScope): Stmt {
    const testVar = num(f["t_varno"]);
    const inner = f["t_expr"] === undefined ? scope
      : child(scope, [[str(this.raw[testVar]?.f["refname"]) ?? "", testVar]]);
    return { kind: "case", line, test: this.optExpr(f["t_expr"], scope), testVar,
      whens: list(f["case_when_list"]).map((w) => {
        const wf = node(w).f;
        return { cond: this.expr(wf["expr"], inner), body: this.stmts(wf["stmts"], inner) };
      }),
      otherwise: f["have_else"] === true ? this.stmts(f["else_stmts"], inner) : undefined };
  }

  private block(f: Json, line: number, label: string | undefined, scope: NameScope): Stmt {
    const declared = this.declaredOf.get(this.nextBlock++) ?? [];
    const vars = new Map<string, number>();
    for (const d of declared) vars.set(str(this.raw[d]!.f["refname"]) ?? "", d);
    const inner = child(scope, [...vars], label);
    for (const d of declared) this.datums[d] = this.datum(this.raw[d]!, inner);
    const body = this.stmts(f["body"], inner);
    const exc = list(node(f["exceptions"]).f["exc_list"]);
    let handlers: Handler[] | undefined;
    const errVars: [string, number][] = [];
    if (exc.length > 0) {
      for (let i = 0; i < this.raw.length; i++) {
        const name = str(this.raw[i]!.f["refname"]);
        if ((name === "sqlstate" || name === "sqlerrm") && this.raw[i]!.f["isconst"] === true &&
          !this.claimed.has(i)) {
          errVars.push([name, i]);
          this.claimed.add(i);
          if (name === "sqlerrm") break;
        }
      }
      const handlerScope = child(inner, errVars);
      handlers = exc.map((h) => {
        const hf = node(h).f;
        return { conditions: list(hf["conditions"]).flatMap((c) =>
          conditionCode(str(node(c).f["condname"]) ?? "")),
        body: this.stmts(hf["action"], handlerScope) };
      });
    }
    return { kind: "block", line, label, declared, body, handlers,
      errorVars: errVars.map(([, n]) => n) };
  }
}

const emptyScope: NameScope = { vars: new Map(), labels: new Map(), parent: undefined };

function child(scope: NameScope, vars: [string, number][], label?: string): NameScope {
  const map = new Map(vars);
  return { vars: map, labels: label === undefined ? new Map() : new Map([[label, map]]),
    parent: scope };
}

/** A condition name or SQLSTATE of EXCEPTION WHEN as its codes ("others" stays). */
export function conditionCode(name: string): readonly string[] {
  if (name === "others") return ["others"];
  if (/^[0-9A-Z]{5}$/.test(name)) return [name];
  const codes = conditionCodesOf(name);
  if (codes.length === 0) {
    throw new SqlError(SqlState.undefinedObject, `unrecognized exception condition "${name}"`);
  }
  return codes;
}

/** COMMIT and ROLLBACK [AND CHAIN]; other statements are unsupported. */
function otherStmt(tag: string, f: Json, line: number): Stmt {
  if (tag === "PLpgSQL_stmt_commit" || tag === "PLpgSQL_stmt_rollback") {
    return { kind: "endTransaction", line, commit: tag === "PLpgSQL_stmt_commit",
      chain: f["chain"] === true };
  }
  return { kind: "unsupported", line, what: tag.replace(/^PLpgSQL_stmt_/, "").toUpperCase() };
}
