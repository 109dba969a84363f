/**
 * Turns one framed message (type byte and body) into a `FrontendMessage`.
 *
 * The framer has checked the type byte and the outer length; this file checks everything
 * inside: counts against the bytes that follow them, every string's terminator, and that no
 * byte is left over. A bad message throws a FATAL 08P01 `SqlError`, and the connection sends it
 * and closes. Semantic checks (format codes 0 or 1, a Bind's format count against its
 * parameter count) belong to the session, which answers them with an ordinary ERROR as
 * Postgres does.
 */
import { SqlError, SqlState, limits } from "@tessera/base";
import { FrontendType, type FrontendMessage } from "./frontend.js";
import { MessageReader, malformed } from "./reader.js";

/** Parses one message body, `body[start, end)`; `type` is the message's type byte. */
export function parseFrontendMessage(type: number, body: Uint8Array, start = 0,
  end = body.length): FrontendMessage {
  const reader = new MessageReader(body, start, end);
  const message = parseBody(type, reader);
  reader.end();
  return message;
}

function parseBody(type: number, r: MessageReader): FrontendMessage {
  switch (type) {
    case FrontendType.query:
      return { type: "query", sql: r.cstring() };
    case FrontendType.parse:
      return parseParse(r);
    case FrontendType.bind:
      return parseBind(r);
    case FrontendType.describe:
      return { type: "describe", kind: statementOrPortal(r, "DESCRIBE"), name: r.cstring() };
    case FrontendType.execute:
      return { type: "execute", portal: r.cstring(), maxRows: r.int32() };
    case FrontendType.close:
      return { type: "close", kind: statementOrPortal(r, "CLOSE"), name: r.cstring() };
    case FrontendType.flush:
      return { type: "flush" };
    case FrontendType.sync:
      return { type: "sync" };
    case FrontendType.copyData:
      return { type: "copyData", data: r.rest() };
    case FrontendType.copyDone:
      return { type: "copyDone" };
    case FrontendType.copyFail:
      return { type: "copyFail", message: r.cstring() };
    case FrontendType.terminate:
      return { type: "terminate" };
    case FrontendType.functionCall: {
      const functionOid = r.uint32();
      r.rest(); // Arguments are not parsed: the session rejects the whole call.
      return { type: "functionCall", functionOid };
    }
    default:
      throw invalidType(type);
  }
}

/** Returns the FATAL error Postgres sends for a type byte it does not know. */
export function invalidType(type: number): SqlError {
  return new SqlError(SqlState.protocolViolation, `invalid frontend message type ${type}`,
    { severity: "FATAL" });
}

function parseParse(r: MessageReader): FrontendMessage {
  const name = r.cstring();
  const sql = r.cstring();
  const count = r.uint16();
  if (count * 4 > r.remaining) throw malformed("insufficient data left in message");
  const paramTypes: number[] = new Array<number>(count);
  for (let i = 0; i < count; i++) paramTypes[i] = r.uint32();
  return { type: "parse", name, sql, paramTypes };
}

function parseBind(r: MessageReader): FrontendMessage {
  const portal = r.cstring();
  const statement = r.cstring();
  const paramFormats = readCodes(r);
  const count = r.uint16();
  if (count > limits.parameterCountMax || count * 4 > r.remaining) {
    throw malformed("insufficient data left in message");
  }
  const params: (Uint8Array | null)[] = new Array<Uint8Array | null>(count);
  for (let i = 0; i < count; i++) {
    const length = r.int32();
    if (length < -1) throw malformed(`invalid argument length ${length} in Bind message`);
    params[i] = length === -1 ? null : r.bytes(length);
  }
  const resultFormats = readCodes(r);
  return { type: "bind", portal, statement, paramFormats, params, resultFormats };
}

/** Reads an int16 count followed by that many int16 format codes. */
function readCodes(r: MessageReader): number[] {
  const count = r.uint16();
  if (count * 2 > r.remaining) throw malformed("insufficient data left in message");
  const codes: number[] = new Array<number>(count);
  for (let i = 0; i < count; i++) codes[i] = r.int16();
  return codes;
}

function statementOrPortal(r: MessageReader, what: string): "S" | "P" {
  const kind = r.uint8();
  if (kind === 0x53) return "S";
  if (kind === 0x50) return "P";
  throw malformed(`invalid ${what} message subtype ${kind}`);
}
