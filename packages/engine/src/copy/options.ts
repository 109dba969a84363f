/**
 * COPY's options (Postgres's ProcessCopyOptions in commands/copy.c): reads the option list
 * the grammar builds from both the `WITH (FORMAT csv, HEADER)` and the old `CSV HEADER`
 * spellings, fills in each format's defaults, and rejects the combinations Postgres rejects,
 * with its codes and messages, checked in its order.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { locationOf } from "../analyze/expr-analyze.js";

export type CopyFormat = "text" | "csv" | "binary";

export interface CopyOptions {
  readonly format: CopyFormat;
  readonly delimiter: string;
  readonly nullString: string;
  readonly header: boolean | "match";
  readonly quote: string;
  readonly escape: string;
  /** Column names as given; resolved against the column list by `copy-target.ts`. */
  readonly forceQuote: readonly string[] | "all";
  readonly forceNotNull: readonly string[];
  readonly forceNull: readonly string[];
}

interface Raw {
  format?: CopyFormat;
  delimiter?: string;
  nullString?: string;
  header?: boolean | "match";
  quote?: string;
  escape?: string;
  forceQuote?: string[] | "all";
  forceNotNull?: string[];
  forceNull?: string[];
}

/** Reads and checks the options of a COPY statement. */
export function copyOptions(stmt: ast.CopyStmt): CopyOptions {
  const raw: Raw = {};
  const seen = new Set<string>();
  for (const node of stmt.options ?? []) {
    if (!("DefElem" in node)) continue;
    const def = node.DefElem;
    const name = def.defname ?? "";
    if (seen.has(name)) {
      throw new SqlError(SqlState.syntaxError, "conflicting or redundant options",
        locationOf(def.location));
    }
    seen.add(name);
    readOption(raw, name, def);
  }
  return checked(raw, stmt.is_from === true);
}

function readOption(raw: Raw, name: string, def: ast.DefElem): void {
  switch (name) {
    case "format": {
      const format = stringArg(def);
      if (format !== "text" && format !== "csv" && format !== "binary") {
        throw new SqlError(SqlState.invalidParameterValue,
          `COPY format "${format}" not recognized`, locationOf(def.location));
      }
      raw.format = format;
      return;
    }
    case "freeze": booleanArg(def); return;
    case "delimiter": raw.delimiter = stringArg(def); return;
    case "null": raw.nullString = stringArg(def); return;
    case "header": raw.header = headerArg(def); return;
    case "quote": raw.quote = stringArg(def); return;
    case "escape": raw.escape = stringArg(def); return;
    case "force_quote": raw.forceQuote = def.arg !== undefined && "A_Star" in def.arg
      ? "all" : listArg(def); return;
    case "force_not_null": raw.forceNotNull = listArg(def); return;
    case "force_null": raw.forceNull = listArg(def); return;
    case "encoding": {
      const encoding = stringArg(def).toLowerCase().replace(/[-_]/g, "");
      if (encoding !== "utf8" && encoding !== "unicode" && encoding !== "sqlascii") {
        if (["latin1", "win1252", "euc_jp"].includes(encoding) ||
          /^(latin|win|iso8859|euc|koi8)/.test(encoding)) {
          throw notSupported(`COPY with ENCODING '${stringArg(def)}'`);
        }
        throw new SqlError(SqlState.invalidParameterValue,
          "argument to option \"encoding\" must be a valid encoding name",
          locationOf(def.location));
      }
      return;
    }
    default:
      throw new SqlError(SqlState.syntaxError, `option "${name}" not recognized`,
        locationOf(def.location));
  }
}

