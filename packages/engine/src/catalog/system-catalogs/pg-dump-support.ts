/**
 * What pg_dump 15 reads beyond psql: the catalogs of object kinds Tessera does not have
 * (text search parsers, transforms, subscriptions, large objects, security labels,
 * operator-family members), present with Postgres 15's columns and no rows, which is
 * true here; pg_rewrite with the `_RETURN` rule of each view; the pg_depend edges pg_dump
 * orders its output by (a view's rule on the relations it reads, a column default on the
 * sequence it calls, so `ALTER TABLE … SET DEFAULT nextval(…)` follows the sequence); and the
 * functions pg_dump calls: pg_is_in_recovery, acldefault, pg_options_to_table,
 * pg_get_function_sqlbody.
 */
import { domainOf, domainOfArray, findDomain } from "../domains.js";
import { formatType, makeArray, type PgArray, type Row, type Value } from "@tessera/sql";
import { quoteIdent } from "../../plan/explain-deparse.js";
import { liveSqlFunction } from "../sql-functions.js";
import { enumTypesOf, findEnumType } from "../enum-types.js";
import { compositeTypesOf, findCompositeType } from "../composite-types.js";
import type { CatalogView } from "./object-defs.js";
import type { Catalog } from "../catalog.js";
import { registerEngineFunction, type ScalarDef, type SrfDef } from "../builtins.js";
import type { Relation } from "../relation.js";
import { sequencesIn } from "../depend.js";
import type { SystemRelationDef } from "../system-relations.js";
import { Oid } from "../types.js";
import { constraintOid } from "./oids.js";
import { roleName } from "./pg-roles.js";
import { pgDefaultAcl } from "../default-acls.js";

const oid = Oid.oid;
const name = Oid.name;
const text = Oid.text;
const bool = Oid.bool;
const char = Oid.char;
const int4 = Oid.int4;
const textArray = 1009;
const regproc = Oid.regproc;

const pgClassOid = 1259;
const pgRewriteOid = 2618;
const pgAttrdefOid = 2604;

type Columns = SystemRelationDef["columns"];

function empty(relOid: number, relName: string, columns: Columns): SystemRelationDef {
  return { oid: relOid, schema: "pg_catalog", name: relName, columns, rows: () => [] };
}

/** Catalogs of object kinds Tessera has none of. */
const emptyDumpCatalogs: readonly SystemRelationDef[] = [
  empty(3394, "pg_init_privs", [["objoid", oid], ["classoid", oid], ["objsubid", int4],
    ["privtype", char], ["initprivs", textArray]]),
  // pg_ts_parser, pg_ts_template and pg_ts_dict are `text-search-catalogs.ts`'s.
  empty(3576, "pg_transform", [["oid", oid], ["trftype", oid], ["trflang", oid],
    ["trffromsql", regproc], ["trftosql", regproc]]),
  empty(6100, "pg_subscription", [["oid", oid], ["subdbid", oid], ["subskiplsn", Oid.text],
    ["subname", name], ["subowner", oid], ["subenabled", bool], ["subbinary", bool],
    ["substream", bool], ["subtwophasestate", char], ["subdisableonerr", bool],
    ["subconninfo", text], ["subslotname", name], ["subsynccommit", text],
    ["subpublications", textArray]]),
  empty(2995, "pg_largeobject_metadata", [["oid", oid], ["lomowner", oid],
    ["lomacl", textArray]]),
  empty(2602, "pg_amop", [["oid", oid], ["amopfamily", oid], ["amoplefttype", oid],
    ["amoprighttype", oid], ["amopstrategy", Oid.int2], ["amoppurpose", char],
    ["amopopr", oid], ["amopmethod", oid], ["amopsortfamily", oid]]),
  empty(2603, "pg_amproc", [["oid", oid], ["amprocfamily", oid], ["amproclefttype", oid],
    ["amprocrighttype", oid], ["amprocnum", Oid.int2], ["amproc", regproc]]),
  empty(3596, "pg_seclabel", [["objoid", oid], ["classoid", oid], ["objsubid", int4],
    ["provider", text], ["label", text]]),
  // ALTER DATABASE … SET and ALTER ROLE … SET are not supported: no per-database settings.
  empty(2964, "pg_db_role_setting", [["setdatabase", oid], ["setrole", oid],
    ["setconfig", textArray]]),
  empty(6243, "pg_parameter_acl", [["oid", oid], ["parname", text], ["paracl", textArray]]),
  empty(3597, "pg_shseclabel", [["objoid", oid], ["classoid", oid], ["provider", text],
    ["label", text]]),
  empty(3592 + 10000, "pg_seclabels", [["objoid", oid], ["classoid", oid],
    ["objsubid", int4], ["objtype", text], ["objnamespace", oid], ["objname", text],
    ["provider", text], ["label", text]]),
];

