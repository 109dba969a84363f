/**
 * The Citus functions every node has, coordinator and workers alike (Citus installs the whole
 * extension on each node): `citus_version()`, which scripts call on every node through
 * `run_command_on_workers` to check that the cluster runs one version.
 */
import { TypeOid, type FunctionDef } from "@tessera/sql";

export const citusVersion = "Citus 15.0devel on x86_64-pc-linux-gnu, compiled by Tessera";

export function nodeCitusFunctions(): FunctionDef[] {
  return [{
    kind: "scalar",
    name: "citus_version",
    volatility: "s",
    strict: true,
    argTypes: [],
    returnType: TypeOid.text,
    impl: () => citusVersion,
  }];
}