/** Applies the defaults and Postgres's checks on option combinations. */
function checked(raw: Raw, isFrom: boolean): CopyOptions {
  const format = raw.format ?? "text";
  const csv = format === "csv";
  if (format === "binary" && raw.delimiter !== undefined) {
    throw new SqlError(SqlState.syntaxError, "cannot specify DELIMITER in BINARY mode");
  }
  if (format === "binary" && raw.nullString !== undefined) {
    throw new SqlError(SqlState.syntaxError, "cannot specify NULL in BINARY mode");
  }
  const delimiter = raw.delimiter ?? (csv ? "," : "\t");
  const nullString = raw.nullString ?? (csv ? "" : "\\N");
  const unsupported = (message: string): SqlError =>
    new SqlError(SqlState.featureNotSupported, message);
  const invalid = (message: string): SqlError =>
    new SqlError(SqlState.invalidParameterValue, message);
  if (utf8Length(delimiter) !== 1) {
    throw unsupported("COPY delimiter must be a single one-byte character");
  }
  if (delimiter === "\n" || delimiter === "\r") {
    throw invalid("COPY delimiter cannot be newline or carriage return");
  }
  if (nullString.includes("\n") || nullString.includes("\r")) {
    throw invalid("COPY null representation cannot use newline or carriage return");
  }
  if (!csv && "\\.abcdefghijklmnopqrstuvwxyz0123456789".includes(delimiter)) {
    throw invalid(`COPY delimiter cannot be "${delimiter}"`);
  }
  if (format === "binary" && raw.header !== undefined) {
    throw unsupported("cannot specify HEADER in BINARY mode");
  }
  if (!csv && raw.quote !== undefined) throw unsupported("COPY quote available only in CSV mode");
  const quote = raw.quote ?? "\"";
  if (csv && utf8Length(quote) !== 1) {
    throw unsupported("COPY quote must be a single one-byte character");
  }
  if (csv && delimiter === quote) throw invalid("COPY delimiter and quote must be different");
  if (!csv && raw.escape !== undefined) {
    throw unsupported("COPY escape available only in CSV mode");
  }
  const escape = raw.escape ?? quote;
  if (csv && utf8Length(escape) !== 1) {
    throw unsupported("COPY escape must be a single one-byte character");
  }
  checkForceOptions(raw, csv, isFrom);
  if (nullString.includes(delimiter)) {
    throw unsupported("COPY delimiter must not appear in the NULL specification");
  }
  if (csv && nullString.includes(quote)) {
    throw unsupported("CSV quote character must not appear in the NULL specification");
  }
  if (raw.header === "match" && !isFrom) {
    throw unsupported("cannot use \"match\" with HEADER in COPY TO");
  }
  return { format, delimiter, nullString, header: raw.header ?? false, quote, escape,
    forceQuote: raw.forceQuote ?? [], forceNotNull: raw.forceNotNull ?? [],
    forceNull: raw.forceNull ?? [] };
}

function checkForceOptions(raw: Raw, csv: boolean, isFrom: boolean): void {
  const unsupported = (message: string): SqlError =>
    new SqlError(SqlState.featureNotSupported, message);
  if (raw.forceQuote !== undefined) {
    if (!csv) throw unsupported("COPY force quote available only in CSV mode");
    if (isFrom) throw unsupported("COPY force quote only available using COPY TO");
  }
  if (raw.forceNotNull !== undefined) {
    if (!csv) throw unsupported("COPY force not null available only in CSV mode");
    if (!isFrom) throw unsupported("COPY force not null only available using COPY FROM");
  }
  if (raw.forceNull !== undefined) {
    if (!csv) throw unsupported("COPY force null available only in CSV mode");
    if (!isFrom) throw unsupported("COPY force null only available using COPY FROM");
  }
}

function utf8Length(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

function stringArg(def: ast.DefElem): string {
  const arg = def.arg;
  if (arg === undefined) {
    throw new SqlError(SqlState.syntaxError, `${def.defname} requires a parameter`);
  }
  if ("String" in arg) return arg.String.sval ?? "";
  if ("Integer" in arg) return String(arg.Integer.ival ?? 0);
  if ("Boolean" in arg) return arg.Boolean.boolval === true ? "true" : "false";
  throw new SqlError(SqlState.syntaxError, `${def.defname} requires a parameter`);
}

function booleanArg(def: ast.DefElem): boolean {
  if (def.arg === undefined) return true;
  const text = stringArg(def).toLowerCase();
  if (["true", "on", "1"].includes(text)) return true;
  if (["false", "off", "0"].includes(text)) return false;
  throw new SqlError(SqlState.syntaxError, `${def.defname} requires a Boolean value`);
}

function headerArg(def: ast.DefElem): boolean | "match" {
  if (def.arg === undefined) return true;
  const text = stringArg(def).toLowerCase();
  if (["true", "on", "1"].includes(text)) return true;
  if (["false", "off", "0"].includes(text)) return false;
  if (text === "match") return "match";
  throw new SqlError(SqlState.syntaxError, `${def.defname} requires a Boolean value or "match"`);
}

function listArg(def: ast.DefElem): string[] {
  const arg = def.arg;
  if (arg === undefined || !("List" in arg)) {
    throw new SqlError(SqlState.syntaxError,
      `argument to option "${def.defname}" must be a list of column names`);
  }
  return (arg.List.items ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
}
