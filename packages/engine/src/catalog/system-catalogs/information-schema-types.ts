/**
 * information_schema's views of types and of what views and columns use: character_sets
 * (the database's one, UTF8), collations (pg_collation's default, C and POSIX; PostgreSQL
 * also has ucs_basic and its ICU collations, which Tessera does not), attributes and
 * user_defined_types (stand-alone composite types, `../composite-types.ts`), element_types
 * (the element type of each array column of a table or view; PostgreSQL also lists those of
 * domains, routine parameters and type attributes), column_udt_usage (the type of each
 * column, a domain's base type), view_table_usage and view_column_usage (the relations and
 * columns each view's query reads, `../column-use.ts`), information_schema_catalog_name,
 * and sql_features: a subset of PostgreSQL 15's 714 rows, the core features' main entries
 * listed here (with PG's support flags and comments), not every sub-feature.
 */
import type { ast, Row } from "@tessera/sql";
import type { StatementContext } from "../../api.js";
import type { Catalog } from "../catalog.js";
import { columnUseOf } from "../column-use.js";
import { compositeTypesOf } from "../composite-types.js";
import { walk } from "../depend.js";
import { baseTypeOf, domainOf } from "../domains.js";
import type { Relation } from "../relation.js";
import { Oid, typeInfo } from "../types.js";
import { charMaxLength, charOctetLength, datetimePrecision, numericPrecision, numericScale }
  from "./information-schema-columns.js";
import { udtOf } from "./information-schema-routines.js";
import { userRelations } from "./information-schema.js";
import { fixedView } from "./view-columns.js";

const schema = "information_schema";
const nulls = (n: number): null[] => Array.from({ length: n }, () => null);

function radix(type: number): number | null {
  if (type === Oid.numeric) return 10;
  const binary: readonly number[] = [Oid.int2, Oid.int4, Oid.int8, Oid.float4, Oid.float8];
  return binary.includes(type) ? 2 : null;
}

function attributeRows(catalog: Catalog, db: string): Row[] {
  return [...compositeTypesOf(catalog).values()].flatMap((t) => t.attributes.map((a, i):
    Row => {
    const udt = udtOf(catalog, a.type);
    return [db, t.schema, t.name, a.name, i + 1, null, "YES", udt.dataType,
      charMaxLength(a.type, a.typmod), charOctetLength(a.type, a.typmod), null, null, null,
      null, null, null, numericPrecision(a.type, a.typmod), radix(a.type),
      numericScale(a.type, a.typmod), datetimePrecision(a.type, a.typmod), null, null, db,
      udt.schema, udt.name, null, null, null, null, String(i + 1), "NO"];
  }));
}

const columnTables = (catalog: Catalog): Relation[] =>
  userRelations(catalog).filter((r) => r.kind === "r" || r.kind === "v");

function columnUdtRows(catalog: Catalog, db: string): Row[] {
  return columnTables(catalog).flatMap((r) => r.columns.filter((c) => !c.dropped).map((c):
    Row => {
      const type = domainOf(c.type) === undefined ? c.type : baseTypeOf(c.type, c.typmod).type;
      const udt = udtOf(catalog, type);
      return [db, udt.schema, udt.name, db, r.schema, r.name, c.name];
    }));
}

function elementTypeRows(catalog: Catalog, db: string): Row[] {
  return columnTables(catalog).flatMap((r) => r.columns.flatMap((c, i): Row[] => {
    const info = typeInfo(c.type);
    if (c.dropped || info.category !== "A" || info.elem === 0) return [];
    const udt = udtOf(catalog, info.elem);
    return [[db, r.schema, r.name, "TABLE", String(i + 1), udt.dataType, ...nulls(15), db,
      udt.schema, udt.name, null, null, null, null, `a${i + 1}`]];
  }));
}

