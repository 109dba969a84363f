/**
 * SCRAM-SHA-256, server side (RFC 5802 and RFC 7677), as Postgres's auth-scram.c does it.
 *
 * The server keeps no password, only a verifier: salt, iteration count, StoredKey = H(ClientKey)
 * and ServerKey, where ClientKey = HMAC(SaltedPassword, "Client Key") and SaltedPassword is
 * PBKDF2 of the password. The exchange, two round trips:
 *
 *     client-first   n,,n=,r=<client nonce>
 *     server-first   r=<client nonce><server nonce>,s=<salt>,i=4096
 *     client-final   c=biws,r=<both nonces>,p=<ClientKey XOR HMAC(StoredKey, AuthMessage)>
 *     server-final   v=<HMAC(ServerKey, AuthMessage)>
 *
 * The server recovers ClientKey from the proof and checks H(ClientKey) = StoredKey. A user
 * that does not exist gets a mock verifier with a stable salt, so the exchange looks the same
 * and ends with the same "password authentication failed" as a wrong password, as Postgres
 * 15 answers. Channel binding (SCRAM-SHA-256-PLUS) is not offered.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";
import { SqlError, SqlState, assert } from "@tessera/base";

export const scramMechanism = "SCRAM-SHA-256";
/** As Postgres's scram_iterations default. */
const iterationCount = 4096;
const keyBytes = 32;
const saltBytes = 16;
const nonceBytes = 18;

export interface ScramVerifier {
  readonly iterations: number;
  readonly salt: Buffer;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

/** Derives the verifier stored for a password; the password itself is then forgotten. */
export function scramVerifier(password: string,
  salt: Buffer = randomBytes(saltBytes)): ScramVerifier {
  assert(salt.length > 0, "a SCRAM salt is not empty");
  const salted = pbkdf2Sync(saslPrep(password), salt, iterationCount, keyBytes, "sha256");
  const clientKey = hmac(salted, "Client Key");
  const verifier = {
    iterations: iterationCount,
    salt,
    storedKey: sha256(clientKey),
    serverKey: hmac(salted, "Server Key"),
  };
  assert(verifier.storedKey.length === keyBytes, "StoredKey is one SHA-256 digest");
  return verifier;
}

/**
 * Reads a stored secret as pg_authid.rolpassword keeps it,
 * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`; undefined for anything else
 * (an MD5 hash, which SCRAM cannot check).
 */
export function parseScramSecret(secret: string | null | undefined): ScramVerifier | undefined {
  const match = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(secret ?? "");
  if (match === null) return undefined;
  const [, count = "", salt = "", storedKey = "", serverKey = ""] = match;
  const verifier = { iterations: Number(count), salt: Buffer.from(salt, "base64"),
    storedKey: Buffer.from(storedKey, "base64"), serverKey: Buffer.from(serverKey, "base64") };
  const sound = verifier.iterations > 0 && verifier.salt.length > 0 &&
    verifier.storedKey.length === keyBytes && verifier.serverKey.length === keyBytes;
  return sound ? verifier : undefined;
}

/** Returns a verifier for a user that does not exist: a stable salt, keys nobody can match. */
export function mockVerifier(user: string, mockSecret: Buffer): ScramVerifier {
  const digest = sha256(Buffer.concat([Buffer.from(user, "utf8"), mockSecret]));
  const salt = digest.subarray(0, saltBytes);
  return { iterations: iterationCount, salt, storedKey: randomBytes(keyBytes),
    serverKey: randomBytes(keyBytes) };
}

/**
 * Stands for Postgres's SASLprep: ASCII passwords are used as they are, others are NFKC
 * normalized. The full RFC 4013 mapping and prohibition tables are not applied.
 */
function saslPrep(password: string): string {
  return /^[\x20-\x7e]*$/.test(password) ? password : password.normalize("NFKC");
}

/** One server-side exchange; `first` then `final`, each called once. */
export class ScramExchange {
  private clientFirstBare = "";
  private serverFirst = "";
  private gs2Header = "";
  private nonce = "";

