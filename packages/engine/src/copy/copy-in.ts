/**
 * COPY … FROM: the sink the session feeds CopyData chunks into (Postgres's CopyFrom and
 * NextCopyFrom). The work is split between the two moments Postgres also distinguishes:
 *
 *   accept(chunk)   bytes -> text -> records -> rows: each row gets its defaults, passes the
 *                   WHERE clause and its NOT NULL and CHECK constraints, and waits in `rows`;
 *   finish()        the rows go into the table in one synchronous batch (unique indexes,
 *                   foreign keys), under one write id, so a failing COPY leaves nothing and a
 *                   half-loaded table is never visible to another session.
 *
 * Chunks may split anything, even a UTF-8 character: only the bytes up to a chunk's last
 * newline are decoded (a newline byte never occurs inside a multi-byte character), in one
 * call, and the rest waits for the next chunk. Errors carry Postgres's CONTEXT in `where`:
 * `COPY t, line 3: "…"` or `COPY t, line 3, column b: "…"`. The binary format is cut into
 * tuples by `BinaryTupleReader` and read with each type's binary input; its errors name the
 * tuple as its line, without text.
 */
import { domainDefault } from "../catalog/domains.js";
import { checkCopyFromWritable } from "../execute/read-only-commands.js";
import { isUtf8 } from "node:buffer";
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast, Row, Value } from "@tessera/sql";
import type { CopyInSink, StatementContext } from "../api.js";
import { tableItem } from "../analyze/modify-target.js";
import { analyzeExpr, asBoolean } from "../analyze/expr-analyze.js";
import { Scope } from "../analyze/scope.js";
import { formatContextFrom, inputValue, type FormatSettings } from "../catalog/type-io.js";
import type { Engine } from "../engine.js";
import { compilePredicate } from "../execute/compile.js";
import { insertRouted } from "../partition/modify-targets.js";
import { StatementWriter, type TableWriter } from "../execute/row-writer.js";
import type { Runtime } from "../execute/runtime.js";
import { BinaryTupleReader, binaryReceiver, type BinaryTuple } from "./binary-format.js";
import { CsvReader } from "./csv-reader.js";
import { copyOptions, type CopyOptions } from "./options.js";
import { firstInvalid, invalidUtf8, lineOnlyContext, type RecordReader } from "./record.js";
import { copyTarget, type CopyTarget } from "./target.js";
import { ViewCopy } from "./copy-view.js";
import { TextReader } from "./text-reader.js";
import { frozenSettings, limitPrintout, withContext } from "./context.js";
import { refuseRowTriggers } from "../plpgsql/triggers.js";

/** A line longer than this is refused rather than buffered (Postgres caps a row near 1 GB). */
const lineBytesMax = 256 * 1024 * 1024;

/** Starts COPY … FROM STDIN (and the server-file variant, which feeds it from a file). */
export function startCopyIn(engine: Engine, stmt: ast.CopyStmt, ctx: StatementContext):
  CopyLoader {
  const options = copyOptions(stmt);
  const statement = engine.statementScope([], ctx);
  const target = copyTarget(stmt, statement, options);
  checkCopyFromWritable(target.rel.schema, ctx);
  if (target.rel.kind !== "v") refuseRowTriggers(engine.catalog, target.rel, "COPY FROM");
  const rt = engine.runtime([], ctx);
  let where: ((row: Row, rt: Runtime) => boolean) | null = null;
  if (stmt.whereClause !== undefined) {
    const scope = new Scope(statement, undefined);
    scope.items.push(tableItem(target.rel, target.rel.name, 0));
    scope.clause = "WHERE";
    where = compilePredicate(asBoolean(analyzeExpr(stmt.whereClause, scope), "WHERE", scope));
  }
  return new CopyLoader(engine, target, options, rt, where);
}

/**
 * Where a loader in record mode (`routeRecords`) hands each checked record instead of making
 * a row: the coordinator's COPY into shards forwards the record's text as it came.
 *   value     the routing column's value (its field through the input function, or its
 *             default when the COPY's column list leaves it out); null for NULL
 *   line      the record's text, as the reader cut it (without its line ending)
 *   defaults  the defaults of the columns the list leaves out (`defaultColumns`), in order
 */
export type CopyRecordSink = (value: Value, line: string, defaults: readonly Value[],
  lineNumber: number) => void;