/** The relations `view` reads with the columns of each it reads. */
function viewReads(catalog: Catalog, view: Relation): { rel: Relation; columns: string[] }[] {
  const query = view.viewQuery;
  if (query === null) return [];
  const refs: ast.RangeVar[] = [];
  walk(query, 0, (node) => {
    if ("RangeVar" in node) refs.push(node.RangeVar);
  });
  return [...new Set(view.viewDeps ?? [])].flatMap((oid) => {
    const rel = catalog.relation(oid);
    if (rel === undefined || oid === view.oid) return [];
    const live = rel.columns.filter((c) => !c.dropped).map((c) => c.name);
    const used = new Set<string>();
    for (const ref of refs.filter((x) => x.relname === rel.name)) {
      const selected = columnUseOf(query, ref, rel).selected;
      for (const name of selected === "all" ? live : selected) used.add(name);
    }
    return [{ rel, columns: live.filter((name) => used.has(name)) }];
  });
}

function viewUsageRows(catalog: Catalog, ctx: StatementContext, withColumns: boolean): Row[] {
  const db = ctx.database;
  return userRelations(catalog).filter((r) => r.kind === "v").flatMap((v) =>
    viewReads(catalog, v).flatMap(({ rel, columns }): Row[] => {
      const head = [db, v.schema, v.name, db, rel.schema, rel.name];
      return withColumns ? columns.map((c): Row => [...head, c]) : [head];
    }));
}

/** Core SQL features with PostgreSQL 15's support flags and comments (a subset). */
const features: readonly (readonly [string, string, string, string])[] = [
  ["E011", "Numeric data types", "YES", ""], ["E021", "Character data types", "YES", ""],
  ["E031", "Identifiers", "YES", ""], ["E051", "Basic query specification", "YES", ""],
  ["E061", "Basic predicates and search conditions", "YES", ""],
  ["E071", "Basic query expressions", "YES", ""], ["E081", "Basic Privileges", "YES", ""],
  ["E091", "Set functions", "YES", ""], ["E101", "Basic data manipulation", "YES", ""],
  ["E111", "Single row SELECT statement", "YES", ""],
  ["E121", "Basic cursor support", "YES", ""],
  ["E131", "Null value support (nulls in lieu of values)", "YES", ""],
  ["E141", "Basic integrity constraints", "YES", ""], ["E151", "Transaction support", "YES", ""],
  ["E152", "Basic SET TRANSACTION statement", "YES", ""],
  ["E153", "Updatable queries with subqueries", "YES", ""],
  ["E161", "SQL comments using leading double minus", "YES", ""],
  ["E171", "SQLSTATE support", "YES", ""], ["E182", "Host language binding", "YES", ""],
  ["F031", "Basic schema manipulation", "YES", ""], ["F041", "Basic joined table", "YES", ""],
  ["F051", "Basic date and time", "YES", ""], ["F081", "UNION and EXCEPT in views", "YES", ""],
  ["F131", "Grouped operations", "YES", ""], ["F181", "Multiple module support", "YES", ""],
  ["F201", "CAST function", "YES", ""], ["F221", "Explicit defaults", "YES", ""],
  ["F261", "CASE expression", "YES", ""], ["F311", "Schema definition statement", "YES", ""],
  ["F471", "Scalar subquery values", "YES", ""], ["F481", "Expanded NULL predicate", "YES", ""],
  ["S011", "Distinct data types", "NO", ""],
  ["T321", "Basic SQL-invoked routines", "NO", "partially supported"],
  ["T631", "IN predicate with one list element", "YES", ""],
];

