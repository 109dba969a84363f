/**
 * Authentication: the exchange between the startup packet and AuthenticationOk.
 *
 * `trust` lets everyone in at once. `scram-sha-256` derives one verifier per configured user
 * when the server starts (so no password stays in memory) and runs the SASL exchange:
 * AuthenticationSASL, SASLInitialResponse, AuthenticationSASLContinue, SASLResponse,
 * AuthenticationSASLFinal. Every failure is a FATAL `SqlError` with Postgres's code and text.
 */
import { randomBytes } from "node:crypto";
import { SqlError, SqlState, assert } from "@tessera/base";
import type { BackendMessage } from "../backend.js";
import type { Frame } from "../framing.js";
import { FrontendType } from "../frontend.js";
import { MessageReader, decode, malformed } from "../reader.js";
import { ScramExchange, mockVerifier, parseScramSecret, scramMechanism, scramVerifier,
  type ScramVerifier } from "./scram.js";

export type AuthConfig = (
  /** `scramUsers`: users who must still pass SCRAM (the cluster's internal user). */
  | { readonly method: "trust"; readonly scramUsers?: Readonly<Record<string, string>> }
  | { readonly method: "scram-sha-256"; readonly users: Readonly<Record<string, string>> }
) & { readonly roles?: RoleDirectory };

/**
 * The roles the server's database knows (pg_authid), asked at each login: undefined for a
 * role that does not exist. With a directory, a role must exist and have LOGIN, and a role's
 * stored secret (`SCRAM-SHA-256$…`) is what SCRAM checks, ahead of a configured password.
 */
export type RoleDirectory = (user: string) => LoginRoleFacts | undefined;

export interface LoginRoleFacts {
  readonly canLogin: boolean;
  /** pg_authid.rolpassword: a SCRAM secret, an MD5 hash, or null. */
  readonly secret: string | null;
  /** True when rolvaliduntil has passed. */
  readonly expired: boolean;
  /** False when the role lacks CONNECT on the database (absent: it may connect). */
  readonly canConnect?: boolean;
}

/** What authentication needs from a connection: send, flush, and the next message. */
export interface AuthChannel {
  send(message: BackendMessage): void;
  flush(): Promise<void>;
  /** Resolves with the next message, or undefined when the client has gone. */
  receive(): Promise<Frame | undefined>;
}

export type AuthOutcome = "ok" | "closed";

export class Authenticator {
  private readonly verifiers = new Map<string, ScramVerifier>();
  /** Makes mock salts stable for this server yet unguessable from outside. */
  private readonly mockSecret = randomBytes(16);

  constructor(private readonly config: AuthConfig) {
    const users = config.method === "trust" ? config.scramUsers ?? {} : config.users;
    for (const [user, password] of Object.entries(users)) {
      this.verifiers.set(user, scramVerifier(password));
    }
  }

  /** Runs the exchange for `user`; throws a FATAL `SqlError` when the client fails it. */
  async authenticate(user: string, channel: AuthChannel): Promise<AuthOutcome> {
    const role = this.config.roles?.(user);
    // A configured user that is no role (the cluster's internal user) passes the role checks.
    const roles = role === undefined && this.verifiers.has(user) ? undefined : this.config.roles;
    if (this.config.method === "trust" && !this.verifiers.has(user)) {
      checkRole(roles, role, user);
      channel.send({ type: "authenticationOk" });
      return "ok";
    }
    const stored = role?.secret === null || role?.expired === true ? undefined
      : parseScramSecret(role?.secret);
    const known = stored ?? this.verifiers.get(user);
    const verifier = known ?? mockVerifier(user, this.mockSecret);
    const exchange = new ScramExchange(verifier, known !== undefined);
    channel.send({ type: "authenticationSasl", mechanisms: [scramMechanism] });
    await channel.flush();
    const initial = await channel.receive();
    if (initial === undefined) return "closed";
    const serverFirst = exchange.first(readInitialResponse(initial));
    channel.send({ type: "authenticationSaslContinue", data: Buffer.from(serverFirst, "utf8") });
    await channel.flush();
    const response = await channel.receive();
    if (response === undefined) return "closed";
    const serverFinal = exchange.final(decode(saslBody(response)));
    if (serverFinal === undefined) throw passwordFailed(user);
    checkRole(roles, role, user);
    channel.send({ type: "authenticationSaslFinal", data: Buffer.from(serverFinal, "utf8") });
    channel.send({ type: "authenticationOk" });
    return "ok";
  }
}

/** Reads SASLInitialResponse: the mechanism, then an int32 length and the client-first. */
function readInitialResponse(frame: Frame): string {
  const reader = new MessageReader(saslBody(frame));
  const mechanism = reader.cstring();
  if (mechanism !== scramMechanism) {
    throw malformed("client selected an invalid SASL authentication mechanism");
  }
  const length = reader.int32();
  if (length < -1) throw malformed("invalid SASL initial response length");
  const data = length === -1 ? "" : decode(reader.bytes(length));
  reader.end();
  return data;
}

/** Returns the body of a SASL message, refusing any message type but 'p'. */
function saslBody(frame: Frame): Uint8Array {
  if (frame.type !== FrontendType.password) {
    throw malformed(`expected SASL response, got message type ${frame.type}`);
  }
  assert(frame.body.length >= 0, "a frame has a body");
  return frame.body;
}

/** Returns Postgres's answer to a wrong password, and to a user that does not exist. */
export function passwordFailed(user: string): SqlError {
  return new SqlError(SqlState.invalidPassword,
    `password authentication failed for user "${user}"`, { severity: "FATAL" });
}

/**
 * Postgres's checks once the client is authenticated (InitializeSessionUserId, then
 * CheckMyDatabase): the role must exist, may log in, and hold CONNECT on the database. The
 * cluster's internal users are not roles and pass.
 */
function checkRole(roles: RoleDirectory | undefined, facts: LoginRoleFacts | undefined,
  user: string): void {
  if (roles === undefined) return;
  if (facts === undefined) {
    throw new SqlError(SqlState.invalidAuthorizationSpecification,
      `role "${user}" does not exist`, { severity: "FATAL" });
  }
  if (!facts.canLogin) {
    throw new SqlError(SqlState.invalidAuthorizationSpecification,
      `role "${user}" is not permitted to log in`, { severity: "FATAL" });
  }
  if (facts.canConnect === false) {
    throw new SqlError(SqlState.insufficientPrivilege, 'permission denied for database "postgres"',
      { severity: "FATAL", detail: "User does not have CONNECT privilege." });
  }
}