export class CopyLoader implements CopyInSink {
  readonly columnCount: number;
  readonly binary: boolean;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private carry = "";
  private lineNumber = 0;
  private readonly rows: Row[] = [];
  private readonly rowLines: number[] = [];
  private readonly reader: RecordReader;
  private readonly checker: TableWriter;
  private readonly types: readonly number[];
  private readonly typmods: readonly number[];
  private readonly defaults: readonly number[];
  private readonly template: Row;
  private readonly fmt: FormatSettings;
  private finished = false;
  private records: { readonly sink: CopyRecordSink; readonly column: number } | undefined;
  /** The binary format's tuples and each column's binary input, for FORMAT binary. */
  private readonly tuples: BinaryTupleReader | undefined;
  private readonly receivers: readonly ((bytes: Uint8Array) => Value)[] = [];
  /** A view's INSTEAD OF INSERT triggers, which take each row as it is read. */
  private readonly view: ViewCopy | undefined;

  constructor(private readonly engine: Engine, private readonly target: CopyTarget,
    private readonly options: CopyOptions, private readonly rt: Runtime,
    private readonly where: ((row: Row, rt: Runtime) => boolean) | null) {
    const { rel, columns } = target;
    this.columnCount = columns.length;
    this.reader = options.format === "csv"
      ? new CsvReader({ ...options, forceNotNull: target.forceNotNull,
        forceNull: target.forceNull })
      : new TextReader(options.delimiter, options.nullString);
    this.view = rel.kind === "v" ? new ViewCopy(engine, rel, rt) : undefined;
    this.checker = new StatementWriter(rt).table(rel);
    this.checker.prepareDefaults();
    this.types = columns.map((c) => rel.columns[c]!.type);
    this.typmods = columns.map((c) => rel.columns[c]!.typmod);
    this.defaults = rel.columns.flatMap((c, i) =>
      (c.dropped || columns.includes(i) ||
        (c.defaultExpr === null && domainDefault(c.type) === undefined) ? [] : [i]));
    this.template = rel.columns.map(() => null);
    this.fmt = frozenSettings(rt.ctx);
    this.binary = options.format === "binary";
    if (this.binary) {
      this.tuples = new BinaryTupleReader(columns.length);
      const context = formatContextFrom(this.fmt);
      this.receivers = columns.map((_, k) =>
        binaryReceiver(this.types[k]!, this.typmods[k]!, context));
    }
  }

  accept(chunk: Uint8Array): void {
    if (this.tuples !== undefined) {
      if (!this.finished) this.readTuples(chunk, false);
      return;
    }
    if (this.finished || this.reader.ended) return;
    const nl = chunk.lastIndexOf(10);
    if (nl < 0) {
      this.hold(chunk);
      return;
    }
    // A line begun in earlier chunks is joined with its end alone, not the whole chunk.
    let from = 0;
    if (this.pending.length > 0) {
      from = chunk.indexOf(10) + 1;
      const lead = Buffer.concat([...this.pending, chunk.subarray(0, from)]);
      this.pending = [];
      this.pendingBytes = 0;
      this.parse(this.decode(lead), false);
    }
    const rest = nl + 1 < chunk.length ? chunk.subarray(nl + 1) : null;
    if (from <= nl && !this.reader.ended) {
      this.parse(this.decode(chunk.subarray(from, nl + 1)), false);
    }
    if (rest !== null && !this.reader.ended) this.hold(rest);
  }

  private hold(bytes: Uint8Array): void {
    this.pendingBytes += bytes.length;
    if (this.pendingBytes + this.carry.length > lineBytesMax) {
      throw new SqlError(SqlState.programLimitExceeded, "COPY line is too long",
        { where: this.context(this.lineNumber + 1) });
    }
    this.pending.push(bytes.slice());
  }

  /** Decodes whole lines of UTF-8, or raises 22021 naming the line of the bad byte. */
  private decode(bytes: Uint8Array): string {
    if (!isUtf8(bytes) || bytes.includes(0)) {
      const at = firstInvalid(bytes);
      let line = this.lineNumber + 1;
      for (let i = 0; i < at; i++) if (bytes[i] === 10) line++;
      const error = invalidUtf8(bytes, at);
      throw withContext(error, this.context(line));
    }
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  }

