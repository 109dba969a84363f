/**
 * Splits a corpus file into statements, and answers the one question the runner asks of SQL
 * text: does the statement end with a top-level ORDER BY?
 *
 * Format of a case file (see README.md):
 *   -- setup        following statements build state; they must succeed on the reference
 *   -- test         following statements are the cases (the default section)
 *   -- ordered      the next statement's rows are compared in order
 *   -- unordered    the next statement's rows are compared as a multiset, even with ORDER BY
 * A statement ends at a `;` outside quotes, dollar quotes, identifiers and comments.
 */

export type Section = "setup" | "test";
export type OrderMode = "auto" | "ordered" | "unordered";

export interface Statement {
  /** 1-based position among all statements of the file (setup included). */
  readonly index: number;
  /** 1-based line where the statement starts. */
  readonly line: number;
  readonly sql: string;
  readonly section: Section;
  readonly order: OrderMode;
}

const DIRECTIVE = /^--\s*(setup|test|ordered|unordered)\s*$/;

/** Blanks out the contents of strings, quoted identifiers and comments, keeping offsets. */
export function maskSql(sql: string): string {
  const out = sql.split("");
  const blank = (from: number, to: number): void => {
    for (let i = from; i < to; i++) if (out[i] !== "\n") out[i] = " ";
  };
  let i = 0;
  while (i < sql.length) {
    const end = skipQuoted(sql, i);
    if (end > i) {
      blank(i, end);
      i = end;
    } else {
      i++;
    }
  }
  return out.join("");
}

/**
 * If a quoted or commented region starts at `i`, returns the offset just past it (or the end
 * of the text when it is unterminated); otherwise returns `i`.
 */
function skipQuoted(sql: string, i: number): number {
  const c = sql[i];
  const next = sql[i + 1];
  if (c === "-" && next === "-") {
    const nl = sql.indexOf("\n", i);
    return nl < 0 ? sql.length : nl;
  }
  if (c === "/" && next === "*") return skipBlockComment(sql, i);
  if (c === "'") {
    const escapes = i > 0 && /[eE]/.test(sql[i - 1] ?? "") && !/\w/.test(sql[i - 2] ?? "");
    return skipString(sql, i, "'", escapes);
  }
  if (c === '"') return skipString(sql, i, '"', false);
  if (c === "$") {
    const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
    // `$1` is a parameter, and a tag cannot follow an identifier character (`a$b$`).
    if (tag && !/[\w$]/.test(sql[i - 1] ?? "")) {
      const close = sql.indexOf(tag[0], i + tag[0].length);
      return close < 0 ? sql.length : close + tag[0].length;
    }
  }
  return i;
}

function skipBlockComment(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql.startsWith("/*", i)) {
      depth++;
      i += 2;
    } else if (sql.startsWith("*/", i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return sql.length;
}

function skipString(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslashEscapes && c === "\\") {
      i += 2;
    } else if (c === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return sql.length;
}

/** Splits a corpus file into statements, applying the directives. */
export function splitCorpus(text: string): Statement[] {
  const masked = maskSql(text);
  const statements: Statement[] = [];
  let section: Section = "test";
  let pendingOrder: OrderMode = "auto";
  let start = 0;
  const lineAt = (offset: number): number => text.slice(0, offset).split("\n").length;

  // Directives live on their own line outside any statement; find them in the masked-out
  // comment positions by scanning the original lines between statements.
  const applyDirectives = (from: number, to: number): void => {
    for (const raw of text.slice(from, to).split("\n")) {
      const m = DIRECTIVE.exec(raw.trim());
      if (!m) continue;
      const word = m[1];
      if (word === "setup" || word === "test") section = word;
      else if (word === "ordered" || word === "unordered") pendingOrder = word;
    }
  };

  for (let i = 0; i < masked.length; i++) {
    if (masked[i] !== ";") continue;
    const chunk = text.slice(start, i + 1);
    const body = firstCodeOffset(masked, start, i);
    applyDirectives(start, body);
    const sql = chunk.slice(body - start).trim();
    if (sql !== ";") {
      statements.push({
        index: statements.length + 1,
        line: lineAt(body),
        sql,
        section,
        order: pendingOrder,
      });
    }
    pendingOrder = "auto";
    start = i + 1;
  }
  applyDirectives(start, text.length);
  const rest = masked.slice(start).trim();
  if (rest !== "") throw new Error(`statement without a terminating ';' at line ${lineAt(start)}`);
  return statements;
}

/** Offset of the first character of SQL code (not blank, not comment) in [from, to). */
function firstCodeOffset(masked: string, from: number, to: number): number {
  for (let i = from; i < to; i++) if (!/\s/.test(masked[i] ?? "")) return i;
  return to;
}

/**
 * True when the statement's result order is fixed by a top-level ORDER BY: one outside every
 * parenthesis (so not in a subquery, window, aggregate or CTE body).
 */
export function hasTopLevelOrderBy(sql: string): boolean {
  const masked = maskSql(sql).toLowerCase();
  let depth = 0;
  const words = /[()]|[a-z_][a-z0-9_$]*/g;
  let previous = "";
  for (let m = words.exec(masked); m; m = words.exec(masked)) {
    const token = m[0];
    if (token === "(") depth++;
    else if (token === ")") depth--;
    else if (depth === 0 && previous === "order" && token === "by") return true;
    if (token !== "(" && token !== ")") previous = depth === 0 ? token : "";
  }
  return false;
}
