/**
 * Catalogs psql's \d queries join against whose rows Tessera does not have yet: comments,
 * policies, triggers, publications, inheritance, extended statistics. They exist with
 * Postgres 15's columns and no rows, so the queries run and find nothing, as on a fresh
 * database. Also the small fixed catalogs: collations, tablespaces, languages, extensions.
 */
import type { Row } from "@tessera/sql";
import type { SystemRelationDef } from "../system-relations.js";
import { Oid } from "../types.js";
import { SysOid } from "./oids.js";
import { extensionsOf } from "../../ddl/extensions.js";
import { accessMethodOid, operatorClasses } from "../access-methods.js";
import type { Catalog } from "../catalog.js";
import { triggerRows } from "../../plpgsql/trigger-admin.js";
import { pgAggregateColumns, userAggregateRows } from "../user-aggregate-rows.js";

const text = Oid.text;
const oid = Oid.oid;
const bool = Oid.bool;
const char = Oid.char;
const name = Oid.name;
const int2 = Oid.int2;
const int4 = Oid.int4;
const textArray = 1009;
const oidArray = 1028;
const charArray = 1002;
const int2vector = 22;

type Columns = SystemRelationDef["columns"];

function empty(relOid: number, relName: string, columns: Columns): SystemRelationDef {
  return { oid: relOid, schema: "pg_catalog", name: relName, columns, rows: () => [] };
}

/** pg_trigger: the triggers of `plpgsql/triggers.ts` (`trigger-admin.ts` makes the rows). */
export const triggerCatalog = (catalog: Catalog): SystemRelationDef => ({
  oid: 2620, schema: "pg_catalog", name: "pg_trigger", rows: () => triggerRows(catalog),
  columns: [["oid", oid], ["tgrelid", oid], ["tgparentid", oid],
    ["tgname", name], ["tgfoid", oid], ["tgtype", int2], ["tgenabled", char],
    ["tgisinternal", bool], ["tgconstrrelid", oid], ["tgconstrindid", oid],
    ["tgconstraint", oid], ["tgdeferrable", bool], ["tginitdeferred", bool], ["tgnargs", int2],
    ["tgattr", int2vector], ["tgargs", Oid.bytea], ["tgqual", text], ["tgoldtable", name],
    ["tgnewtable", name]] });

/** pg_extension: every node's plpgsql and citus, and those CREATE EXTENSION added. */
export const extensionCatalog = (catalog: Catalog): SystemRelationDef => ({
  oid: 3079, schema: "pg_catalog", name: "pg_extension",
  columns: [["oid", oid], ["extname", name], ["extowner", oid], ["extnamespace", oid],
    ["extrelocatable", bool], ["extversion", text], ["extconfig", oidArray],
    ["extcondition", textArray]],
  rows: () => extensionsOf(catalog).map(([extension, version, extOid]): Row =>
    // CREATE EXTENSION puts an extension in the creation schema, public.
    [extOid, extension, 10, extension === "plpgsql" || extension === "citus" ? 11 : 2200,
      extension !== "plpgsql" && extension !== "citus", version, null, null]) });

