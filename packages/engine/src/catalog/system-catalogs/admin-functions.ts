/**
 * System administration functions that tools, ORMs and migrations call, over the engine's
 * catalog and state (PostgreSQL 15's names, signatures and answers):
 *
 *   the *_is_visible tests of pg_opclass, pg_opfamily, pg_operator, pg_collation,
 *   pg_conversion, pg_ts_* and pg_statistic_ext, read from those catalogs' rows;
 *   pg_has_role; pg_relation_filepath and pg_tablespace_size; pg_postmaster_start_time and
 *   pg_conf_load_time (when this engine's catalog was set up: the daemon's start);
 *   encodings; pg_current_wal_lsn and friends from the WAL writer's positions;
 *   pg_stat_reset* (Tessera keeps no resettable counters: its statistics are computed);
 *   pg_blocking_pids from the lock manager's wait edges; pg_get_statisticsobjdef;
 *   pg_export_snapshot, refused: Tessera cannot import snapshots (SET TRANSACTION SNAPSHOT).
 *
 * to_reg* are `to-reg.ts`'s; pg_describe_object and friends are `object-identity.ts`'s.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import { makeArray, type Row, type Value } from "@tessera/sql";
import type { StatementContext } from "../../api.js";
import type { EvalLike } from "../../analyze/expr.js";
import type { Engine } from "../../engine.js";
import { evalContextOwner } from "../../execute/eval-context.js";
import type { Catalog } from "../catalog.js";
import type { FunctionDef, ScalarDef } from "../builtins.js";
import { findRole, isMemberOf, hasPrivilegesOf, hasAdminOf, roleByOid } from "../roles.js";
import { Oid } from "../types.js";
import { catalogView } from "./object-defs.js";
import { indexByOid, isSystemRelation } from "./oids.js";
import { totalRelationSizeBytes } from "./relation-size.js";
import { encodingFunctions } from "./encodings.js";
import { toRegFunctions } from "./to-reg.js";
import { objectIdentityFunctions } from "./object-identity.js";

type Impl = (args: Value[], ctx: EvalLike) => Value;

function scalar(name: string, argTypes: number[], returnType: number, impl: Impl,
  volatility: "i" | "s" | "v" = "s"): ScalarDef {
  return { kind: "scalar", name, argTypes, returnType, volatility, strict: true, impl };
}

const pgLsn = 3220;
const int4Array = 1007;
const postgresDatabaseOid = 5;

/** The statement context behind an EvalContext, for reading system catalogs' rows. */
export function statementOf(ctx: EvalLike): StatementContext {
  const owner = evalContextOwner(ctx) as { rt?: { ctx?: StatementContext } } | undefined;
  return owner?.rt?.ctx ?? (ctx as unknown as StatementContext);
}

function engineOf(ctx: EvalLike): Engine | undefined {
  return (evalContextOwner(ctx) as { engine?: Engine } | undefined)?.engine;
}

/** The rows of pg_catalog relation `name` with the positions of the named columns. */
export function systemRows(catalog: Catalog, name: string, ctx: EvalLike,
  columns: readonly string[]): { rows: Row[]; at: number[] } | undefined {
  const rel = catalog.findRelation(["pg_catalog"], "pg_catalog", name);
  if (rel?.virtualRows === undefined) return undefined;
  const at = columns.map((c) => rel.columns.findIndex((col) => col.name === c));
  return { rows: rel.virtualRows(statementOf(ctx)), at };
}

/**
 * `<catalog>_is_visible(oid)`: NULL for an unknown OID; else true when the object's schema is
 * on the search path and no schema before it has an object of the same name (and kind key).
 */
export function visibility(catalog: Catalog, name: string, relName: string, nameColumn: string,
  namespaceColumn: string, keyColumns: readonly string[] = []): ScalarDef {
  return scalar(name, [Oid.oid], Oid.bool, ([oid], ctx) => {
    const found = systemRows(catalog, relName, ctx,
      ["oid", nameColumn, namespaceColumn, ...keyColumns]);
    if (found === undefined) return null;
    const { rows, at } = found;
    const row = rows.find((r) => r[at[0]!] === oid);
    if (row === undefined) return null;
    const nsOf = new Map(catalog.allSchemas().map(([n, o]) => [o, n]));
    const path = catalogView(catalog, ctx).path;
    const position = path.indexOf(nsOf.get(row[at[2]!] as number) ?? "");
    if (position < 0) return false;
    const same = (r: Row): boolean => at.every((i, k) => k === 0 || k === 2 || r[i] === row[i]);
    return !rows.some((r) => same(r) && r !== row &&
      path.indexOf(nsOf.get(r[at[2]!] as number) ?? "") >= 0 &&
      path.indexOf(nsOf.get(r[at[2]!] as number) ?? "") < position);
  });
}

