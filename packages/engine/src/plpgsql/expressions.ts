/**
 * PL/pgSQL expressions and statements as SQL parse trees: the text is parsed once (an
 * expression as `SELECT expr`), and every name that means a variable (`x`, `blk.x`, `r.f`,
 * `$1`) becomes a parameter `$n`, numbered in order of first use. A variable wins over a
 * column of the same name (PostgreSQL's `plpgsql.variable_conflict = use_variable`; its
 * default, `error`, raises 42702 instead).
 *
 *   x := x + i        ->  target x, SELECT $1 + $2       with refs [x, i]
 *   select a into v from t where k = r.k  ->  SELECT a FROM t WHERE k = $1  with refs [r.k]
 */
import { SqlError, SqlState } from "@tessera/base";
import { parseStatements, type ast } from "@tessera/sql";
import type { NameScope, PlExpr } from "./tree.js";

/** A variable an expression reads: a datum, or one field of a record datum. */
export interface Ref {
  readonly datum: number;
  readonly field: string | undefined;
}

export interface ParsedExpr {
  readonly stmt: ast.Node;
  readonly refs: readonly Ref[];
  /** For an assignment: the target's subscripts (`a[i] := …`), parsed the same way. */
  readonly subscripts: readonly ParsedExpr[];
  /** For an assignment: the target's dotted names before any subscript (`b.d.c2.q2`). */
  readonly targetNames?: readonly string[];
  /**
   * For an assignment to a slice (`a[2:3] := …`): each subscript's bounds, either of which
   * may be left out; a plain subscript `i` among slices is `1:i`, as in PostgreSQL.
   */
  readonly slices?: readonly SliceExpr[];
  /** For an assignment: field names after the subscripts (`a[1].i := …`). */
  readonly elementPath?: readonly string[];
}

export interface SliceExpr {
  readonly lower: ParsedExpr | undefined;
  readonly upper: ParsedExpr | undefined;
  /** Written without a colon: the slice 1:upper. */
  readonly plain: boolean;
}

const cache = new WeakMap<PlExpr, ParsedExpr>();

/** The parse tree of `expr`, made on first use. */
export function parsedExpr(expr: PlExpr, isRecord: IsRecord): ParsedExpr {
  let parsed = cache.get(expr);
  if (parsed === undefined) {
    parsed = parse(expr, isRecord);
    cache.set(expr, parsed);
  }
  return parsed;
}

function parse(expr: PlExpr, isRecord: IsRecord): ParsedExpr {
  if (expr.mode >= 3) return parseAssignment(expr, isRecord);
  const text = expr.mode === 0 ? expr.query : `SELECT ${expr.query}`;
  return substituted(parseOne(text, expr.query), expr.scope, isRecord);
}

function parseOne(text: string, shown: string): ast.Node {
  let statements;
  try {
    statements = parseStatements(text);
  } catch (error) {
    if (error instanceof SqlError) {
      throw new SqlError(error.code, error.message, { internalQuery: shown });
    }
    throw error;
  }
  if (statements.length !== 1) {
    throw new SqlError(SqlState.syntaxError,
      `query "${shown}" returned ${statements.length} columns`);
  }
  return statements[0]!.stmt;
}

/** `target := value`: the value as `SELECT value`, the target's subscripts each alike. */
function parseAssignment(expr: PlExpr, isRecord: IsRecord): ParsedExpr {
  const text = expr.query;
  const at = assignmentOperator(text);
  const target = text.slice(0, at.start);
  const value = text.slice(at.end);
  const subscripts: ParsedExpr[] = [];
  const bracket = target.indexOf("[");
  const parts = bracket >= 0 ? splitSubscripts(target.slice(bracket)) : [];
  const sub = (text: string): ParsedExpr | undefined => (text.trim() === "" ? undefined
    : substituted(parseOne(`SELECT ${text}`, text), expr.scope, isRecord));
  const colons = parts.map(sliceColon);
  const slices = colons.some((c) => c >= 0) ? parts.map((part, i): SliceExpr => {
    const at = colons[i]!;
    return at < 0 ? { lower: undefined, upper: sub(part), plain: true }
      : { lower: sub(part.slice(0, at)), upper: sub(part.slice(at + 1)), plain: false };
  }) : undefined;
  if (slices === undefined) for (const part of parts) subscripts.push(sub(part)!);
  const names = (bracket >= 0 ? target.slice(0, bracket) : target).split(".")
    .map((n) => unquoteName(n));
  return { ...substituted(parseOne(`SELECT ${value}`, value), expr.scope, isRecord), subscripts,
    targetNames: names, ...(slices !== undefined && { slices }),
    elementPath: bracket < 0 ? [] : target.slice(target.lastIndexOf("]") + 1).split(".")
      .filter((n) => n.trim() !== "").map(unquoteName) };
}

