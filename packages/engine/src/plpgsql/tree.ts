/**
 * A PL/pgSQL function as the interpreter runs it: PostgreSQL's PLpgSQL_function tree
 * (libpg-query's `parsePlPgSQLSync`), reshaped by `parse-tree.ts` into typed statements and
 * datums. Expressions stay SQL text (`PlExpr`), turned into parse trees with the variables
 * as parameters on first use (`expressions.ts`), each with the names it can see.
 */

/** The variables a statement sees by name: its block's, then the enclosing blocks'. */
export interface NameScope {
  readonly vars: ReadonlyMap<string, number>;
  /** Block labels (and the function's name) qualifying their variables: `outer.x`. */
  readonly labels: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly parent: NameScope | undefined;
}

/** CURSOR_OPT_SCROLL and CURSOR_OPT_NO_SCROLL of a cursor's options (nodes/parsenodes.h). */
export const cursorOptions = { scroll: 0x0002, noScroll: 0x0004 } as const;

/** An expression or query as written; `mode` is PostgreSQL's RawParseMode. */
export interface PlExpr {
  readonly query: string;
  /** 0 a statement, 2 an expression, 3-5 an assignment `target := value`. */
  readonly mode: number;
  readonly scope: NameScope;
}

export type Datum =
  | { readonly kind: "var"; readonly name: string; readonly typeName: string;
    readonly isConst: boolean; readonly notNull: boolean; readonly init: PlExpr | undefined;
    /**
     * A bound cursor's query (`c CURSOR [(args)] FOR …`), its arguments' row datum and its
     * options (`cursorOptions`).
     */
    readonly cursor?: { readonly query: PlExpr; readonly argRow: number | undefined;
      readonly options: number } }
  | { readonly kind: "rec"; readonly name: string; readonly typeName: string;
    readonly init: PlExpr | undefined; readonly constant?: boolean; readonly notNull?: boolean }
  | { readonly kind: "row"; readonly fields: readonly { name: string; varno: number }[] }
  | { readonly kind: "recfield"; readonly field: string; readonly parent: number };

export interface Handler {
  /** Condition codes; "others" for OTHERS. A class code ends in "000" (`22000`). */
  readonly conditions: readonly string[];
  readonly body: readonly Stmt[];
}

export interface CondBody {
  readonly cond: PlExpr;
  readonly body: readonly Stmt[];
}

/** A RAISE option: ERRCODE, MESSAGE, DETAIL, HINT, COLUMN, CONSTRAINT, DATATYPE, TABLE … */
export interface RaiseOption {
  readonly name: string;
  readonly expr: PlExpr;
}

interface At {
  readonly line: number;
}