/** The relations pg_dump reads that psql does not; pg_rewrite replaces pg-misc's empty one. */
export function pgDumpCatalogs(catalog: Catalog): SystemRelationDef[] {
  return [...emptyDumpCatalogs, pgRewrite(catalog), pgDefaultAcl(catalog)];
}

const ruleOids = new WeakMap<Catalog, WeakMap<Relation, number>>();

/** The OID of a view's `_RETURN` rule, taken from the catalog's counter on first sight. */
function ruleOid(catalog: Catalog, view: Relation): number {
  let oids = ruleOids.get(catalog);
  if (oids === undefined) {
    oids = new WeakMap();
    ruleOids.set(catalog, oids);
  }
  const known = oids.get(view);
  if (known !== undefined) return known;
  const fresh = catalog.allocateOid();
  oids.set(view, fresh);
  return fresh;
}

/** Views and materialized views: the relations that have an ON SELECT rule. */
function ruleRelations(catalog: Catalog): Relation[] {
  return [...catalog.allRelations()].filter((r) =>
    (r.kind === "v" || r.kind === "m") && r.viewQuery !== null);
}

/**
 * pg_rewrite: one `_RETURN` rule per view (ON SELECT, INSTEAD, enabled 'O'). ev_action is a
 * pg_node_tree in Postgres; here it names the view, as pg_attrdef's adbin names a default.
 */
function pgRewrite(catalog: Catalog): SystemRelationDef {
  return {
    oid: pgRewriteOid, schema: "pg_catalog", name: "pg_rewrite",
    columns: [["oid", oid], ["rulename", name], ["ev_class", oid], ["ev_type", char],
      ["ev_enabled", char], ["is_instead", bool], ["ev_qual", text], ["ev_action", text]],
    rows: () => ruleRelations(catalog).map((view): Row => [ruleOid(catalog, view),
      "_RETURN", view.oid, "1", "O", true, "<>", `({QUERY :view ${view.oid}})`]),
  };
}

/**
 * pg_depend rows beyond the owned-by links of sequences: a view's rule depends on the view
 * (internal) and on each relation it reads (normal); a column default depends on each
 * sequence its nextval calls name (normal).
 */
export function dumpDependRows(catalog: Catalog): Row[] {
  const rows: Row[] = [];
  for (const view of ruleRelations(catalog)) {
    const rule = ruleOid(catalog, view);
    rows.push([pgRewriteOid, rule, 0, pgClassOid, view.oid, 0, "i"]);
    for (const read of new Set(view.viewDeps ?? [])) {
      if (read !== view.oid) rows.push([pgRewriteOid, rule, 0, pgClassOid, read, 0, "n"]);
    }
  }
  for (const rel of catalog.allRelations()) {
    for (const column of rel.columns) {
      if (column.dropped || column.defaultExpr === null || column.identity !== null) continue;
      for (const seq of new Set(sequencesIn(catalog, rel, column.defaultExpr))) {
        rows.push([pgAttrdefOid, constraintOid(catalog, column), 0, pgClassOid, seq, 0, "n"]);
      }
    }
  }
  return rows;
}

/**
 * A SQL function's arguments with their names, `x integer, y text`, as CREATE FUNCTION needs
 * them (the body refers to them); undefined for other functions and those with OUT arguments.
 */