  /** `serverNonce` is fixed only by tests that replay RFC 7677's example. */
  constructor(private readonly verifier: ScramVerifier, private readonly userExists: boolean,
    private readonly serverNonce = randomBytes(nonceBytes).toString("base64")) {}

  /** Reads client-first-message and returns server-first-message. */
  first(clientFirst: string): string {
    assert(this.serverFirst === "", "first() runs once");
    if (clientFirst === "") throw malformedScram("The message is empty.");
    const match = /^([ny]|p=[^,]*),(a=[^,]*)?,(.*)$/s.exec(clientFirst);
    if (match === null) throw malformedScram("Malformed GS2 header in client-first-message.");
    const [, flag = "", authzid, bare = ""] = match;
    if (flag.startsWith("p=")) {
      throw malformedScram("The client selected SCRAM-SHA-256 without channel binding, but " +
        "the SCRAM message includes channel binding data.");
    }
    if (authzid !== undefined) {
      throw new SqlError(SqlState.featureNotSupported,
        "client uses authorization identity, but it is not supported", { severity: "FATAL" });
    }
    if (bare.startsWith("m=")) {
      throw new SqlError(SqlState.featureNotSupported,
        "client requires an unsupported SCRAM extension", { severity: "FATAL" });
    }
    const nonce = /^n=[^,]*,r=([\x21-\x2b\x2d-\x7e]+)(?:,[A-Za-z]=[^,]*)*$/s.exec(bare)?.[1];
    if (nonce === undefined) throw malformedScram("Malformed client-first-message.");
    this.gs2Header = clientFirst.slice(0, clientFirst.length - bare.length);
    this.clientFirstBare = bare;
    this.nonce = nonce + this.serverNonce;
    const salt = this.verifier.salt.toString("base64");
    this.serverFirst = `r=${this.nonce},s=${salt},i=${this.verifier.iterations}`;
    return this.serverFirst;
  }

  /** Reads client-final-message; returns server-final-message, or undefined on a bad proof. */
  final(clientFinal: string): string | undefined {
    assert(this.serverFirst !== "", "final() follows first()");
    const match = /^c=([^,]*),r=([^,]*)(?:,[A-Za-z]=[^,]*)*?,p=([^,]*)$/s.exec(clientFinal);
    if (match === null) throw malformedScram("Malformed client-final-message.");
    const [, binding = "", nonce = "", proofText = ""] = match;
    if (Buffer.from(binding, "base64").toString("latin1") !== this.gs2Header) {
      throw new SqlError(SqlState.protocolViolation, "SCRAM channel binding check failed",
        { severity: "FATAL" });
    }
    if (nonce !== this.nonce) throw malformedScram("Nonce does not match.");
    const proof = Buffer.from(proofText, "base64");
    if (proof.length !== keyBytes) throw malformedScram("Malformed proof in client-final-message.");
    const withoutProof = clientFinal.slice(0, clientFinal.length - proofText.length - 3);
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const signature = hmac(this.verifier.storedKey, authMessage);
    const clientKey = Buffer.alloc(keyBytes);
    for (let i = 0; i < keyBytes; i++) clientKey[i] = (proof[i] ?? 0) ^ (signature[i] ?? 0);
    const proofHolds = timingSafeEqual(sha256(clientKey), this.verifier.storedKey);
    if (!proofHolds || !this.userExists) return undefined;
    return `v=${hmac(this.verifier.serverKey, authMessage).toString("base64")}`;
  }
}

function malformedScram(detail: string): SqlError {
  return new SqlError(SqlState.protocolViolation, "malformed SCRAM message",
    { severity: "FATAL", detail });
}

function hmac(key: Buffer, text: string): Buffer {
  return createHmac("sha256", key).update(text, "utf8").digest();
}

function sha256(data: Buffer): Buffer {
  return createHash("sha256").update(data).digest();
}
