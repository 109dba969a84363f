/**
 * The cluster credential of `tessera cluster`: the password of the internal user the
 * coordinator connects to its nodes as. Taken from --cluster-password or
 * TESSERA_CLUSTER_PASSWORD when given; otherwise generated once per data directory, kept in
 * the coordinator's data directory (mode 0600) and read back on every later start.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const fileName = "cluster-password";

/** Returns the cluster password for the coordinator data directory `coordinatorDir`. */
export function clusterPassword(coordinatorDir: string, given: string | undefined): string {
  if (given !== undefined && given !== "") return given;
  const path = join(coordinatorDir, fileName);
  if (existsSync(path)) {
    const stored = readFileSync(path, "utf8").trim();
    if (stored !== "") return stored;
  }
  mkdirSync(coordinatorDir, { recursive: true, mode: 0o700 });
  const password = randomBytes(24).toString("base64url");
  writeFileSync(path, `${password}\n`, { mode: 0o600 });
  return password;
}
