/**
 * Serializes backend messages into a `Writer`, one small function per message kind, picked by
 * an exhaustive table so a new message kind breaks the build until it has a serializer.
 *
 * The serializer also checks the one invariant it can see across messages: consecutive
 * DataRows belong to one result, so they all have the same number of cells.
 */
import { assert } from "@tessera/base";
import type { BackendMessage, ErrorFields } from "./backend.js";
import { Writer } from "./writer.js";

type Serializers = {
  [K in BackendMessage["type"]]: (w: Writer, m: Extract<BackendMessage, { type: K }>) => void;
};

/** Authentication request codes in the 'R' message. */
const AuthCode = { ok: 0, sasl: 10, saslContinue: 11, saslFinal: 12 } as const;

type RowDescriptionMessage = Extract<BackendMessage, { type: "rowDescription" }>;

/** ReadyForQuery ('Z', length 5, status) for each transaction status. */
const readyForQueryBytes: Readonly<Record<string, Uint8Array>> = {
  I: Uint8Array.of(0x5a, 0, 0, 0, 5, 0x49),
  T: Uint8Array.of(0x5a, 0, 0, 0, 5, 0x54),
  E: Uint8Array.of(0x5a, 0, 0, 0, 5, 0x45),
};

export class BackendSerializer {
  readonly writer = new Writer();
  /** Cell count of the DataRow just written, or -1 when the last message was no DataRow. */
  private dataRowCellCount = -1;
  /**
   * The last RowDescription written and its bytes. Messages are immutable, and a session that
   * runs one prepared statement again and again describes it with the same message object, so
   * its bytes are copied rather than serialized field by field per query.
   */
  private description: RowDescriptionMessage | undefined;
  private descriptionBytes: Uint8Array | undefined;
  /** The last CommandComplete's tag and bytes. */
  private completeTag: string | undefined;
  private completeBytes: Uint8Array | undefined;

  /** Appends one message's bytes to the writer. */
  write(message: BackendMessage): void {
    if (message.type === "dataRow") {
      const count = message.cells.length;
      assert(this.dataRowCellCount === -1 || this.dataRowCellCount === count,
        "consecutive DataRows have the same number of cells");
      this.dataRowCellCount = count;
      writeDataRow(this.writer, message.cells);
      return;
    }
    this.dataRowCellCount = -1;
    if (message.type === "rowDescription") {
      this.writeRowDescription(message);
      return;
    }
    if (message.type === "commandComplete") {
      this.writeCommandComplete(message.tag);
      return;
    }
    if (message.type === "readyForQuery") {
      const bytes = readyForQueryBytes[message.status];
      if (bytes !== undefined) {
        this.writer.bytes(bytes);
        return;
      }
    }
    const serialize = serializers[message.type] as (w: Writer, m: BackendMessage) => void;
    serialize(this.writer, message);
  }

  /** CommandComplete, its bytes copied when the tag repeats the last ("SELECT 1"). */
  private writeCommandComplete(tag: string): void {
    if (tag === this.completeTag && this.completeBytes !== undefined) {
      this.writer.bytes(this.completeBytes);
      return;
    }
    const start = this.writer.length;
    serializers.commandComplete(this.writer, { type: "commandComplete", tag });
    this.completeTag = tag;
    this.completeBytes = this.writer.copyFrom(start);
  }

  private writeRowDescription(message: RowDescriptionMessage): void {
    if (message === this.description && this.descriptionBytes !== undefined) {
      this.writer.bytes(this.descriptionBytes);
      return;
    }
    const start = this.writer.length;
    serializers.rowDescription(this.writer, message);
    this.description = message;
    this.descriptionBytes = this.writer.copyFrom(start);
  }
}

/** Writes a DataRow: the hot path, so it copies cells straight into the buffer. */
function writeDataRow(w: Writer, cells: readonly (Uint8Array | null)[]): void {
  assert(cells.length <= 0xffff, "a DataRow counts its cells in an int16");
  w.begin(0x44); // 'D'
  w.int16(cells.length);
  for (const cell of cells) w.cell(cell);
  w.end();
}

