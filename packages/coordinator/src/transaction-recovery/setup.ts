/**
 * Wires crash-safe two-phase commit into a coordinator: transaction blocks record their
 * decisions in the pg_dist_transaction log, SQL sees the log as the relation
 * `pg_catalog.pg_dist_transaction (groupid int, gid text)` and can run
 * `recover_prepared_transactions() → int`, and the maintenance daemon recovers at start-up
 * and every citus.recover_2pc_interval (`maintenance.ts`).
 */
import { SqlError, SqlState, type Logger } from "@tessera/base";
import { addSystemRelation } from "@tessera/engine";
import { TypeOid, type FunctionDef, type Row, type Value } from "@tessera/sql";
import type { Cluster } from "../cluster.js";
import { recordDecisionsIn } from "../connection/remote-transaction.js";
import type { DistTransactionLog } from "../metadata/dist-transaction-log.js";
import { contextOf } from "../operations/statement-contexts.js";
import {
  parseIntervalMs, recoverIntervalMsDefault, startRecoveryDaemon, type RecoveryDaemon,
} from "./maintenance.js";
import { recoverPreparedTransactions } from "./recover.js";

/** pg_dist_transaction's fixed OID in the coordinator's catalog. */
export const pgDistTransactionOid = 15_040;

/** Sets up decisions, catalog, function and daemon; returns the running daemon. */
export function setUpTransactionRecovery(cluster: Cluster, log: DistTransactionLog,
  logger: Logger): RecoveryDaemon {
  recordDecisionsIn({
    log,
    groupOf: (node) => cluster.registry.get(node.host, node.port).groupid,
    warn: (message) => logger.warn(message),
  });
  addSystemRelation(cluster.local.catalog, {
    oid: pgDistTransactionOid, schema: "pg_catalog", name: "pg_dist_transaction",
    columns: [["groupid", TypeOid.int4], ["gid", TypeOid.text]],
    rows: () => log.rows().map((row): Row => [row.groupid, row.gid]),
  });
  cluster.local.registerFunction(recoverFunction(cluster, log, logger));
  return startRecoveryDaemon(cluster, log, logger, intervalFromEnvironment());
}

/** recover_prepared_transactions(): one recovery pass now; WARNINGs go to the caller. */
function recoverFunction(cluster: Cluster, log: DistTransactionLog,
  logger: Logger): FunctionDef {
  return {
    kind: "scalar", name: "recover_prepared_transactions", volatility: "v", strict: false,
    argTypes: [], returnType: TypeOid.int4,
    impl: (): Value => {
      throw new SqlError(SqlState.internalError, "this function must be awaited");
    },
    implAsync: async (_args, evalContext) => {
      const ctx = contextOf(evalContext);
      const result = await recoverPreparedTransactions(cluster, log, {
        warn: (message) => ctx.notice(new SqlError(SqlState.warning, message,
          { severity: "WARNING" })),
        log: (message) => logger.info(message),
      });
      return result.recovered;
    },
  };
}

/**
 * citus.recover_2pc_interval from TESSERA_RECOVER_2PC_INTERVAL, else one minute: the server's
 * configuration, which the engine's settings also show (`SHOW`; `SET` is refused with 55P02,
 * as for a Postgres sighup setting). A bad value fails the coordinator's start.
 */
function intervalFromEnvironment(): number {
  const text = process.env["TESSERA_RECOVER_2PC_INTERVAL"];
  if (text === undefined || text === "") return recoverIntervalMsDefault;
  const ms = parseIntervalMs(text);
  if (ms === undefined) {
    throw new SqlError(SqlState.invalidParameterValue,
      `invalid value for parameter "citus.recover_2pc_interval": "${text}"`,
      { hint: "Valid units for this parameter are \"ms\", \"s\", \"min\", \"h\", and \"d\"." });
  }
  return ms;
}
