/**
 * COPY … TO (Postgres's CopyTo and CopyOneRowTo): a table's visible rows or a query's result,
 * printed in the text or CSV format and handed out as chunks of about 64 KiB.
 *
 * A table is read under the snapshot taken when the COPY starts, straight from its versions;
 * a query runs through an ordinary cursor, fetched in batches. Text escapes: backslash,
 * the delimiter, and \b \f \n \r \t \v; CSV quotes a value that holds the delimiter, the quote,
 * a line break, equals the NULL string, or is forced, doubling quote and escape characters.
 * The binary format writes each value with its type's binary output (`binary-format.ts`).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast, Row, Value } from "@tessera/sql";
import type { CopyOutChunk, CopyOutSource, Cursor, StatementContext } from "../api.js";
import { formatContextFrom, outputValue, type FormatSettings } from "../catalog/type-io.js";
import type { Engine } from "../engine.js";
import { sees } from "../storage/table-store.js";
import { binaryHeader, binaryRowEncoder, binaryTrailer } from "./binary-format.js";
import { frozenSettings } from "./context.js";
import { copyOptions, type CopyOptions } from "./options.js";
import { copyTarget } from "./target.js";

/** Bytes of text gathered before a chunk is handed to the session. */
const chunkCharsTarget = 64 * 1024;
/** Rows a query cursor returns per fetch. */
const fetchRows = 1_000;

interface Shape {
  readonly names: readonly string[];
  readonly types: readonly number[];
  readonly forceQuote: readonly boolean[];
  /** Yields batches of rows holding exactly the output columns. */
  readonly batches: () => AsyncGenerator<Row[]>;
}

/** Starts COPY … TO STDOUT (and the server-file variant). */
export function startCopyOut(engine: Engine, stmt: ast.CopyStmt, ctx: StatementContext):
  CopyOutSource {
  const options = copyOptions(stmt);
  const shape = stmt.query !== undefined ? queryShape(engine, stmt.query, options, ctx)
    : tableShape(engine, stmt, options, ctx);
  return copyOutSource(options, shape, ctx);
}

/**
 * COPY … TO STDOUT of rows that another engine's cursor produces: `stmt` gives the options,
 * `columns` and `open` the rows (the coordinator's distributed queries use it).
 */
export function startCopyOutOfCursor(stmt: ast.CopyStmt, ctx: StatementContext,
  columns: readonly { readonly name: string; readonly typeOid: number }[],
  open: () => Cursor): CopyOutSource {
  const options = copyOptions(stmt);
  const names = columns.map((c) => c.name);
  const shape: Shape = { names, types: columns.map((c) => c.typeOid),
    forceQuote: forceQuoteOf(names, options), batches: () => cursorBatches(open) };
  return copyOutSource(options, shape, ctx);
}

function copyOutSource(options: CopyOptions, shape: Shape, ctx: StatementContext):
  CopyOutSource {
  if (options.format === "binary") return binarySource(shape, ctx);
  const format = new RowFormat(options, shape, frozenSettings(ctx));
  let count = 0;
  return {
    columnCount: shape.names.length,
    binary: false,
    async *chunks(): AsyncGenerator<CopyOutChunk> {
      const chunk = new TextChunk();
      if (options.header !== false) chunk.add(format.header());
      for await (const rows of shape.batches()) {
        for (const row of rows) {
          chunk.add(format.row(row));
          count++;
          if (chunk.full) yield chunk.take();
        }
      }
      if (chunk.rows > 0) yield chunk.take();
    },
    commandTag: () => `COPY ${count}`,
  };
}

/** Rows of text gathered into one chunk, with where each ends in its UTF-8 bytes. */
class TextChunk {
  private text = "";
  private bytes = 0;
  private rowEnds: number[] = [];

  get rows(): number {
    return this.rowEnds.length;
  }

  get full(): boolean {
    return this.text.length >= chunkCharsTarget;
  }

  add(row: string): void {
    this.text += row;
    this.bytes += Buffer.byteLength(row, "utf8");
    this.rowEnds.push(this.bytes);
  }

  take(): CopyOutChunk {
    const chunk = { bytes: Buffer.from(this.text, "utf8"), rowEnds: this.rowEnds };
    this.text = "";
    this.bytes = 0;
    this.rowEnds = [];
    return chunk;
  }
}

/** COPY TO in the binary format: header, one tuple per row, trailer. */
function binarySource(shape: Shape, ctx: StatementContext): CopyOutSource {
  const encode = binaryRowEncoder(shape.types, formatContextFrom(frozenSettings(ctx)));
  let count = 0;
  return {
    columnCount: shape.names.length,
    binary: true,
    async *chunks(): AsyncGenerator<CopyOutChunk> {
      // The header goes out with the first row, as PostgreSQL's CopyTo sends it.
      let parts: Buffer[] = [binaryHeader()];
      let bytes = parts[0]!.length;
      let rowEnds: number[] = [];
      for await (const rows of shape.batches()) {
        for (const row of rows) {
          const tuple = encode(row);
          parts.push(tuple);
          bytes += tuple.length;
          rowEnds.push(bytes);
          count++;
          if (bytes >= chunkCharsTarget) {
            yield { bytes: Buffer.concat(parts), rowEnds };
            parts = [];
            bytes = 0;
            rowEnds = [];
          }
        }
      }
      // Without rows the header and the trailer share one message.
      if (rowEnds.length > 0) yield { bytes: Buffer.concat(parts), rowEnds };
      const trailer = binaryTrailer();
      const last = rowEnds.length > 0 ? [trailer] : [...parts, trailer];
      const lastBytes = Buffer.concat(last);
      yield { bytes: lastBytes, rowEnds: [lastBytes.length] };
    },
    commandTag: () => `COPY ${count}`,
  };
}