const serializers: Serializers = {
  authenticationOk: (w) => authentication(w, AuthCode.ok),
  authenticationSasl: (w, m) => {
    assert(m.mechanisms.length > 0, "SASL offers at least one mechanism");
    w.begin(0x52); // 'R'
    w.int32(AuthCode.sasl);
    for (const mechanism of m.mechanisms) w.cstring(mechanism);
    w.int8(0);
    w.end();
  },
  authenticationSaslContinue: (w, m) => authentication(w, AuthCode.saslContinue, m.data),
  authenticationSaslFinal: (w, m) => authentication(w, AuthCode.saslFinal, m.data),
  parameterStatus: (w, m) => {
    w.begin(0x53); // 'S'
    w.cstring(m.name);
    w.cstring(m.value);
    w.end();
  },
  backendKeyData: (w, m) => {
    w.begin(0x4b); // 'K'
    w.int32(m.processId);
    w.int32(m.secretKey);
    w.end();
  },
  negotiateProtocolVersion: (w, m) => {
    w.begin(0x76); // 'v'
    w.int32(m.version);
    w.int32(m.options.length);
    for (const option of m.options) w.cstring(option);
    w.end();
  },
  readyForQuery: (w, m) => {
    w.begin(0x5a); // 'Z'
    w.int8(m.status.charCodeAt(0));
    w.end();
  },
  rowDescription: (w, m) => {
    assert(m.fields.length <= 0xffff, "a RowDescription counts its fields in an int16");
    w.begin(0x54); // 'T'
    w.int16(m.fields.length);
    for (const field of m.fields) {
      w.cstring(field.name);
      w.int32(field.tableOid);
      w.int16(field.columnNumber);
      w.int32(field.typeOid);
      w.int16(field.typeSize);
      w.int32(field.typeModifier);
      w.int16(field.format);
    }
    w.end();
  },
  dataRow: (w, m) => writeDataRow(w, m.cells),
  commandComplete: (w, m) => {
    w.begin(0x43); // 'C'
    w.cstring(m.tag);
    w.end();
  },
  emptyQueryResponse: (w) => empty(w, 0x49), // 'I'
  errorResponse: (w, m) => errorOrNotice(w, 0x45, m.fields), // 'E'
  noticeResponse: (w, m) => errorOrNotice(w, 0x4e, m.fields), // 'N'
  parseComplete: (w) => empty(w, 0x31), // '1'
  bindComplete: (w) => empty(w, 0x32), // '2'
  closeComplete: (w) => empty(w, 0x33), // '3'
  noData: (w) => empty(w, 0x6e), // 'n'
  parameterDescription: (w, m) => {
    assert(m.typeOids.length <= 0xffff, "a ParameterDescription counts its types in an int16");
    w.begin(0x74); // 't'
    w.int16(m.typeOids.length);
    for (const oid of m.typeOids) w.int32(oid);
    w.end();
  },
  portalSuspended: (w) => empty(w, 0x73), // 's'
  copyInResponse: (w, m) => copyResponse(w, 0x47, m.format, m.columnFormats), // 'G'
  copyOutResponse: (w, m) => copyResponse(w, 0x48, m.format, m.columnFormats), // 'H'
  copyData: (w, m) => {
    w.begin(0x64); // 'd'
    w.bytes(m.data);
    w.end();
  },
  copyDone: (w) => empty(w, 0x63), // 'c'
  notificationResponse: (w, m) => {
    w.begin(0x41); // 'A'
    w.int32(m.processId);
    w.cstring(m.channel);
    w.cstring(m.payload);
    w.end();
  },
};

function empty(w: Writer, type: number): void {
  w.begin(type);
  w.end();
}

function authentication(w: Writer, code: number, data?: Uint8Array): void {
  w.begin(0x52); // 'R'
  w.int32(code);
  if (data !== undefined) w.bytes(data);
  w.end();
}

function copyResponse(w: Writer, type: number, format: number, columns: readonly number[]): void {
  assert(format === 0 || columns.every((f) => f === 1), "binary COPY has binary columns");
  w.begin(type);
  w.int8(format);
  w.int16(columns.length);
  for (const column of columns) w.int16(column);
  w.end();
}

/** Field letters of ErrorResponse and NoticeResponse, in the order Postgres sends them. */
const errorFieldLetters: readonly (readonly [keyof ErrorFields, number])[] = [
  ["severity", 0x53], // 'S'
  ["severity", 0x56], // 'V', the untranslated severity
  ["code", 0x43], // 'C'
  ["message", 0x4d], // 'M'
  ["detail", 0x44], // 'D'
  ["hint", 0x48], // 'H'
  ["position", 0x50], // 'P'
  ["internalPosition", 0x70], // 'p'
  ["internalQuery", 0x71], // 'q'
  ["where", 0x57], // 'W'
  ["schema", 0x73], // 's'
  ["table", 0x74], // 't'
  ["column", 0x63], // 'c'
  ["dataType", 0x64], // 'd'
  ["constraint", 0x6e], // 'n'
  ["file", 0x46], // 'F'
  ["line", 0x4c], // 'L'
  ["routine", 0x52], // 'R'
];

function errorOrNotice(w: Writer, type: number, fields: ErrorFields): void {
  assert(fields.code.length === 5, "a SQLSTATE has five characters");
  assert(fields.message !== undefined, "an error or notice has a message");
  w.begin(type);
  for (const [key, letter] of errorFieldLetters) {
    const value = fields[key];
    if (value === undefined) continue;
    w.int8(letter);
    w.cstring(String(value));
  }
  w.int8(0);
  w.end();
}
