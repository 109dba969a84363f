#!/usr/bin/env node
/**
 * The `tessera` command: one entry point for every process of a cluster.
 *
 *   tessera coordinator --port 5432 --data-dir data/coordinator
 *   tessera worker      --port 5433 --data-dir data/worker-1 [--coordinator host:port]
 *   tessera cluster     --workers 2 --port 5432 --data-dir data
 *
 * Settings come from flags, then TESSERA_* variables, then --config FILE, then defaults.
 */
import { Command, Option } from "commander";
import { runDaemonCommand, type DaemonFlags } from "./daemon-command.js";
import { runClusterCommand, type ClusterFlags } from "./cluster-command.js";
import { runStatusCommand, type StatusFlags } from "./status-command.js";

function daemonOptions(command: Command): Command {
  return command
    .option("-p, --port <port>", "TCP port to listen on (TESSERA_PORT)")
    .option("-D, --data-dir <dir>", "data directory (TESSERA_DATA_DIR)")
    .option("-h, --host <address>", "listen address, * for all (TESSERA_HOST)")
    .option("--log-level <level>", "fatal, error, warn, info, debug or trace (TESSERA_LOG_LEVEL)")
    .option("--users <list>", "name:password,… enables SCRAM-SHA-256 (TESSERA_USERS)")
    .option("--tls-cert <file>", "TLS certificate, PEM (TESSERA_TLS_CERT)")
    .option("--tls-key <file>", "TLS private key, PEM (TESSERA_TLS_KEY)")
    .option("--max-connections <n>", "client connections allowed (TESSERA_MAX_CONNECTIONS)")
    .option(
      "--metrics-port <port>",
      "serve Prometheus /metrics on this port (TESSERA_METRICS_PORT)",
    )
    .option(
      "--memory-limit <bytes>",
      "memory a daemon may use, e.g. 2GB; past it statements get 53200 (TESSERA_MEMORY_LIMIT)",
    )
    .option(
      "--max-wal-size <size>",
      "WAL since the last checkpoint that starts one, e.g. 1GB (TESSERA_MAX_WAL_SIZE)",
    )
    .option(
      "--checkpoint-timeout <time>",
      "longest time between checkpoints, e.g. 5min (TESSERA_CHECKPOINT_TIMEOUT)",
    )
    .option(
      "--cluster-password <password>",
      "password of the internal user nodes accept the coordinator as (TESSERA_CLUSTER_PASSWORD)",
    )
    .option("-c, --config <file>", "JSON config file (TESSERA_CONFIG)");
}

const program = new Command()
  .name("tessera")
  .description("Tessera: a distributed PostgreSQL-compatible database");

daemonOptions(program.command("coordinator").description("run a coordinator")).action(
  (flags: DaemonFlags) => runDaemonCommand("coordinator", flags),
);

daemonOptions(program.command("worker").description("run a worker"))
  .addOption(
    new Option(
      "--coordinator <host:port>",
      "register with this coordinator on start (TESSERA_COORDINATOR)",
    ),
  )
  .option(
    "--advertise-host <host>",
    "the address the coordinator reaches this worker on " + "(TESSERA_ADVERTISE_HOST)",
  )
  .action((flags: DaemonFlags) => runDaemonCommand("worker", flags));

daemonOptions(
  program
    .command("cluster")
    .description("run a coordinator and N workers on this machine, in the foreground"),
)
  .option("-w, --workers <n>", "number of workers", "2")
  .action((flags: ClusterFlags) => runClusterCommand(flags));

program
  .command("status")
  .description("print the cluster's nodes, shards and sizes")
  .option("-h, --host <address>", "coordinator address", "127.0.0.1")
  .option("-p, --port <port>", "coordinator port (TESSERA_PORT)")
  .option("-U, --user <name>", "user name", "postgres")
  .option("--password <password>", "password, when the cluster uses SCRAM")
  .action((flags: StatusFlags) => runStatusCommand(flags));

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`tessera: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
