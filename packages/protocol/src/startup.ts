/**
 * The startup phase: the first packet(s) a client sends, before authentication.
 *
 * A startup packet's first int32 after the length is a code. Three codes are requests, not
 * versions: SSLRequest (we answer 'S' and hand the socket to node:tls when a certificate is
 * configured, else 'N'), GSSENCRequest (always 'N') and CancelRequest (process id and secret,
 * never answered). Anything else is a protocol version: 3.x is accepted, with a
 * NegotiateProtocolVersion when the minor version or a `_pq_.` option is newer than ours;
 * other majors get Postgres's FATAL 0A000. Bytes that follow an SSL or GSS request before our
 * answer are refused, as Postgres does since CVE-2021-23214.
 */
import { SqlError, SqlState, assert } from "@tessera/base";
import { MessageReader, malformed } from "./reader.js";

const requestCode = (low: number): number => (1234 << 16) | low;
export const sslRequestCode = requestCode(5679);
export const gssRequestCode = requestCode(5680);
export const cancelRequestCode = requestCode(5678);
/** The one protocol version we speak: 3.0. */
export const protocolMajor = 3;
export const protocolMinor = 0;

export type StartupPacket =
  | { readonly kind: "ssl" }
  | { readonly kind: "gss" }
  | { readonly kind: "cancel"; readonly processId: number; readonly secretKey: number }
  | { readonly kind: "startup"; readonly major: number; readonly minor: number;
      readonly parameters: Readonly<Record<string, string>>;
      /** `_pq_.` protocol options we do not know, listed back in NegotiateProtocolVersion. */
      readonly unknownOptions: readonly string[] };

/** Parses a startup packet body (after its length); throws a FATAL `SqlError` when invalid. */
export function parseStartupPacket(body: Uint8Array): StartupPacket {
  assert(body.length >= 4, "the framer passes only packets of at least 8 bytes");
  const reader = new MessageReader(body);
  const code = reader.int32();
  if (code === sslRequestCode || code === gssRequestCode) {
    reader.end();
    return { kind: code === sslRequestCode ? "ssl" : "gss" };
  }
  if (code === cancelRequestCode) {
    const processId = reader.int32();
    const secretKey = reader.int32();
    reader.end();
    return { kind: "cancel", processId, secretKey };
  }
  const major = code >>> 16;
  const minor = code & 0xffff;
  if (major !== protocolMajor) throw unsupportedProtocol(major, minor);
  const parameters = readParameters(reader);
  const unknownOptions = Object.keys(parameters).filter((name) => name.startsWith("_pq_."));
  for (const option of unknownOptions) delete parameters[option];
  return { kind: "startup", major, minor, parameters, unknownOptions };
}

/** Reads name/value pairs up to the empty name that ends the packet. */
function readParameters(reader: MessageReader): Record<string, string> {
  const parameters: Record<string, string> = Object.create(null) as Record<string, string>;
  // Bounded: each pair consumes at least two bytes of a packet capped at startupPacketBytesMax.
  while (reader.remaining > 1) {
    const name = reader.cstring();
    if (name === "" || reader.remaining === 0) break;
    parameters[name] = reader.cstring();
  }
  if (reader.remaining !== 1 || reader.uint8() !== 0) {
    throw malformed("invalid startup packet layout: expected terminator as last byte");
  }
  return parameters;
}

/** Returns Postgres's error for a protocol version other than 3.x. */
export function unsupportedProtocol(major: number, minor: number): SqlError {
  return new SqlError(SqlState.featureNotSupported,
    `unsupported frontend protocol ${major}.${minor}: server supports ` +
    `${protocolMajor}.0 to ${protocolMajor}.${protocolMinor}`, { severity: "FATAL" });
}

/** Returns the error for bytes that arrived after an SSL or GSS request, before our answer. */
export function unencryptedDataAfter(request: "ssl" | "gss"): SqlError {
  const what = request === "ssl" ? "SSL request" : "GSSAPI encryption request";
  return malformed(`received unencrypted data after ${what}`,
    "This could be either a client-software bug or evidence of an attempted " +
    "man-in-the-middle attack.");
}

/** Returns the startup user, database (defaulting to the user) and application name. */
export function startupIdentity(parameters: Readonly<Record<string, string>>): {
  user: string; database: string; applicationName: string;
} {
  const user = parameters["user"];
  if (user === undefined || user === "") {
    throw new SqlError(SqlState.invalidAuthorizationSpecification,
      "no PostgreSQL user name specified in startup packet", { severity: "FATAL" });
  }
  const database = parameters["database"];
  return {
    user,
    database: database === undefined || database === "" ? user : database,
    applicationName: parameters["application_name"] ?? "",
  };
}