/** The views of this module. */
export function typeViews(catalog: Catalog): ReturnType<typeof fixedView>[] {
  return [
    fixedView(13250, schema, "character_sets", `character_set_catalog:n
      character_set_schema:n character_set_name:n character_repertoire:n form_of_use:n
      default_collate_catalog:n default_collate_schema:n default_collate_name:n`,
    (ctx) => [[null, null, "UTF8", "UCS", "UTF8", ctx.database, "pg_catalog", "ucs_basic"]]),
    fixedView(13265, schema, "collations", `collation_catalog:n collation_schema:n
      collation_name:n pad_attribute:s`, (ctx) => ["C", "POSIX", "default"].map((name): Row =>
      [ctx.database, "pg_catalog", name, "NO PAD"])),
    fixedView(13245, schema, "attributes", `udt_catalog:n udt_schema:n udt_name:n
      attribute_name:n ordinal_position:i attribute_default:s is_nullable:y data_type:s
      character_maximum_length:i character_octet_length:i character_set_catalog:n
      character_set_schema:n character_set_name:n collation_catalog:n collation_schema:n
      collation_name:n numeric_precision:i numeric_precision_radix:i numeric_scale:i
      datetime_precision:i interval_type:s interval_precision:i attribute_udt_catalog:n
      attribute_udt_schema:n attribute_udt_name:n scope_catalog:n scope_schema:n
      scope_name:n maximum_cardinality:i dtd_identifier:n is_derived_reference_attribute:y`,
    (ctx) => attributeRows(catalog, ctx.database)),
    fixedView(13463, schema, "user_defined_types", `user_defined_type_catalog:n
      user_defined_type_schema:n user_defined_type_name:n user_defined_type_category:s
      is_instantiable:y is_final:y ordering_form:s ordering_category:s
      ordering_routine_catalog:n ordering_routine_schema:n ordering_routine_name:n
      reference_type:s data_type:s character_maximum_length:i character_octet_length:i
      character_set_catalog:n character_set_schema:n character_set_name:n
      collation_catalog:n collation_schema:n collation_name:n numeric_precision:i
      numeric_precision_radix:i numeric_scale:i datetime_precision:i interval_type:s
      interval_precision:i source_dtd_identifier:n ref_dtd_identifier:n`,
    (ctx) => [...compositeTypesOf(catalog).values()].map((t): Row => [ctx.database, t.schema,
      t.name, "STRUCTURED", "YES", ...nulls(24)])),
    fixedView(13493, schema, "element_types", `object_catalog:n object_schema:n
      object_name:n object_type:s collection_type_identifier:n data_type:s
      character_maximum_length:i character_octet_length:i character_set_catalog:n
      character_set_schema:n character_set_name:n collation_catalog:n collation_schema:n
      collation_name:n numeric_precision:i numeric_precision_radix:i numeric_scale:i
      datetime_precision:i interval_type:s interval_precision:i domain_default:s
      udt_catalog:n udt_schema:n udt_name:n scope_catalog:n scope_schema:n scope_name:n
      maximum_cardinality:i dtd_identifier:n`, (ctx) => elementTypeRows(catalog, ctx.database)),
    fixedView(13290, schema, "column_udt_usage", `udt_catalog:n udt_schema:n udt_name:n
      table_catalog:n table_schema:n table_name:n column_name:n`,
    (ctx) => columnUdtRows(catalog, ctx.database)),
    fixedView(13478, schema, "view_table_usage", `view_catalog:n view_schema:n view_name:n
      table_catalog:n table_schema:n table_name:n`,
    (ctx) => viewUsageRows(catalog, ctx, false)),
    fixedView(13468, schema, "view_column_usage", `view_catalog:n view_schema:n
      view_name:n table_catalog:n table_schema:n table_name:n column_name:n`,
    (ctx) => viewUsageRows(catalog, ctx, true)),
    fixedView(13227, schema, "information_schema_catalog_name", "catalog_name:n",
      (ctx) => [[ctx.database]]),
    fixedView(13391, schema, "sql_features", `feature_id:s feature_name:s sub_feature_id:s
      sub_feature_name:s is_supported:y is_verified_by:s comments:s`,
    () => features.map(([id, name, supported, comments]): Row =>
      [id, name, "", "", supported, null, comments])),
  ];
}
