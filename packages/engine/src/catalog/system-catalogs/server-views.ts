/**
 * pg_catalog views of roles, extensions, configuration files and server internals, with
 * PostgreSQL 15's columns:
 *
 * - pg_shadow (login roles with their stored password secret) and pg_group (roles that
 *   cannot log in, with their members), from `../roles.ts`.
 * - pg_available_extensions and pg_available_extension_versions: the extensions Tessera
 *   knows (plpgsql and citus on every node, uuid-ossp and pgcrypto by CREATE EXTENSION,
 *   `../../ddl/extensions.ts`), installed_version from pg_extension.
 * - pg_cursors: the session's open SQL cursors (`../../session/sql-cursors.ts`); a cursor is
 *   scrollable when declared SCROLL, the only cursors Tessera can move backward.
 * - pg_config: VERSION only (PostgreSQL also names its build directories and compiler
 *   flags, which a TypeScript server does not have).
 * - pg_backend_memory_contexts: one TopMemoryContext row with the process's V8 heap.
 * - Empty, as Tessera has none of the objects they list: pg_user_mappings (no foreign
 *   servers), pg_policies (no row security), pg_rules (no rules besides views' _RETURN,
 *   which pg_rules leaves out), pg_file_settings / pg_hba_file_rules /
 *   pg_ident_file_mappings (a daemon's options come from flags, the environment and a JSON
 *   config file, not postgresql.conf, and authentication from `--users`, not pg_hba.conf
 *   or pg_ident.conf),
 *   pg_shmem_allocations (no shared memory) and pg_stats (ANALYZE keeps no statistics).
 */
import { makeArray, type Row } from "@tessera/sql";
import type { Catalog } from "../catalog.js";
import { allMemberships, allRoles } from "../roles.js";
import type { SystemRelationDef } from "../system-relations.js";
import { Oid } from "../types.js";
import { extensionsOf } from "../../ddl/extensions.js";
import { fixedView } from "./view-columns.js";

const pg = "pg_catalog";

/** Extensions Tessera can have: name, version, comment, relocatable, schema. */
const knownExtensions: readonly (readonly [string, string, string, boolean, string | null])[] =
  [["citus", "15.0-1", "Citus distributed database", false, "pg_catalog"],
    ["pgcrypto", "1.3", "cryptographic functions", true, null],
    ["plpgsql", "1.0", "PL/pgSQL procedural language", false, "pg_catalog"],
    ["uuid-ossp", "1.1", "generate universally unique identifiers (UUIDs)", true, null]];

function extensionViews(catalog: Catalog): SystemRelationDef[] {
  const installed = (name: string): string | null =>
    extensionsOf(catalog).find(([n]) => n === name)?.[1] ?? null;
  return [
    fixedView(12081, pg, "pg_available_extensions",
      "name:n default_version:t installed_version:t comment:t",
      () => knownExtensions.map(([name, version, comment]): Row =>
        [name, version, installed(name), comment])),
    fixedView(12085, pg, "pg_available_extension_versions", `name:n version:t installed:b
      superuser:b trusted:b relocatable:b schema:n requires:n[] comment:t`,
    () => knownExtensions.map(([name, version, comment, relocatable, schema]): Row =>
      [name, version, installed(name) === version, true, name !== "citus", relocatable,
        schema, null, comment])),
  ];
}

function roleViews(catalog: Catalog): SystemRelationDef[] {
  return [
    fixedView(12005, pg, "pg_shadow", `usename:n usesysid:o usecreatedb:b usesuper:b
      userepl:b usebypassrls:b passwd:t valuntil:T useconfig:t[]`,
    () => allRoles(catalog).filter((r) => r.canLogin).map((r): Row => [r.name, r.oid,
      r.createDb, r.superuser, r.replication, r.bypassRls, r.password, r.validUntil, null])),
    fixedView(12010, pg, "pg_group", "groname:n grosysid:o grolist:o[]",
      () => allRoles(catalog).filter((r) => !r.canLogin).map((r): Row => [r.name, r.oid,
        makeArray(Oid.oid, allMemberships(catalog).filter((m) => m.roleid === r.oid)
          .map((m) => m.member))])),
  ];
}

function memoryContextRow(): Row {
  const heap = process.memoryUsage();
  return ["TopMemoryContext", null, null, 0, BigInt(heap.heapTotal), 0n,
    BigInt(heap.heapTotal - heap.heapUsed), 0n, BigInt(heap.heapUsed)];
}

const emptyViews: readonly SystemRelationDef[] = [
  fixedView(12327, pg, "pg_user_mappings",
    "umid:o srvid:o srvname:n umuser:o usename:n umoptions:t[]"),
  fixedView(12018, pg, "pg_policies", `schemaname:n tablename:n policyname:n permissive:t
    roles:n[] cmd:t qual:t with_check:t`),
  fixedView(12024, pg, "pg_rules", "schemaname:n tablename:n rulename:n definition:t"),
  fixedView(12110, pg, "pg_file_settings",
    "sourcefile:t sourceline:i seqno:i name:t setting:t applied:b error:t"),
  fixedView(12114, pg, "pg_hba_file_rules", `line_number:i type:t database:t[]
    user_name:t[] address:t netmask:t auth_method:t options:t[] error:t`),
  fixedView(12118, pg, "pg_ident_file_mappings",
    "line_number:i map_name:t sys_name:t pg_username:t error:t"),
  fixedView(12134, pg, "pg_shmem_allocations", "name:t off:l size:l allocated_size:l"),
  fixedView(12053, pg, "pg_stats", `schemaname:n tablename:n attname:n inherited:b
    null_frac:r avg_width:i n_distinct:r most_common_vals:anyarray most_common_freqs:r[]
    histogram_bounds:anyarray correlation:r most_common_elems:anyarray
    most_common_elem_freqs:r[] elem_count_histogram:r[]`),
];

/** The views of this module. */
export function serverViews(catalog: Catalog): SystemRelationDef[] {
  return [...roleViews(catalog), ...extensionViews(catalog), ...emptyViews,
    fixedView(12077, pg, "pg_cursors", `name:t statement:t is_holdable:b is_binary:b
      is_scrollable:b creation_time:T`, (ctx) => (ctx.sqlCursors?.() ?? []).map((c): Row =>
      [c.name, c.statement, c.holdable, c.binary, c.scrollable, c.createdMicros])),
    fixedView(12130, pg, "pg_config", "name:t setting:t",
      (ctx) => [["VERSION", `PostgreSQL ${ctx.setting("server_version")}`]]),
    fixedView(12138, pg, "pg_backend_memory_contexts", `name:t ident:t parent:t level:i
      total_bytes:l total_nblocks:l free_bytes:l free_chunks:l used_bytes:l`,
    () => [memoryContextRow()])];
}