export type Stmt = At & (
  | { readonly kind: "block"; readonly label: string | undefined;
    readonly declared: readonly number[]; readonly body: readonly Stmt[];
    readonly handlers: readonly Handler[] | undefined;
    /** The handlers' SQLSTATE and SQLERRM variables. */
    readonly errorVars: readonly number[] }
  | { readonly kind: "assign"; readonly varno: number; readonly expr: PlExpr }
  | { readonly kind: "if"; readonly branches: readonly CondBody[];
    readonly otherwise: readonly Stmt[] | undefined }
  | { readonly kind: "case"; readonly test: PlExpr | undefined; readonly testVar: number;
    readonly whens: readonly CondBody[]; readonly otherwise: readonly Stmt[] | undefined }
  | { readonly kind: "loop"; readonly label: string | undefined; readonly body: readonly Stmt[] }
  | { readonly kind: "while"; readonly label: string | undefined; readonly cond: PlExpr;
    readonly body: readonly Stmt[] }
  | { readonly kind: "fori"; readonly label: string | undefined; readonly varno: number;
    readonly lower: PlExpr; readonly upper: PlExpr; readonly step: PlExpr | undefined;
    readonly reverse: boolean; readonly body: readonly Stmt[] }
  | { readonly kind: "fors"; readonly label: string | undefined; readonly target: number;
    readonly query: PlExpr | undefined; readonly dynquery: PlExpr | undefined;
    readonly params: readonly PlExpr[]; readonly body: readonly Stmt[] }
  | { readonly kind: "foreach"; readonly label: string | undefined; readonly varno: number;
    readonly slice: number; readonly expr: PlExpr; readonly body: readonly Stmt[] }
  | { readonly kind: "exit"; readonly isExit: boolean; readonly label: string | undefined;
    readonly cond: PlExpr | undefined }
  | { readonly kind: "return"; readonly expr: PlExpr | undefined;
    readonly retvarno: number | undefined }
  | { readonly kind: "returnNext"; readonly expr: PlExpr | undefined;
    readonly retvarno: number | undefined }
  | { readonly kind: "returnQuery"; readonly query: PlExpr | undefined;
    readonly dynquery: PlExpr | undefined; readonly params: readonly PlExpr[] }
  | { readonly kind: "raise"; readonly level: number; readonly condname: string | undefined;
    readonly message: string | undefined; readonly params: readonly PlExpr[];
    readonly options: readonly RaiseOption[] }
  | { readonly kind: "assert"; readonly cond: PlExpr; readonly message: PlExpr | undefined }
  | { readonly kind: "execsql"; readonly query: PlExpr; readonly into: Into | undefined }
  | { readonly kind: "dynexecute"; readonly query: PlExpr; readonly into: Into | undefined;
    readonly params: readonly PlExpr[] }
  | { readonly kind: "perform"; readonly expr: PlExpr }
  | { readonly kind: "getdiag"; readonly stacked: boolean;
    readonly items: readonly { kind: string; target: number }[] }
  | { readonly kind: "open"; readonly curvar: number; readonly query: PlExpr | undefined;
    readonly dynquery: PlExpr | undefined; readonly params: readonly PlExpr[];
    readonly args: PlExpr | undefined; readonly options: number }
  | { readonly kind: "fetch"; readonly curvar: number; readonly target: number | undefined;
    readonly direction: number; readonly count: number; readonly countExpr: PlExpr | undefined;
    readonly move: boolean }
  | { readonly kind: "close"; readonly curvar: number }
  | { readonly kind: "forc"; readonly label: string | undefined; readonly curvar: number;
    readonly target: number; readonly args: PlExpr | undefined; readonly body: readonly Stmt[] }
  | { readonly kind: "call"; readonly expr: PlExpr }
  /** COMMIT or ROLLBACK [AND CHAIN] (`procedure-transactions.ts`). */
  | { readonly kind: "endTransaction"; readonly commit: boolean; readonly chain: boolean }
  | { readonly kind: "unsupported"; readonly what: string }
);

export interface Into {
  readonly target: number;
  readonly strict: boolean;
}

/** What PostgreSQL names each statement in CONTEXT lines (`line 3 at RAISE`). */
export function statementName(stmt: Stmt): string {
  switch (stmt.kind) {
    case "block": return "statement block";
    case "assign": return "assignment";
    case "if": return "IF";
    case "case": return "CASE";
    case "loop": return "LOOP";
    case "while": return "WHILE";
    case "fori": return "FOR with integer loop variable";
    case "fors": return stmt.query !== undefined ? "FOR over SELECT rows"
      : "FOR over EXECUTE statement";
    case "foreach": return "FOREACH over array";
    case "exit": return stmt.isExit ? "EXIT" : "CONTINUE";
    case "return": return "RETURN";
    case "returnNext": return "RETURN NEXT";
    case "returnQuery": return "RETURN QUERY";
    case "raise": return "RAISE";
    case "assert": return "ASSERT";
    case "execsql": return "SQL statement";
    case "dynexecute": return "EXECUTE";
    case "perform": return "PERFORM";
    case "getdiag": return "GET DIAGNOSTICS";
    case "open": return "OPEN";
    case "fetch": return stmt.move ? "MOVE" : "FETCH";
    case "close": return "CLOSE";
    case "forc": return "FOR over cursor";
    case "call": return "CALL";
    case "endTransaction": return stmt.commit ? "COMMIT" : "ROLLBACK";
    case "unsupported": return stmt.what;
  }
}

/** A function ready to run: its datums, body and what its result is. */
export interface PlFunction {
  /** `f(integer)` for CONTEXT lines; `inline_code_block` for DO. */
  readonly signature: string;
  readonly datums: readonly Datum[];
  readonly body: Stmt;
  /** Datum numbers of the arguments, in order. */
  readonly argVarnos: readonly number[];
  /** The FOUND variable. */
  readonly foundVarno: number;
  /** OUT parameters' datum (a var, or a row of them), or undefined. */
  readonly outVarno: number | undefined;
}