function visibilityFunctions(catalog: Catalog): ScalarDef[] {
  return [
    visibility(catalog, "pg_opclass_is_visible", "pg_opclass", "opcname", "opcnamespace",
      ["opcmethod"]),
    visibility(catalog, "pg_opfamily_is_visible", "pg_opfamily", "opfname", "opfnamespace",
      ["opfmethod"]),
    visibility(catalog, "pg_operator_is_visible", "pg_operator", "oprname", "oprnamespace",
      ["oprleft", "oprright"]),
    visibility(catalog, "pg_collation_is_visible", "pg_collation", "collname",
      "collnamespace"),
    visibility(catalog, "pg_conversion_is_visible", "pg_conversion", "conname",
      "connamespace"),
    visibility(catalog, "pg_statistics_obj_is_visible", "pg_statistic_ext", "stxname",
      "stxnamespace"),
    visibility(catalog, "pg_ts_config_is_visible", "pg_ts_config", "cfgname", "cfgnamespace"),
    visibility(catalog, "pg_ts_dict_is_visible", "pg_ts_dict", "dictname", "dictnamespace"),
    visibility(catalog, "pg_ts_parser_is_visible", "pg_ts_parser", "prsname", "prsnamespace"),
    visibility(catalog, "pg_ts_template_is_visible", "pg_ts_template", "tmplname",
      "tmplnamespace"),
  ];
}

/**
 * pg_has_role(user, role, privilege): MEMBER (member directly or indirectly), USAGE (holds
 * the role's privileges) and either WITH ADMIN / GRANT OPTION, comma-separated, any true.
 */
function hasRole(catalog: Catalog, member: number, role: number, privilege: string): boolean {
  const superuser = roleByOid(catalog, member)?.superuser === true;
  return privilege.split(",").some((item) => {
    const words = item.trim().toUpperCase().replace(/\s+/g, " ");
    const [base, option] = /^(MEMBER|USAGE)( WITH (?:ADMIN|GRANT) OPTION)?$/.exec(words)
      ?.slice(1) ?? [];
    if (base === undefined) {
      throw new SqlError(SqlState.invalidParameterValue,
        `unrecognized privilege type: "${item.trim()}"`);
    }
    if (option !== undefined) return superuser || (member !== role &&
      hasAdminOf(catalog, member, role));
    if (base === "MEMBER") return superuser || isMemberOf(catalog, member, role);
    return hasPrivilegesOf(catalog, member, role);
  });
}

function roleFunctions(catalog: Catalog): ScalarDef[] {
  const byName = (name: Value): number => {
    const role = findRole(catalog, name as string);
    if (role === undefined) {
      throw new SqlError(SqlState.undefinedObject, `role "${name as string}" does not exist`);
    }
    return role.oid;
  };
  const current = (ctx: EvalLike): number => byName(ctx.user);
  const out: ScalarDef[] = [];
  for (const roleType of [Oid.name, Oid.oid]) {
    const role = (v: Value): number => (roleType === Oid.oid ? v as number : byName(v));
    out.push(scalar("pg_has_role", [roleType, Oid.text], Oid.bool,
      ([r, p], ctx) => hasRole(catalog, current(ctx), role(r!), p as string)));
    for (const userType of [Oid.name, Oid.oid]) {
      const user = (v: Value): number => (userType === Oid.oid ? v as number : byName(v));
      out.push(scalar("pg_has_role", [userType, roleType, Oid.text], Oid.bool,
        ([u, r, p]) => hasRole(catalog, user(u!), role(r!), p as string)));
    }
  }
  return out;
}

/** pg_relation_filepath: base/<database>/<relfilenode>; NULL for relations without storage. */
function relationFilepath(catalog: Catalog, oid: number): Value {
  const index = indexByOid(catalog, oid);
  if (index !== undefined) return `base/${postgresDatabaseOid}/${oid}`;
  if (catalog.sequence(oid) !== undefined) return `base/${postgresDatabaseOid}/${oid}`;
  const rel = catalog.relation(oid);
  if (rel === undefined || rel.kind === "v" || rel.partitionKey !== undefined) return null;
  return `base/${postgresDatabaseOid}/${oid}`;
}