/** The empty catalogs. */
export const emptyCatalogs: readonly SystemRelationDef[] = [
  empty(2609, "pg_description", [["objoid", oid], ["classoid", oid], ["objsubid", int4],
    ["description", text]]),
  empty(2396, "pg_shdescription", [["objoid", oid], ["classoid", oid], ["description", text]]),
  empty(3256, "pg_policy", [["oid", oid], ["polname", name], ["polrelid", oid],
    ["polcmd", char], ["polpermissive", bool], ["polroles", oidArray], ["polqual", text],
    ["polwithcheck", text]]),
  empty(3381, "pg_statistic_ext", [["oid", oid], ["stxrelid", oid], ["stxname", name],
    ["stxnamespace", oid], ["stxowner", oid], ["stxstattarget", int4], ["stxkeys", int2vector],
    ["stxkind", charArray], ["stxexprs", text]]),
  empty(6104, "pg_publication", [["oid", oid], ["pubname", name], ["pubowner", oid],
    ["puballtables", bool], ["pubinsert", bool], ["pubupdate", bool], ["pubdelete", bool],
    ["pubtruncate", bool], ["pubviaroot", bool]]),
  empty(6237, "pg_publication_namespace", [["oid", oid], ["pnpubid", oid], ["pnnspid", oid]]),
  empty(6106, "pg_publication_rel", [["oid", oid], ["prpubid", oid], ["prrelid", oid],
    ["prqual", text], ["prattrs", int2vector]]),
  empty(2611, "pg_inherits", [["inhrelid", oid], ["inhparent", oid], ["inhseqno", int4],
    ["inhdetachpending", bool]]),
  empty(2618, "pg_rewrite", [["oid", oid], ["rulename", name], ["ev_class", oid],
    ["ev_type", char], ["ev_enabled", char], ["is_instead", bool], ["ev_qual", text],
    ["ev_action", text]]),
  empty(3118, "pg_foreign_table", [["ftrelid", oid], ["ftserver", oid],
    ["ftoptions", textArray]]),
  empty(3350, "pg_partitioned_table", [["partrelid", oid], ["partstrat", char],
    ["partnatts", int2], ["partdefid", oid], ["partattrs", int2vector],
    ["partclass", 30], ["partcollation", 30], ["partexprs", text]]),
  empty(2753, "pg_opfamily", [["oid", oid], ["opfmethod", oid], ["opfname", name],
    ["opfnamespace", oid], ["opfowner", oid]]),
  empty(1417, "pg_foreign_server", [["oid", oid], ["srvname", name], ["srvowner", oid],
    ["srvfdw", oid], ["srvtype", text], ["srvversion", text], ["srvacl", textArray],
    ["srvoptions", textArray]]),
  empty(3592, "pg_event_trigger", [["oid", oid], ["evtname", name], ["evtevent", name],
    ["evtowner", oid], ["evtfoid", oid], ["evtenabled", char], ["evttags", textArray]]),
  empty(2607, "pg_conversion", [["oid", oid], ["conname", name], ["connamespace", oid],
    ["conowner", oid], ["conforencoding", int4], ["contoencoding", int4],
    ["conproc", Oid.regproc], ["condefault", bool]]),
  empty(2605, "pg_cast", [["oid", oid], ["castsource", oid], ["casttarget", oid],
    ["castfunc", oid], ["castcontext", char], ["castmethod", char]]),
  empty(1418, "pg_user_mapping", [["oid", oid], ["umuser", oid], ["umserver", oid],
    ["umoptions", textArray]]),
  empty(12010, "pg_stat_user_tables", [["relid", oid], ["schemaname", name],
    ["relname", name], ["seq_scan", Oid.int8], ["n_live_tup", Oid.int8]]),
  // pg_locks (12011) is the engine's: txn/pg-locks.ts.
  // pg_prepared_xacts (12012) is the engine's: txn/two-phase.ts.
  empty(3466, "pg_statistic_ext_data", [["stxoid", oid], ["stxdinherit", bool]]),
  // The aggregates of CREATE AGGREGATE (`user-aggregate-rows.ts`).
  { oid: 2600, schema: "pg_catalog", name: "pg_aggregate", columns: pgAggregateColumns,
    rows: userAggregateRows },
  empty(2617, "pg_operator", [["oid", oid], ["oprname", name], ["oprnamespace", oid],
    ["oprowner", oid], ["oprkind", char], ["oprleft", oid], ["oprright", oid],
    ["oprresult", oid], ["oprcode", Oid.regproc]]),
  empty(2613, "pg_largeobject", [["loid", oid], ["pageno", int4], ["data", Oid.bytea]]),
  // The two text search configurations Tessera has (packages/sql types/regconfig.ts).
  { oid: 3602, schema: "pg_catalog", name: "pg_ts_config", columns: [["oid", oid],
    ["cfgname", name], ["cfgnamespace", oid], ["cfgowner", oid], ["cfgparser", oid]],
  rows: () => [[3748, "simple", 11, 10, 3722], [13164, "english", 11, 10, 3722]] },
  empty(2328, "pg_foreign_data_wrapper", [["oid", oid], ["fdwname", name],
    ["fdwowner", oid], ["fdwhandler", oid], ["fdwvalidator", oid], ["fdwacl", textArray],
    ["fdwoptions", textArray]]),
  empty(12013, "pg_stat_replication", [["pid", int4], ["application_name", text],
    ["state", text]]),
  empty(2619, "pg_statistic", [["starelid", oid], ["staattnum", int2],
    ["stainherit", bool], ["stanullfrac", Oid.float4]]),
  empty(2612 + 10000, "pg_stats", [["schemaname", name], ["tablename", name],
    ["attname", name], ["null_frac", Oid.float4]]),
  empty(2224 + 10000, "pg_matviews", [["schemaname", name], ["matviewname", name],
    ["matviewowner", name], ["definition", text]]),
  empty(2830 + 10000, "pg_event_trigger_info", [["evtname", name]]),
  empty(1214, "pg_shdepend", [["dbid", oid], ["classid", oid], ["objid", oid],
    ["objsubid", int4], ["refclassid", oid], ["refobjid", oid], ["deptype", char]]),
  empty(3501, "pg_enum", [["oid", oid], ["enumtypid", oid], ["enumsortorder", Oid.float4],
    ["enumlabel", name]]),
];