/** Where a subscript's slice colon is (a single `:`, not a `::` cast), or -1. */
function sliceColon(part: string): number {
  let quote = "";
  for (let i = 0; i < part.length; i++) {
    const c = part[i]!;
    if (quote !== "") {
      if (c === quote) quote = "";
    } else if (c === "'" || c === "\"") {
      quote = c;
    } else if (c === ":") {
      if (part[i + 1] === ":") i++;
      else return i;
    }
  }
  return -1;
}

/** An identifier as written: quoted keeps its case, unquoted folds to lower case. */
function unquoteName(name: string): string {
  const t = name.trim();
  return t.startsWith("\"") && t.endsWith("\"") ? t.slice(1, -1).replace(/""/g, "\"")
    : t.toLowerCase();
}

/** Where `:=` (or `=`) is, outside quotes and brackets. */
function assignmentOperator(text: string): { start: number; end: number } {
  let depth = 0;
  let quote = "";
  let eq = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== "") {
      if (c === quote) quote = "";
      continue;
    }
    if (c === "'" || c === "\"") quote = c;
    else if (c === "[") depth++;
    else if (c === "]") depth--;
    else if (depth === 0 && c === ":" && text[i + 1] === "=") return { start: i, end: i + 2 };
    else if (depth === 0 && c === "=" && eq < 0) eq = i;
  }
  if (eq >= 0) return { start: eq, end: eq + 1 };
  throw new SqlError(SqlState.syntaxError, `syntax error at or near "${text}"`);
}

/** `[i][j + 1]` -> ["i", "j + 1"]. */
function splitSubscripts(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "[") {
      if (depth === 0) start = i + 1;
      depth++;
    } else if (text[i] === "]") {
      depth--;
      if (depth === 0) out.push(text.slice(start, i));
    }
  }
  return out;
}

/** A parse tree (a trigger's WHEN condition as `SELECT cond`) with variables as parameters. */
export function parsedTree(stmt: ast.Node, scope: NameScope, isRecord: IsRecord): ParsedExpr {
  return substituted(stmt, scope, isRecord);
}

/** Resolves a name as a variable along the scope chain. */
export function lookupVar(scope: NameScope, name: string): number | undefined {
  for (let s: NameScope | undefined = scope; s !== undefined; s = s.parent) {
    const found = s.vars.get(name);
    if (found !== undefined) return found;
  }
  return undefined;
}

function lookupLabel(scope: NameScope, label: string, name: string): number | undefined {
  for (let s: NameScope | undefined = scope; s !== undefined; s = s.parent) {
    const vars = s.labels.get(label);
    if (vars !== undefined) return vars.get(name);
  }
  return undefined;
}

/** True for datums whose `name.field` names a field (records, rows). */
export type IsRecord = (datum: number) => boolean;

function resolveRef(fields: readonly string[], scope: NameScope, isRecordDatum: IsRecord):
  Ref | undefined {
  const [a, b, c] = fields;
  if (a === undefined) return undefined;
  if (fields.length === 1) {
    const datum = lookupVar(scope, a);
    return datum === undefined ? undefined : { datum, field: undefined };
  }
  if (fields.length === 2) {
    const labelled = lookupLabel(scope, a, b!);
    const own = lookupVar(scope, a);
    if (own !== undefined && isRecordDatum(own)) return { datum: own, field: b };
    if (labelled !== undefined) return { datum: labelled, field: undefined };
    return undefined;
  }
  if (fields.length === 3) {
    const rec = lookupLabel(scope, a, b!);
    if (rec !== undefined && isRecordDatum(rec)) return { datum: rec, field: c };
  }
  return undefined;
}

/** `r.*` of a record variable: the whole record. */
function wholeRecord(name: string, scope: NameScope, isRecord: IsRecord): Ref | undefined {
  const datum = lookupVar(scope, name);
  return datum !== undefined && isRecord(datum) ? { datum, field: undefined } : undefined;
}

