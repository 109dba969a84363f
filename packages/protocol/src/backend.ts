/**
 * Backend messages: everything the server sends, as one discriminated union on `type`.
 *
 * A session builds these plain objects and hands them to its `MessageSink`; the serializer
 * (`serialize-backend.ts`) turns them into bytes. Cells and COPY data are raw bytes already
 * in their wire format (text or binary), so the protocol never looks inside a value.
 */
import type { Severity, SqlError } from "@tessera/base";

/** Transaction status in ReadyForQuery: idle, in a block, or in a failed block. */
export type TransactionStatus = "I" | "T" | "E";

/** A wire format code: 0 is text, 1 is binary. */
export type FormatCode = 0 | 1;

/** One column of a RowDescription, as Postgres fills it. */
export interface FieldDescription {
  readonly name: string;
  /** The table's OID when the column is a plain table column, else 0. */
  readonly tableOid: number;
  /** The column's attribute number in that table, else 0. */
  readonly columnNumber: number;
  readonly typeOid: number;
  /** pg_type.typlen: -1 for varlena, -2 for cstring. */
  readonly typeSize: number;
  /** pg_attribute.atttypmod, -1 when there is none. */
  readonly typeModifier: number;
  readonly format: FormatCode;
}

/**
 * The fields of an ErrorResponse or NoticeResponse. Each maps to one field letter:
 * S and V severity, C code, M message, D detail, H hint, P position, p internalPosition,
 * q internalQuery, W where, s schema, t table, c column, d dataType, n constraint,
 * F file, L line, R routine.
 */
export interface ErrorFields {
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly detail?: string;
  readonly hint?: string;
  readonly position?: number;
  readonly internalPosition?: number;
  readonly internalQuery?: string;
  readonly where?: string;
  readonly schema?: string;
  readonly table?: string;
  readonly column?: string;
  readonly dataType?: string;
  readonly constraint?: string;
  readonly file?: string;
  readonly line?: number;
  readonly routine?: string;
}

export type BackendMessage =
  | { readonly type: "authenticationOk" }
  | { readonly type: "authenticationSasl"; readonly mechanisms: readonly string[] }
  | { readonly type: "authenticationSaslContinue"; readonly data: Uint8Array }
  | { readonly type: "authenticationSaslFinal"; readonly data: Uint8Array }
  | { readonly type: "parameterStatus"; readonly name: string; readonly value: string }
  | { readonly type: "backendKeyData"; readonly processId: number; readonly secretKey: number }
  | { readonly type: "negotiateProtocolVersion";
      /** The newest version we speak, major << 16 | minor, as Postgres sends it. */
      readonly version: number;
      readonly options: readonly string[] }
  | { readonly type: "readyForQuery"; readonly status: TransactionStatus }
  | { readonly type: "rowDescription"; readonly fields: readonly FieldDescription[] }
  | { readonly type: "dataRow"; readonly cells: readonly (Uint8Array | null)[] }
  | { readonly type: "commandComplete"; readonly tag: string }
  | { readonly type: "emptyQueryResponse" }
  | { readonly type: "errorResponse"; readonly fields: ErrorFields }
  | { readonly type: "noticeResponse"; readonly fields: ErrorFields }
  | { readonly type: "parseComplete" }
  | { readonly type: "bindComplete" }
  | { readonly type: "closeComplete" }
  | { readonly type: "noData" }
  | { readonly type: "parameterDescription"; readonly typeOids: readonly number[] }
  | { readonly type: "portalSuspended" }
  | { readonly type: "copyInResponse"; readonly format: FormatCode;
      readonly columnFormats: readonly FormatCode[] }
  | { readonly type: "copyOutResponse"; readonly format: FormatCode;
      readonly columnFormats: readonly FormatCode[] }
  | { readonly type: "copyData"; readonly data: Uint8Array }
  | { readonly type: "copyDone" }
  | { readonly type: "notificationResponse"; readonly processId: number;
      readonly channel: string; readonly payload: string };

export type BackendMessageType = BackendMessage["type"];

/** Returns the ErrorResponse fields of a `SqlError`, severity included. */
export function errorFieldsOf(error: SqlError): ErrorFields {
  const f = error.fields;
  const position = error.position;
  return {
    severity: error.severity,
    code: error.code,
    message: error.message,
    ...(f.detail !== undefined && { detail: f.detail }),
    ...(f.hint !== undefined && { hint: f.hint }),
    ...(position !== undefined && { position }),
    ...(f.internalPosition !== undefined && { internalPosition: f.internalPosition }),
    ...(f.internalQuery !== undefined && { internalQuery: f.internalQuery }),
    ...(f.where !== undefined && { where: f.where }),
    ...(f.schema !== undefined && { schema: f.schema }),
    ...(f.table !== undefined && { table: f.table }),
    ...(f.column !== undefined && { column: f.column }),
    ...(f.dataType !== undefined && { dataType: f.dataType }),
    ...(f.constraint !== undefined && { constraint: f.constraint }),
  };
}

/** Returns an ErrorResponse message for `error`, forcing the severity when one is given. */
export function errorResponse(error: SqlError, severity?: Severity): BackendMessage {
  const fields = errorFieldsOf(error);
  if (severity === undefined) return { type: "errorResponse", fields };
  return { type: "errorResponse", fields: { ...fields, severity } };
}
