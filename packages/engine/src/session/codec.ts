/**
 * Encodes result values into wire cells and decodes bound parameters, in text or binary
 * format, with the session's settings (DateStyle, TimeZone, IntervalStyle, extra_float_digits,
 * bytea_output) as the format context.
 */
import { SqlError, SqlState } from "@tessera/base";
import { TypeOid, typeByOid, type FormatContext, type Value } from "@tessera/sql";
import type { ColumnInfo } from "../api.js";
import type { SessionSettings } from "./settings.js";
import { withAnalysisSettings, type FormatSettings } from "../catalog/type-io.js";
import { isRowType } from "../catalog/row-types.js";

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * A format context that also carries the session's settings: the OID alias types (regclass
 * and the like) print names as the session's search_path finds them.
 */
interface SessionFormatContext extends FormatContext {
  readonly session: FormatSettings;
}

/** Reads the format context from the session's current settings. */
export function formatContextOf(settings: SessionSettings, backendPid = 0): FormatContext {
  const context: SessionFormatContext = {
    // The pid finds the session's temporary schema (`reg-resolvers.ts`).
    session: { setting: (name) => settings.get(name), backendPid } as FormatSettings,
    dateStyle: settings.get("datestyle"),
    intervalStyle: settings.get("intervalstyle"),
    timeZone: settings.get("timezone"),
    extraFloatDigits: Number(settings.get("extra_float_digits")),
    byteaOutput: settings.get("bytea_output") === "escape" ? "escape" : "hex",
  };
  return context;
}

/** The OID alias types whose names depend on the search_path. */
const searchPathTypes: ReadonlySet<number> = new Set([
  TypeOid.regclass, TypeOid.regproc, TypeOid.regprocedure, TypeOid.regtype, TypeOid.regnamespace,
]);

/** Builds the per-column encoders once per portal, so rows encode without lookups. */
export function rowEncoder(
  columns: readonly ColumnInfo[],
  formats: readonly number[],
  context: FormatContext,
): (row: readonly Value[]) => (Uint8Array | null)[] {
  const encoders = columns.map((column, i) =>
    cellEncoder(column.typeOid, formats[i] ?? 0, context),
  );
  return (row) => {
    const cells = new Array<Uint8Array | null>(encoders.length);
    for (let i = 0; i < encoders.length; i++) {
      const value = row[i];
      cells[i] = value === null || value === undefined ? null : encoders[i]!(value);
    }
    return cells;
  };
}

function cellEncoder(
  typeOid: number,
  format: number,
  context: FormatContext,
): (value: Value) => Uint8Array {
  // A table's row type holds records and prints as one.
  const type = typeByOid(isRowType(typeOid) ? TypeOid.record : typeOid);
  if (format === 1) {
    const send = type?.send;
    if (send === undefined) {
      throw new SqlError(
        SqlState.featureNotSupported,
        `binary output of type ${type?.name ?? typeOid} is not supported`,
      );
    }
    return (value) => send(value, context);
  }
  if (type === undefined) return (value) => encodeText(String(value));
  const session = (context as Partial<SessionFormatContext>).session;
  if (session !== undefined && searchPathTypes.has(typeOid)) {
    return (value) => encodeText(withAnalysisSettings(session, () => type.output(value, context)));
  }
  return (value) => encodeText(type.output(value, context));
}

/** Up to this many characters, ASCII text is encoded and decoded by hand. */
const shortTextMax = 64;

/**
 * UTF-8 of `text`. Short ASCII text (numbers, most keys) is copied by hand into a small array
 * V8 keeps on its own heap, sparing the encoder's call and its malloc'd buffer per cell.
 */
function encodeText(text: string): Uint8Array {
  const length = text.length;
  if (length > shortTextMax) return utf8.encode(text);
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return utf8.encode(text);
    bytes[i] = code;
  }
  return bytes;
}

/** Decodes UTF-8, by hand for short ASCII; throws 22021 for invalid bytes. */
function decodeText(bytes: Uint8Array): string {
  if (bytes.length <= shortTextMax) {
    let text = "";
    let ascii = true;
    for (let i = 0; i < bytes.length && ascii; i++) {
      const byte = bytes[i]!;
      if (byte >= 0x80) ascii = false;
      else text += String.fromCharCode(byte);
    }
    if (ascii) return text;
  }
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw new SqlError(
      SqlState.characterNotInRepertoire,
      'invalid byte sequence for encoding "UTF8"',
    );
  }
}

/** Decodes one bound parameter from its wire bytes. */
export function decodeParameter(
  bytes: Uint8Array | null,
  typeOid: number,
  format: number,
  context: FormatContext,
): Value {
  if (bytes === null) return null;
  const type = typeByOid(typeOid === 0 ? 25 : typeOid);
  if (type === undefined) {
    throw new SqlError(
      SqlState.featureNotSupported,
      `parameters of type ${typeOid} are not supported`,
    );
  }
  if (format === 1) {
    if (type.receive === undefined) {
      throw new SqlError(
        SqlState.featureNotSupported,
        `binary input of type ${type.name} is not supported`,
      );
    }
    return type.receive(bytes, -1, context);
  }
  return type.input(decodeText(bytes), -1, context);
}

/** All-text format lists by length, shared: most Binds ask for text throughout. */
const allText: (readonly number[])[] = [];

/** Expands a Bind format list (none, one for all, or one each) to `count` codes. */
export function expandFormats(formats: readonly number[], count: number): readonly number[] {
  if (formats.length === 0 || (formats.length === 1 && formats[0] === 0)) {
    if (count > 64) return new Array<number>(count).fill(0);
    return allText[count] ??= Object.freeze(new Array<number>(count).fill(0));
  }
  if (formats.length === 1) return new Array<number>(count).fill(formats[0]!);
  if (formats.length !== count) {
    throw new SqlError(
      SqlState.protocolViolation,
      `bind message has ${formats.length} result formats but query has ${count} columns`,
    );
  }
  for (const f of formats) {
    if (f !== 0 && f !== 1) {
      throw new SqlError(SqlState.invalidParameterValue, `unsupported format code: ${f}`);
    }
  }
  return [...formats];
}

export function textCell(text: string): Uint8Array {
  return encodeText(text);
}
