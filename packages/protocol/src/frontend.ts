/**
 * Frontend messages: everything a client sends after startup, as one discriminated union.
 *
 * `FrontendType` names each type byte, and `frontendMessageBytesMax` says how long each may
 * be, as Postgres's SocketBackend does: statements, parameters, COPY data and function calls
 * may be large, control messages are small. The framer rejects an unknown type byte or a
 * length past these caps before it buffers a single byte of the body.
 */
import { limits } from "@tessera/base";

/** Byte views (`Uint8Array`) point into the received message, so they are not copied. */
export type FrontendMessage =
  | { readonly type: "query"; readonly sql: string }
  | { readonly type: "parse"; readonly name: string; readonly sql: string;
      readonly paramTypes: readonly number[] }
  | { readonly type: "bind"; readonly portal: string; readonly statement: string;
      readonly paramFormats: readonly number[]; readonly params: readonly (Uint8Array | null)[];
      readonly resultFormats: readonly number[] }
  | { readonly type: "describe"; readonly kind: "S" | "P"; readonly name: string }
  | { readonly type: "execute"; readonly portal: string; readonly maxRows: number }
  | { readonly type: "close"; readonly kind: "S" | "P"; readonly name: string }
  | { readonly type: "flush" }
  | { readonly type: "sync" }
  | { readonly type: "copyData"; readonly data: Uint8Array }
  | { readonly type: "copyDone" }
  | { readonly type: "copyFail"; readonly message: string }
  | { readonly type: "terminate" }
  /** The fastpath function call; sessions answer it with 0A000 and ReadyForQuery. */
  | { readonly type: "functionCall"; readonly functionOid: number };

export type FrontendMessageType = FrontendMessage["type"];

/** The type byte of each frontend message, plus 'p' (password and SASL) during authentication. */
export const FrontendType = {
  query: 0x51, // 'Q'
  parse: 0x50, // 'P'
  bind: 0x42, // 'B'
  describe: 0x44, // 'D'
  execute: 0x45, // 'E'
  close: 0x43, // 'C'
  flush: 0x48, // 'H'
  sync: 0x53, // 'S'
  copyData: 0x64, // 'd'
  copyDone: 0x63, // 'c'
  copyFail: 0x66, // 'f'
  terminate: 0x58, // 'X'
  functionCall: 0x46, // 'F'
  password: 0x70, // 'p'
} as const;

/** Returns the largest body (length field included) allowed for a type byte after startup,
 * or undefined when the byte is no message type a client may send then. */
export function frontendMessageBytesMax(type: number): number | undefined {
  switch (type) {
    case FrontendType.query:
    case FrontendType.parse:
    case FrontendType.bind:
    case FrontendType.copyData:
    case FrontendType.functionCall:
      return limits.messageBytesMax;
    case FrontendType.describe:
    case FrontendType.execute:
    case FrontendType.close:
    case FrontendType.flush:
    case FrontendType.sync:
    case FrontendType.copyDone:
    case FrontendType.copyFail:
    case FrontendType.terminate:
      return limits.messageSmallBytesMax;
    default:
      return undefined;
  }
}

/** Returns the cap for a message during authentication, where authentication itself says
 * which type it expects ('p') and how it answers any other. */
export function authMessageBytesMax(_type: number): number {
  return limits.authMessageBytesMax;
}
