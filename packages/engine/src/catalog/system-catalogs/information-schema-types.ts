/**
 * information_schema's views of types and of what views and columns use: character_sets
 * (the database's one, UTF8), collations (pg_collation's default, C and POSIX; PostgreSQL
 * also has ucs_basic and its ICU collations, which Tessera does not), attributes and
 * user_defined_types (stand-alone composite types, `../composite-types.ts`), element_types
 * (the element type of each array column of a table or view, attribute of a composite type,
 * domain over an array, and array parameter or result of a routine), column_udt_usage
 * (the type of each column, a domain's base type), view_table_usage and view_column_usage
 * (the relations and columns each view's query reads, `../column-use.ts`) and
 * information_schema_catalog_name.
 */
import type { ast, Row } from "@tessera/sql";
import type { StatementContext } from "../../api.js";
import type { Catalog } from "../catalog.js";
import { columnUseOf } from "../column-use.js";
import { compositeTypesOf } from "../composite-types.js";
import { walk } from "../depend.js";
import { baseTypeOf, domainOf, domainsOf } from "../domains.js";
import type { Relation } from "../relation.js";
import { allSqlFunctions } from "../sql-functions.js";
import { Oid, typeInfo } from "../types.js";
import { charMaxLength, charOctetLength, datetimePrecision, numericPrecision, numericScale }
  from "./information-schema-columns.js";
import { parametersOf, specificName, udtOf } from "./information-schema-routines.js";
import { userRelations } from "./information-schema.js";
import { fixedView } from "./view-columns.js";

const schema = "information_schema";
const nulls = (n: number): null[] => Array.from({ length: n }, () => null);

function radix(type: number): number | null {
  if (type === Oid.numeric) return 10;
  const binary: readonly number[] = [Oid.int2, Oid.int4, Oid.int8, Oid.float4, Oid.float8];
  return binary.includes(type) ? 2 : null;
}

/**
 * A composite type's attributes. Lengths, precisions and nullability are the base type's
 * when the attribute's type is a domain (PostgreSQL's _pg_truetypid and _pg_truetypmod), and
 * a NOT NULL domain makes the attribute not nullable.
 */
function attributeRows(catalog: Catalog, db: string): Row[] {
  return [...compositeTypesOf(catalog).values()].flatMap((t) => t.attributes.map((a, i):
    Row => {
    const udt = udtOf(catalog, a.type);
    const domain = domainOf(a.type);
    const { type, typmod } = domain === undefined ? a : baseTypeOf(a.type, a.typmod);
    return [db, t.schema, t.name, a.name, i + 1, null, domain?.notNull === true ? "NO" : "YES",
      udt.dataType, charMaxLength(type, typmod), charOctetLength(type, typmod), null, null,
      null, null, null, null, numericPrecision(type, typmod), radix(type),
      numericScale(type, typmod), datetimePrecision(type, typmod), null, null, db,
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

/** An element_types row for array type `type` at `position` of an object. */
function elementRow(catalog: Catalog, db: string, object: { schema: string; name: string;
  type: string }, type: number, position: number): Row[] {
  const info = typeInfo(type);
  if (info.category !== "A" || info.elem === 0) return [];
  const udt = udtOf(catalog, info.elem);
  return [[db, object.schema, object.name, object.type, String(position), udt.dataType,
    ...nulls(15), db, udt.schema, udt.name, null, null, null, null, `a${position}`]];
}

/** The element types of the array columns of tables and views and attributes of types. */
function elementTypeRows(catalog: Catalog, db: string): Row[] {
  const columns = columnTables(catalog).flatMap((r) => r.columns.flatMap((c, i) =>
    c.dropped ? [] : elementRow(catalog, db, { schema: r.schema, name: r.name,
      type: "TABLE" }, c.type, i + 1)));
  const attributes = [...compositeTypesOf(catalog).values()].flatMap((t) =>
    t.attributes.flatMap((a, i) => elementRow(catalog, db, { schema: t.schema, name: t.name,
      type: "USER-DEFINED TYPE" }, a.type, i + 1)));
  const domains = [...domainsOf(catalog).values()].flatMap((d) => elementRow(catalog, db,
    { schema: d.schema, name: d.name, type: "DOMAIN" }, d.baseType, 1));
  const routines = allSqlFunctions(catalog).flatMap((f) => {
    const object = { schema: f.schema, name: specificName(f), type: "ROUTINE" };
    const result = f.procedure === true ? [] : elementRow(catalog, db, object, f.returnType, 0);
    return [...result, ...parametersOf(f).flatMap((p, i) =>
      elementRow(catalog, db, object, p.type, i + 1))];
  });
  return [...columns, ...attributes, ...domains, ...routines];
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
  ];
}