  /** Reads every complete record of `text` (after the carried-over start of a record). */
  private parse(text: string, final: boolean): void {
    const reader = this.reader;
    reader.reset(this.carry.length === 0 ? text : this.carry + text, final);
    this.carry = "";
    const header = this.options.header;
    try {
      while (reader.next()) {
        this.lineNumber++;
        if (this.lineNumber === 1 && header !== false) {
          if (header === "match") this.matchHeader();
          continue;
        }
        this.addRecord();
      }
    } catch (error) {
      if (!(error instanceof SqlError)) throw error;
      if (error.fields.where === lineOnlyContext) {
        throw withContext(error, this.context(this.lineNumber + 1));
      }
      if (error.fields.where !== undefined) throw error;
      throw withContext(error, this.lineContext(this.lineNumber + 1));
    }
    this.carry = reader.rest();
  }

  /** Reads the complete tuples of the binary stream so far (all of it when `final`). */
  private readTuples(chunk: Uint8Array, final: boolean): void {
    const tuples = this.tuples!;
    tuples.push(chunk);
    for (;;) {
      let tuple: BinaryTuple | undefined;
      try {
        tuple = tuples.next(final);
      } catch (error) {
        // Postgres reads the header before its error context is in place.
        if (!tuples.headerRead) throw error;
        const field = tuples.failedField;
        for (let k = 0; k < field; k++) this.receiveField(tuples.fieldsBefore[k] ?? null, k, 1);
        const column = field < 0 ? ""
          : `, column ${this.target.rel.columns[this.target.columns[field]!]!.name}`;
        throw withContext(error, this.context(this.lineNumber + 1) + column);
      }
      if (tuple === undefined) return;
      this.lineNumber++;
      if (this.records !== undefined) throw notSupported("COPY FROM in binary format by records");
      this.addTuple(tuple);
    }
  }

  /** Turns one binary tuple into a row (each field through its type's binary input). */
  private addTuple(tuple: BinaryTuple): void {
    const columns = this.target.columns;
    const row = this.template.slice();
    for (let k = 0; k < tuple.length; k++) {
      row[columns[k]!] = this.receiveField(tuple[k]!, k, 0);
    }
    this.complete(row);
  }

  /** Field `k` through its type's binary input; errors name it (`ahead`: a tuple not read). */
  private receiveField(field: Uint8Array | null, k: number, ahead: number): Value {
    if (field === null) return null;
    try {
      return this.receivers[k]!(field);
    } catch (error) {
      const column = this.target.rel.columns[this.target.columns[k]!]!.name;
      throw withContext(error, `${this.context(this.lineNumber + ahead)}, column ${column}`);
    }
  }

  /** Turns the reader's current record into a row and checks it. */
  private addRecord(): void {
    const reader = this.reader;
    const { columns, rel } = this.target;
    const n = columns.length;
    if (reader.count > n) throw this.recordError("extra data after last expected column");
    if (reader.count < n) {
      const name = rel.columns[columns[reader.count]!]!.name;
      throw this.recordError(`missing data for column "${name}"`);
    }
    if (this.records !== undefined) {
      this.routeRecord(this.records.sink, this.records.column);
      return;
    }
    const row = this.template.slice();
    const fields = reader.fields;
    let k = 0;
    try {
      for (; k < n; k++) {
        const field = fields[k]!;
        row[columns[k]!] = field === null ? null
          : inputValue(this.types[k]!, field, this.typmods[k]!, this.fmt);
      }
    } catch (error) {
      const column = rel.columns[columns[k]!]!.name;
      throw withContext(error, `${this.context(this.lineNumber)}, column ${column}: ` +
        `"${limitPrintout(fields[k] ?? "")}"`);
    }
    this.complete(row);
  }

  /**
   * Record mode: instead of rows, `sink` receives each record's text, the value of table
   * column `column` (decoded alone) and the defaults of the columns the list leaves out.
   * Type input, NOT NULL and CHECK of the other fields are left to whoever loads the text;
   * a COPY with a WHERE clause cannot be routed this way (its rows must be decoded).
   */
  routeRecords(column: number, sink: CopyRecordSink): void {
    if (this.where !== null) throw notSupported("COPY FROM … WHERE in record mode");
    this.records = { sink, column };
  }

  /** The table columns `routeRecords` gives defaults for, in the order it gives them. */
  get defaultColumns(): readonly number[] {
    return this.defaults;
  }