const fixed = (relOid: number, relName: string, columns: Columns, rows: Row[]):
  SystemRelationDef => ({ oid: relOid, schema: "pg_catalog", name: relName, columns,
  rows: () => rows });

/** The catalogs with fixed rows. */
export const fixedCatalogs: readonly SystemRelationDef[] = [
  // The built-in range types with their subtypes, multirange types and subtype opclasses;
  // rngcanonical and rngsubdiff are not functions Tessera lists in pg_proc, so 0.
  fixed(3541, "pg_range", [["rngtypid", oid], ["rngsubtype", oid], ["rngmultitypid", oid],
    ["rngcollation", oid], ["rngsubopc", oid], ["rngcanonical", Oid.regproc],
    ["rngsubdiff", Oid.regproc]], [[3904, 23, 4451, 0, 1978, 0, 0],
    [3906, 1700, 4532, 0, 3125, 0, 0], [3908, 1114, 4533, 0, 3128, 0, 0],
    [3910, 1184, 4534, 0, 3127, 0, 0], [3912, 1082, 4535, 0, 3122, 0, 0],
    [3926, 20, 4536, 0, 3124, 0, 0]]),
  fixed(3456, "pg_collation", [["oid", oid], ["collname", name], ["collnamespace", oid],
    ["collowner", oid], ["collprovider", char], ["collisdeterministic", bool],
    ["collencoding", int4], ["collcollate", text], ["collctype", text],
    ["colliculocale", text], ["collversion", text]], [
    [SysOid.defaultCollation, "default", 11, 10, "d", true, -1, null, null, null, null],
    [SysOid.cCollation, "C", 11, 10, "c", true, -1, "C", "C", null, null],
    [SysOid.posixCollation, "POSIX", 11, 10, "c", true, -1, "POSIX", "POSIX", null, null]]),
  fixed(1213, "pg_tablespace", [["oid", oid], ["spcname", name], ["spcowner", oid],
    ["spcacl", textArray], ["spcoptions", textArray]],
  [[1663, "pg_default", 10, null, null], [1664, "pg_global", 10, null, null]]),
  fixed(2612, "pg_language", [["oid", oid], ["lanname", name], ["lanowner", oid],
    ["lanispl", bool], ["lanpltrusted", bool], ["lanplcallfoid", oid], ["laninline", oid],
    ["lanvalidator", oid], ["lanacl", textArray]], [
    [12, "internal", 10, false, false, 0, 0, 2246, null],
    [13, "c", 10, false, false, 0, 0, 2247, null],
    [14, "sql", 10, false, true, 0, 0, 2248, null],
    [13563, "plpgsql", 10, true, true, 13560, 13561, 13562, null]]),
  fixed(2616, "pg_opclass", [["oid", oid], ["opcmethod", oid], ["opcname", name],
    ["opcnamespace", oid], ["opcowner", oid], ["opcfamily", oid], ["opcintype", oid],
    ["opcdefault", bool], ["opckeytype", oid]], operatorClasses.map((c): Row => [c.oid,
    accessMethodOid(c.method), c.name, SysOid.pgCatalog, SysOid.bootstrapSuperuser, c.family,
    c.inputType, c.isDefault, c.keyType])),
];

