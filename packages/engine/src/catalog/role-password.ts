/**
 * Role passwords as pg_authid.rolpassword keeps them (password_encryption = scram-sha-256):
 * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, the three values in base64.
 * A password given already in that form, or as an MD5 hash (`md5` and 32 hex digits), is
 * stored as given, as Postgres does for what pg_dumpall writes.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";

const iterations = 4096;
const saltBytes = 16;

/** True for a password that is already a stored secret. */
export function isStoredSecret(password: string): boolean {
  return /^SCRAM-SHA-256\$\d+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/
    .test(password) || /^md5[0-9a-f]{32}$/.test(password);
}

/** The secret stored for `password`. */
export function storedSecret(password: string): string {
  if (isStoredSecret(password)) return password;
  const salt = randomBytes(saltBytes);
  const salted = pbkdf2Sync(password.normalize("NFKC"), salt, iterations, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = createHash("sha256").update(clientKey).digest();
  const serverKey = createHmac("sha256", salted).update("Server Key").digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$` +
    `${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}

/** True for an MD5 secret, which a rename clears (its salt is the role name). */
export function isMd5Secret(secret: string | null): boolean {
  return secret !== null && secret.startsWith("md5");
}
