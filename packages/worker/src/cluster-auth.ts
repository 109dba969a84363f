/**
 * The cluster credential: with `--cluster-password` (TESSERA_CLUSTER_PASSWORD) every daemon
 * knows an internal user, `tessera_cluster`, that must pass SCRAM-SHA-256 with that password;
 * the coordinator connects to its nodes as that user. Other users follow `--users`: SCRAM
 * for the listed ones, or trust when the list is empty.
 */
import type { AuthConfig } from "@tessera/protocol";
import type { DaemonConfig } from "./config.js";

/** The internal user the coordinator connects to every node as. */
export const clusterUser = "tessera_cluster";

/** Returns how a daemon authenticates its clients. */
export function authConfigOf(
  config: Pick<DaemonConfig, "users" | "clusterPassword">,
): AuthConfig {
  const cluster = config.clusterPassword === undefined ? {}
    : { [clusterUser]: config.clusterPassword };
  if (Object.keys(config.users).length === 0) return { method: "trust", scramUsers: cluster };
  return { method: "scram-sha-256", users: { ...config.users, ...cluster } };
}