/** pg_tablespace_size: pg_default holds every user relation; pg_global nothing of ours. */
function tablespaceSize(catalog: Catalog, oid: number): Value {
  if (oid === 1664) return 0n;
  if (oid !== 1663) return null;
  let total = 0n;
  for (const rel of catalog.allRelations()) {
    if (!isSystemRelation(rel) && rel.kind !== "v") total += totalRelationSizeBytes(rel);
  }
  return total;
}

function storageFunctions(catalog: Catalog): ScalarDef[] {
  const tablespaceOid = (name: Value): number => {
    if (name === "pg_default") return 1663;
    if (name === "pg_global") return 1664;
    throw new SqlError(SqlState.undefinedObject,
      `tablespace "${name as string}" does not exist`);
  };
  return [
    scalar("pg_relation_filepath", [Oid.regclass], Oid.text,
      ([oid]) => relationFilepath(catalog, oid as number)),
    scalar("pg_tablespace_size", [Oid.name], Oid.int8,
      ([name]) => tablespaceSize(catalog, tablespaceOid(name!)), "v"),
    scalar("pg_tablespace_size", [Oid.oid], Oid.int8,
      ([oid]) => tablespaceSize(catalog, oid as number), "v"),
  ];
}

function walPosition(ctx: EvalLike, which: "inserted" | "flushed"): Value {
  const positions = engineOf(ctx)?.walPositions();
  if (positions === undefined) throw notSupported("WAL positions without a data directory");
  return positions[which];
}

function serverStateFunctions(startMicros: bigint): ScalarDef[] {
  const resetTargets = ["archiver", "bgwriter", "recovery_prefetch", "wal"];
  const nothing = (): Value => "";
  return [
    scalar("pg_postmaster_start_time", [], Oid.timestamptz, () => startMicros),
    scalar("pg_conf_load_time", [], Oid.timestamptz, () => startMicros),
    scalar("pg_current_wal_lsn", [], pgLsn, (_a, ctx) => walPosition(ctx, "inserted"), "v"),
    scalar("pg_current_wal_insert_lsn", [], pgLsn,
      (_a, ctx) => walPosition(ctx, "inserted"), "v"),
    scalar("pg_current_wal_flush_lsn", [], pgLsn, (_a, ctx) => walPosition(ctx, "flushed"), "v"),
    scalar("pg_stat_reset", [], Oid.void, nothing, "v"),
    scalar("pg_stat_reset_single_table_counters", [Oid.oid], Oid.void, nothing, "v"),
    scalar("pg_stat_reset_single_function_counters", [Oid.oid], Oid.void, nothing, "v"),
    scalar("pg_stat_reset_shared", [Oid.text], Oid.void, ([target]) => {
      if (!resetTargets.includes(target as string)) {
        throw new SqlError(SqlState.invalidParameterValue,
          `unrecognized reset target: "${target as string}"`,
          { hint: "Target must be \"archiver\", \"bgwriter\", \"recovery_prefetch\", or " +
            "\"wal\"." });
      }
      return "";
    }, "v"),
    scalar("pg_blocking_pids", [Oid.int4], int4Array, ([pid], ctx) => {
      const edges = engineOf(ctx)?.txns.manager.waitEdges() ?? [];
      const blockers = new Set<number>();
      for (const edge of edges) {
        if (edge.waitingPid === pid && edge.blockingPid !== undefined) {
          blockers.add(edge.blockingPid);
        }
      }
      return makeArray(Oid.int4, [...blockers]);
    }, "v"),
    scalar("pg_safe_snapshot_blocking_pids", [Oid.int4], int4Array,
      () => makeArray(Oid.int4, []), "v"),
    scalar("pg_get_statisticsobjdef", [Oid.oid], Oid.text, () => null),
    scalar("pg_export_snapshot", [], Oid.text, () => {
      throw notSupported("pg_export_snapshot",
        { detail: "Tessera cannot import snapshots (SET TRANSACTION SNAPSHOT)." });
    }, "v"),
  ];
}

/** Every function of this module over `catalog`, for `registerCatalogFunctions`. */
export function adminFunctions(catalog: Catalog): FunctionDef[] {
  const startMicros = BigInt(Date.now()) * 1000n - 946_684_800_000_000n;
  return [...toRegFunctions(catalog), ...visibilityFunctions(catalog), ...roleFunctions(catalog),
    ...storageFunctions(catalog), ...serverStateFunctions(startMicros), ...encodingFunctions(),
    ...objectIdentityFunctions(catalog)];
}