/** Replaces variable references in a copy of `stmt` with parameters. */
function substituted(stmt: ast.Node, scope: NameScope, isRecord: IsRecord): ParsedExpr {
  const refs: Ref[] = [];
  const numberOf = (ref: Ref): number => {
    const at = refs.findIndex((r) => r.datum === ref.datum && r.field === ref.field);
    if (at >= 0) return at + 1;
    refs.push(ref);
    return refs.length;
  };
  // `($n).*` for `r.*` of a record variable r, else undefined.
  const fieldsOf = (arg: ast.Node): ast.Node | undefined => {
    const fields = "ColumnRef" in arg ? arg.ColumnRef.fields ?? [] : [];
    if (fields.length !== 2 || !("String" in fields[0]!) || !("A_Star" in fields[1]!)) {
      return undefined;
    }
    const found = wholeRecord(fields[0].String.sval ?? "", scope, isRecord);
    return found === undefined ? undefined : { A_Indirection: {
      arg: { ParamRef: { number: numberOf(found) } }, indirection: [{ A_Star: {} }] } };
  };
  const replace = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(replace);
    if (value === null || typeof value !== "object") return value;
    const record = value as Record<string, unknown>;
    if ("ColumnRef" in record) {
      const ref = record["ColumnRef"] as ast.ColumnRef;
      const fields = (ref.fields ?? []).map((f) => ("String" in f ? f.String.sval ?? "" : "*"));
      const star = fields.length === 2 && fields[1] === "*";
      const found = star ? wholeRecord(fields[0]!, scope, isRecord)
        : fields.includes("*") ? undefined : resolveRef(fields, scope, isRecord);
      if (found !== undefined) {
        return { ParamRef: { number: numberOf(found),
          ...(ref.location !== undefined && { location: ref.location }) } };
      }
      return record;
    }
    if ("ParamRef" in record) {
      const n = (record["ParamRef"] as ast.ParamRef).number ?? 0;
      const datum = lookupVar(scope, `$${n}`);
      if (datum === undefined) {
        throw new SqlError(SqlState.undefinedParameter, `there is no parameter $${n}`);
      }
      return { ParamRef: { number: numberOf({ datum, field: undefined }) } };
    }
    const row = record["RowExpr"] as ast.RowExpr | undefined;
    if (row !== undefined) {
      // ROW(r.*) has one argument per field of record r, as PostgreSQL expands it.
      return { RowExpr: { ...(replace(row) as ast.RowExpr),
        args: (row.args ?? []).map((arg) => fieldsOf(arg) ?? replace(arg)) } };
    }
    const out: Record<string, unknown> = {};
    const select = record["SelectStmt"] as ast.SelectStmt | undefined;
    if (select?.valuesLists !== undefined) {
      // VALUES (r.*) has one item per field of record r, as in ROW(r.*).
      return { SelectStmt: { ...replaceSelect(select, replace),
        valuesLists: select.valuesLists.map((l) => ("List" in l ? { List: {
          items: (l.List.items ?? []).map((item) => fieldsOf(item) ?? replace(item)) } }
          : replace(l))) } };
    }
    if (select !== undefined) return { SelectStmt: replaceSelect(select, replace) };
    for (const [key, inner] of Object.entries(record)) out[key] = replace(inner);
    return out;
  };
  return { stmt: replace(stmt) as ast.Node, refs, subscripts: [] };
}

/**
 * A SELECT's parts, where ORDER BY and GROUP BY may name an output column (`ORDER BY total`
 * for `… AS total`): such a bare name stays the output column, as in PostgreSQL, which looks
 * at the select list before it asks PL/pgSQL for a variable.
 */
function replaceSelect(select: ast.SelectStmt, replace: (value: unknown) => unknown):
  ast.SelectStmt {
  const aliases = new Set<string>();
  for (const t of select.targetList ?? []) {
    if ("ResTarget" in t && t.ResTarget.name !== undefined) aliases.add(t.ResTarget.name);
  }
  const keep = (node: ast.Node | undefined): boolean => {
    if (node === undefined || !("ColumnRef" in node)) return false;
    const fields = node.ColumnRef.fields ?? [];
    const only = fields.length === 1 ? fields[0] : undefined;
    return only !== undefined && "String" in only && aliases.has(only.String.sval ?? "");
  };
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(select)) {
    if (key === "sortClause") {
      out[key] = (inner as ast.Node[]).map((item) => ("SortBy" in item &&
        keep(item.SortBy.node) ? item : replace(item)));
    } else if (key === "groupClause") {
      out[key] = (inner as ast.Node[]).map((item) => (keep(item) ? item : replace(item)));
    } else {
      out[key] = replace(inner);
    }
  }
  return out as ast.SelectStmt;
}
