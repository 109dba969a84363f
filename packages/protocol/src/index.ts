/**
 * @tessera/protocol: the server side of the PostgreSQL v3 wire protocol. It turns bytes into
 * `FrontendMessage`s for a `BackendSession` and serializes the `BackendMessage`s the session
 * sends back. It knows nothing of SQL.
 */
export { startProtocolServer, type ProtocolServer, type ProtocolServerOptions } from "./server.js";
export type { BackendSession, MessageSink, OpenSession, StartupInfo } from "./session-handler.js";
export type { FrontendMessage, FrontendMessageType } from "./frontend.js";
export { errorFieldsOf, errorResponse, type BackendMessage, type BackendMessageType,
  type ErrorFields, type FieldDescription, type FormatCode,
  type TransactionStatus } from "./backend.js";
export type { AuthConfig, LoginRoleFacts, RoleDirectory } from "./auth/authenticate.js";
export { parseFrontendMessage } from "./parse-frontend.js";
export { BackendSerializer } from "./serialize-backend.js";