  private routeRecord(sink: CopyRecordSink, column: number): void {
    const fields = this.reader.fields;
    const k = this.target.columns.indexOf(column);
    let value: Value = null;
    if (k >= 0) {
      const field = fields[k]!;
      try {
        value = field === null ? null
          : inputValue(this.types[k]!, field, this.typmods[k]!, this.fmt);
      } catch (error) {
        const name = this.target.rel.columns[column]!.name;
        throw withContext(error, `${this.context(this.lineNumber)}, column ${name}: ` +
          `"${limitPrintout(field ?? "")}"`);
      }
    }
    let defaults: Value[] = [];
    try {
      defaults = this.defaults.map((i) => this.checker.defaultValue(i));
      if (k < 0) value = defaults[this.defaults.indexOf(column)] ?? null;
      sink(value, this.reader.lineText(), defaults, this.lineNumber);
    } catch (error) {
      if (error instanceof SqlError && error.fields.where !== undefined) throw error;
      throw withContext(error, this.lineContext());
    }
  }

  /** Fills defaults, applies WHERE, checks NOT NULL and CHECK; keeps the row for `finish`. */
  private complete(row: Row): void {
    try {
      for (const i of this.defaults) row[i] = this.checker.defaultValue(i);
      if (this.where !== null && !this.where(row, this.rt)) return;
      this.checker.checkRow(row);
    } catch (error) {
      throw withContext(error, this.lineContext());
    }
    if (this.view !== undefined) return this.view.insert(row, () => this.lineContext());
    this.rows.push(row);
    this.rowLines.push(this.lineNumber);
  }

  private matchHeader(): void {
    const reader = this.reader;
    const { columns, rel } = this.target;
    if (reader.count !== columns.length) {
      throw this.recordError(`wrong number of fields in header line: got ${reader.count}, ` +
        `expected ${columns.length}`);
    }
    columns.forEach((c, k) => {
      const got = reader.fields[k] ?? null;
      const expected = rel.columns[c]!.name;
      if (got === expected) return;
      const shown = got === null ? `null value ("${this.options.nullString}")` : `"${got}"`;
      throw this.recordError(`column name mismatch in header line field ${k + 1}: ` +
        `got ${shown}, expected "${expected}"`);
    });
  }

  private recordError(message: string): SqlError {
    return new SqlError(SqlState.badCopyFileFormat, message, { where: this.lineContext() });
  }

  private context(line: number): string {
    return `COPY ${this.target.rel.name}, line ${line}`;
  }

  private lineContext(line = this.lineNumber): string {
    if (this.binary) return this.context(line);
    return `${this.context(line)}: "${limitPrintout(this.reader.lineText())}"`;
  }

  /** Loads the rows; returns "COPY n". */
  async finish(): Promise<string> {
    if (!this.finished) this.finishParse();
    if (this.view !== undefined) return this.view.finish();
    const rt = this.engine.runtime([], this.rt.ctx);
    const writes = new StatementWriter(rt);
    const writer = writes.table(this.target.rel);
    const progress = { done: 0 };
    try {
      if (this.target.rel.partitionKey === undefined) writer.insertMany(this.rows, progress);
      else insertRouted(writes, this.target.rel, this.rows, progress);
    } catch (error) {
      rt.undo.rollback();
      throw withContext(error, this.context(this.rowLines[progress.done]!));
    }
    try {
      writes.finish();
    } catch (error) {
      rt.undo.rollback();
      throw error;
    }
    this.engine.catalog.lastWriteId = rt.writeId;
    return `COPY ${this.rows.length}`;
  }

  /**
   * Finishes reading and hands the checked rows (full table width, defaults filled) to the
   * caller instead of loading them: the coordinator routes them to shards.
   */
  takeRows(): Row[] {
    if (!this.finished) this.finishParse();
    return this.rows.splice(0);
  }

  /** Reads what remains after the last newline: a last line without one is still a line. */
  private finishParse(): void {
    this.finished = true;
    if (this.tuples !== undefined) {
      this.readTuples(new Uint8Array(0), true);
      return;
    }
    if (this.reader.ended) return;
    const rest = this.pending.length === 0 ? "" : this.decode(Buffer.concat(this.pending));
    this.pending = [];
    this.parse(rest, true);
  }

  abort(): void {
    this.view?.abort();
    this.finished = true;
    this.rows.length = 0;
    this.pending = [];
  }
}
