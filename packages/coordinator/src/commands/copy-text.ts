/**
 * Values written as fields of COPY text, the way Postgres's COPY TO prints them
 * (CopyAttributeOutText / CopyAttributeOutCSV), and a COPY's options as the shard COPY
 * repeats them. The coordinator writes fields itself only where no input text exists: the
 * defaults it evaluates for columns a COPY leaves out, and the local rows
 * create_distributed_table moves into the shards; every other field is forwarded as it came.
 */
import type { CopyOptions } from "@tessera/engine";

const textEscapes: Readonly<Record<string, string>> = {
  "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
};
const textSpecial = /[\\\b\f\n\r\t\v]/;

/** One field in text format: backslash escapes, the delimiter escaped, NULL as `nullString`. */
export function textField(value: string | null, delimiter: string, nullString: string): string {
  if (value === null) return nullString;
  const special = textSpecial.test(value) || value.includes(delimiter);
  if (!special) return value;
  let out = "";
  for (const c of value) {
    const escape = textEscapes[c];
    out += escape ?? (c === delimiter ? `\\${c}` : c);
  }
  return out;
}

/** One field in CSV: quoted when it holds a special character or reads as the NULL string. */
export function csvField(value: string | null, options: CopyOptions): string {
  if (value === null) return options.nullString;
  const { delimiter, quote, escape, nullString } = options;
  const needsQuotes = value === nullString || value.includes(delimiter) ||
    value.includes(quote) || value.includes("\n") || value.includes("\r") ||
    (value.length > 0 && value === "\\.");
  if (!needsQuotes) return value;
  let out = quote;
  for (const c of value) out += c === quote || c === escape ? `${escape}${c}` : c;
  return `${out}${quote}`;
}

/** A field in the COPY's format. */
export function copyField(value: string | null, options: CopyOptions): string {
  return options.format === "csv" ? csvField(value, options)
    : textField(value, options.delimiter, options.nullString);
}

/** The WITH clause that makes a shard's COPY read lines as the client's COPY did. */
export function shardCopyOptions(options: CopyOptions): string {
  const items = [`FORMAT ${options.format}`, `DELIMITER ${literal(options.delimiter)}`,
    `NULL ${literal(options.nullString)}`];
  if (options.format === "csv") {
    items.push(`QUOTE ${literal(options.quote)}`, `ESCAPE ${literal(options.escape)}`);
    if (options.forceNotNull.length > 0) {
      items.push(`FORCE_NOT_NULL (${options.forceNotNull.map(identifier).join(", ")})`);
    }
    if (options.forceNull.length > 0) {
      items.push(`FORCE_NULL (${options.forceNull.map(identifier).join(", ")})`);
    }
  }
  return ` WITH (${items.join(", ")})`;
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function identifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