export function sqlFunctionArguments(oid: number): string | undefined {
  const f = liveSqlFunction(oid);
  if (f === undefined || (f.plpgsql?.argModes.length ?? 0) > 0) return undefined;
  return f.argTypes.map((type, i) => {
    const argName = f.argNames[i] ?? "";
    const typeText = formatType(type, -1);
    return argName === "" ? typeText : `${quoteIdent(argName)} ${typeText}`;
  }).join(", ");
}

/**
 * format_type's text of an enum type (or its array) with the schema in front when the
 * search path would not find it, as pg_dump (search_path '') needs: `public.mood`.
 */
export function qualifyUserType(view: CatalogView, type: number, text: string): string {
  for (const e of enumTypesOf(view.catalog).values()) {
    if (e.oid !== type && e.arrayOid !== type) continue;
    if (findEnumType(view.catalog, view.path, undefined, e.name) === e) return text;
    return `${quoteIdent(e.schema)}.${quoteIdent(e.name)}${e.oid === type ? "" : "[]"}`;
  }
  const d = domainOf(type) ?? domainOfArray(type);
  if (d !== undefined && findDomain(view.catalog, view.path, undefined, d.name) !== d) {
    return `${quoteIdent(d.schema)}.${quoteIdent(d.name)}${d.oid === type ? "" : "[]"}`;
  }
  for (const c of compositeTypesOf(view.catalog).values()) {
    if (c.oid !== type && c.arrayOid !== type) continue;
    if (findCompositeType(view.catalog, view.path, undefined, c.name) === c) return text;
    return `${quoteIdent(c.schema)}.${quoteIdent(c.name)}${c.oid === type ? "" : "[]"}`;
  }
  return text;
}

function scalar(fn: string, argTypes: number[], returnType: number,
  impl: (args: Value[]) => Value): ScalarDef {
  return { kind: "scalar", name: fn, argTypes, returnType, volatility: "s", strict: true,
    impl };
}

/** The privileges an owner holds by default on each object kind (acldefault's letters). */
const ownerPrivileges: Readonly<Record<string, [owner: string, pub: string]>> = {
  c: ["arwU", ""], r: ["arwdDxt", ""], s: ["rwU", ""], d: ["CTc", "Tc"], f: ["X", "X"],
  l: ["U", "U"], L: ["rw", ""], n: ["UC", ""], p: ["sA", ""], t: ["C", ""], F: ["U", ""],
  S: ["U", ""], T: ["U", "U"],
};

/** acldefault(kind, owner): the ACL an object has while its acl column is null. */
function aclDefault(catalog: Catalog, kind: string, owner: number): Value {
  const privileges = ownerPrivileges[kind];
  if (privileges === undefined) return makeArray(Oid.text, []);
  const who = roleName(catalog, owner) ?? String(owner);
  const items: string[] = [];
  if (privileges[1] !== "") items.push(`=${privileges[1]}/${who}`);
  items.push(`${who}=${privileges[0]}/${who}`);
  return makeArray(Oid.text, items);
}

/** pg_options_to_table: `name=value` option strings as (option_name, option_value) rows. */
const optionsToTable: SrfDef = {
  kind: "srf", name: "pg_options_to_table", argTypes: [textArray], returnType: Oid.record,
  volatility: "s", strict: true,
  outColumns: [{ name: "option_name", type: text }, { name: "option_value", type: text }],
  impl: ([options]) => (options as PgArray).items.map((item) => {
    const option = String(item);
    const at = option.indexOf("=");
    return at < 0 ? [option, null] : [option.slice(0, at), option.slice(at + 1)];
  }),
};

/** Registers the functions pg_dump calls. */
export function registerDumpFunctions(catalog: Catalog): void {
  const defs: (ScalarDef | SrfDef)[] = [
    // A Tessera node serves queries only once its recovery from the WAL is complete.
    { ...scalar("pg_is_in_recovery", [], bool, () => false), volatility: "v" },
    scalar("acldefault", [char, oid], textArray,
      ([kind, owner]) => aclDefault(catalog, kind as string, owner as number)),
    // SQL-standard bodies (BEGIN ATOMIC) are kept as their text in prosrc: none is stored.
    scalar("pg_get_function_sqlbody", [oid], text, () => null),
    optionsToTable,
  ];
  for (const def of defs) registerEngineFunction(def);
}
