/**
 * The default of a record variable (`r tbl := row(…)`, `r tbl%ROWTYPE DEFAULT …`): the
 * PL/pgSQL parser keeps it, but libpg-query's JSON of a PLpgSQL_rec leaves it out. It is
 * read back from the body's text: the declaration that starts on the datum's line and names
 * the variable, up to its `;`.
 */
import { parseStatements } from "@tessera/sql";

/** Finds defaults of record variables in the body of `createSql` (read on first use). */
export function recordDefaultFinder(createSql: string):
  (name: string, line: number) => string | undefined {
  let body: string | undefined;
  return (name, line) => {
    body ??= bodyOf(createSql);
    const lines = body.split("\n");
    if (line < 1 || line > lines.length) return undefined;
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    for (const declaration of declarations(body.slice(start))) {
      const found = defaultOf(declaration, name);
      if (found !== null) return found;
    }
    return undefined;
  };
}

/** CONSTANT and NOT NULL of a record variable's declaration (the parser's JSON drops them). */
export interface RecordFlags {
  readonly constant: boolean;
  readonly notNull: boolean;
}

/** Finds CONSTANT and NOT NULL of record variables in the body of `createSql`. */
export function recordFlagFinder(createSql: string): (name: string, line: number) => RecordFlags {
  let body: string | undefined;
  return (name, line) => {
    body ??= bodyOf(createSql);
    const lines = body.split("\n");
    const none = { constant: false, notNull: false };
    if (line < 1 || line > lines.length) return none;
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    for (const declaration of declarations(body.slice(start))) {
      const after = declaredRest(declaration, name);
      if (after === null) continue;
      const head = after.split(/:=|=|\bdefault\b/i)[0] ?? "";
      return { constant: /^\s*constant\b/i.test(after), notNull: /\bnot\s+null\b/i.test(head) };
    }
    return none;
  };
}

/** The text after the name `declaration` declares when it is `name`, else null. */
function declaredRest(declaration: string, name: string): string | null {
  const rest = declaration.replace(leading, "");
  const quoted = /^"((?:[^"]|"")*)"/.exec(rest);
  const plain = quoted === null ? /^[\p{L}_][\p{L}\p{N}_$]*/u.exec(rest) : null;
  const declared = quoted !== null ? quoted[1]!.replace(/""/g, "\"")
    : plain?.[0].toLowerCase();
  return declared === name ? rest.slice((quoted ?? plain)![0].length) : null;
}

/** The text between $$ … $$ of a CREATE FUNCTION (its AS option). */
function bodyOf(createSql: string): string {
  const stmt = parseStatements(createSql)[0]?.stmt;
  if (stmt === undefined || !("CreateFunctionStmt" in stmt)) return "";
  for (const option of stmt.CreateFunctionStmt.options ?? []) {
    if (!("DefElem" in option) || option.DefElem.defname !== "as") continue;
    const arg = option.DefElem.arg;
    const first = arg !== undefined && "List" in arg ? arg.List.items?.[0] : undefined;
    if (first !== undefined && "String" in first) return first.String.sval ?? "";
  }
  return "";
}

/** The text's pieces ended by `;` outside quotes, comments and parentheses (at most 8). */
function declarations(text: string): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length && pieces.length < 8; i++) {
    const c = text[i]!;
    const skip = skipQuoted(text, i);
    if (skip > i) {
      i = skip - 1;
    } else if (c === "(" || c === "[") {
      depth++;
    } else if (c === ")" || c === "]") {
      depth = Math.max(0, depth - 1);
    } else if (c === ";" && depth === 0) {
      pieces.push(text.slice(from, i));
      from = i + 1;
    }
  }
  return pieces;
}

/** Where a quoted string, identifier, dollar quote or comment at `i` ends (or `i`). */
function skipQuoted(text: string, i: number): number {
  const c = text[i];
  if (c === "'" || c === "\"") {
    let j = i + 1;
    while (j < text.length) {
      if (text[j] === c && text[j + 1] === c) j += 2;
      else if (text[j] === c) return j + 1;
      else j++;
    }
    return j;
  }
  if (c === "-" && text[i + 1] === "-") {
    const end = text.indexOf("\n", i);
    return end < 0 ? text.length : end;
  }
  if (c === "/" && text[i + 1] === "*") {
    const end = text.indexOf("*/", i + 2);
    return end < 0 ? text.length : end + 2;
  }
  const tag = c === "$" ? /^\$[A-Za-z_]*\$/.exec(text.slice(i))?.[0] : undefined;
  if (tag !== undefined) {
    const end = text.indexOf(tag, i + tag.length);
    return end < 0 ? text.length : end + tag.length;
  }
  return i;
}

const leading = /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/|<<\s*\w+\s*>>|declare\b)*/i;

/**
 * The default in `declaration` when it declares `name`: the text after its first `:=`, `=`
 * or DEFAULT outside quotes and parentheses; undefined without one, null for another name.
 */
function defaultOf(declaration: string, name: string): string | undefined | null {
  const after = declaredRest(declaration, name);
  if (after === null) return null;
  let depth = 0;
  for (let i = 0; i < after.length; i++) {
    const skip = skipQuoted(after, i);
    if (skip > i) {
      i = skip - 1;
      continue;
    }
    const c = after[i]!;
    if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    if (depth !== 0) continue;
    if (c === ":" && after[i + 1] === "=") return after.slice(i + 2).trim();
    if (c === "=") return after.slice(i + 1).trim();
    const word = /^default\b/i.exec(after.slice(i));
    if (word !== null && /\s/.test(after[i - 1] ?? " ")) return after.slice(i + 7).trim();
  }
  return undefined;
}