function tableShape(engine: Engine, stmt: ast.CopyStmt, options: CopyOptions,
  ctx: StatementContext): Shape {
  const target = copyTarget(stmt, engine.statementScope([], ctx), options);
  const { rel, columns } = target;
  const snapshot = engine.readSnapshot(ctx);
  const versions = rel.store.versions;
  return {
    names: columns.map((c) => rel.columns[c]!.name),
    types: columns.map((c) => rel.columns[c]!.type),
    forceQuote: target.forceQuote,
    async *batches(): AsyncGenerator<Row[]> {
      let batch: Row[] = [];
      for (const version of versions) {
        if (!sees(snapshot, version)) continue;
        batch.push(columns.map((c) => version.values[c] ?? null));
        if (batch.length >= fetchRows) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    },
  };
}

function queryShape(engine: Engine, query: ast.Node, options: CopyOptions,
  ctx: StatementContext): Shape {
  const planned = engine.planQuery(query, engine.statementScope([], ctx));
  if (planned.columns === null) {
    throw new SqlError(SqlState.featureNotSupported, "COPY query must have a RETURNING clause");
  }
  const names = planned.columns.map((c) => c.name);
  return {
    names, types: planned.columns.map((c) => c.type), forceQuote: forceQuoteOf(names, options),
    batches: () => cursorBatches(() => engine.openPlan(planned, [], ctx)),
  };
}

/** FORCE_QUOTE as a flag per output column. */
function forceQuoteOf(names: readonly string[], options: CopyOptions): boolean[] {
  const force = options.forceQuote;
  const forceQuote = force === "all" ? names.map(() => true) : names.map(() => false);
  if (force !== "all") {
    for (const name of force) {
      const k = names.indexOf(name);
      if (k < 0) throw new SqlError(SqlState.undefinedColumn, `column "${name}" does not exist`);
      forceQuote[k] = true;
    }
  }
  return forceQuote;
}

async function* cursorBatches(open: () => Cursor): AsyncGenerator<Row[]> {
  const cursor = open();
  try {
    for (;;) {
      const result = await cursor.fetch(fetchRows);
      if (result.rows.length > 0) yield result.rows;
      if (result.commandTag !== undefined) return;
    }
  } finally {
    cursor.close();
  }
}

/** Prints rows in the text or CSV format. */
class RowFormat {
  private readonly csv: boolean;
  private readonly needsEscape: RegExp;
  private readonly single: boolean;

  constructor(private readonly options: CopyOptions, private readonly shape: Shape,
    private readonly fmt: FormatSettings) {
    this.csv = options.format === "csv";
    // CSV quotes for the delimiter, the quote and line breaks (not the escape character).
    const special = this.csv ? `\\n\\r${escapeClass(options.quote)}` : "\\x00-\\x1f\\\\";
    this.needsEscape = new RegExp(`[${special}${escapeClass(options.delimiter)}]`);
    this.single = shape.names.length === 1;
  }

  header(): string {
    return `${this.shape.names.map((n) => this.field(n, false)).join(this.options.delimiter)}\n`;
  }

  row(row: readonly Value[]): string {
    const { types, forceQuote } = this.shape;
    let line = "";
    for (let k = 0; k < row.length; k++) {
      if (k > 0) line += this.options.delimiter;
      const v = row[k]!;
      line += v === null ? this.options.nullString
        : this.field(outputValue(types[k]!, v, this.fmt), forceQuote[k] === true);
    }
    return `${line}\n`;
  }

  private field(text: string, force: boolean): string {
    if (!this.csv) {
      return this.needsEscape.test(text) ? escapeText(text, this.options.delimiter) : text;
    }
    const quote = force || text === this.options.nullString ||
      (this.single && text === "\\.") || this.needsEscape.test(text);
    return quote ? quoteCsv(text, this.options.quote, this.options.escape) : text;
  }
}

const textEscapes: Readonly<Record<string, string>> = {
  "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v", "\\": "\\\\",
};

/** Escapes one value for the text format (Postgres's CopyAttributeOutText). */
function escapeText(text: string, delimiter: string): string {
  let out = "";
  for (const c of text) out += textEscapes[c] ?? (c === delimiter ? `\\${c}` : c);
  return out;
}

function quoteCsv(text: string, quote: string, escape: string): string {
  let out = quote;
  for (const c of text) out += c === quote || c === escape ? escape + c : c;
  return out + quote;
}

function escapeClass(c: string): string {
  return c.replace(/[\\\]^-]/g, (m) => `\\${m}`);
}
