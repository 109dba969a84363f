/**
 * information_schema: the SQL-standard views ORMs and migration tools read (tables, columns,
 * table_constraints, key_column_usage, schemata). The standard's domains (sql_identifier,
 * character_data, yes_or_no, cardinal_number) are shown as their base types.
 */
import type { Row } from "@tessera/sql";
import type { StatementContext } from "../../api.js";
import type { Catalog } from "../catalog.js";
import type { Relation } from "../relation.js";
import type { SystemRelationDef } from "../system-relations.js";
import { Oid } from "../types.js";
import { allConstraints } from "./pg-constraint.js";
import { isSystemRelation } from "./oids.js";
import { notNullConstraints } from "./information-schema-constraints.js";
import { updatableColumns } from "./information-schema-views.js";
import { columnVisible, constraintsVisible, tableVisible }
  from "./information-schema-visibility.js";

const ident = Oid.name;
const chars = Oid.varchar;
const card = Oid.int4;
/** yes_or_no is a domain over varchar(3): typmod 3 + 4. */
const yesOrNo = [Oid.varchar, 7] as const;
const schema = "information_schema";

/**
 * Returns the tables and views users created, as information_schema lists them (not
 * materialized views, which the SQL standard does not know).
 */
export function userRelations(catalog: Catalog): Relation[] {
  return [...catalog.allRelations()].filter((r) => !isSystemRelation(r) && r.kind !== "m");
}

export function infoTables(catalog: Catalog): SystemRelationDef {
  return {
    oid: 13100, schema, name: "tables",
    columns: [["table_catalog", ident], ["table_schema", ident], ["table_name", ident],
      ["table_type", chars], ["self_referencing_column_name", ident],
      ["reference_generation", chars], ["user_defined_type_catalog", ident],
      ["user_defined_type_schema", ident], ["user_defined_type_name", ident],
      ["is_insertable_into", ...yesOrNo], ["is_typed", ...yesOrNo], ["commit_action", chars]],
    rows: (ctx: StatementContext) => userRelations(catalog).filter((r) =>
      tableVisible(catalog, ctx, r)).map((r): Row => [ctx.database,
      r.schema, r.name, r.kind === "v" ? "VIEW" : r.schema.startsWith("pg_temp_")
        ? "LOCAL TEMPORARY" : "BASE TABLE", null, null, null, null, null,
      r.kind !== "v" || updatableColumns(catalog, ctx, r).size > 0 ? "YES" : "NO", "NO",
      null]),
  };
}

const constraintTypes: Record<string, string> = {
  p: "PRIMARY KEY", u: "UNIQUE", f: "FOREIGN KEY", c: "CHECK",
};

export function infoTableConstraints(catalog: Catalog): SystemRelationDef {
  return {
    oid: 13102, schema, name: "table_constraints",
    columns: [["constraint_catalog", ident], ["constraint_schema", ident],
      ["constraint_name", ident], ["table_catalog", ident], ["table_schema", ident],
      ["table_name", ident], ["constraint_type", chars], ["is_deferrable", ...yesOrNo],
      ["initially_deferred", ...yesOrNo], ["enforced", ...yesOrNo],
      ["nulls_distinct", ...yesOrNo]],
    rows: (ctx: StatementContext) => allConstraints(catalog)
      .filter((c) => !isSystemRelation(c.relation) &&
        constraintsVisible(catalog, ctx, c.relation)).map((c): Row => [ctx.database,
        c.relation.schema, c.name, ctx.database, c.relation.schema, c.relation.name,
        constraintTypes[c.type] ?? "CHECK", c.deferrable === true ? "YES" : "NO",
        c.initDeferred === true ? "YES" : "NO", "YES", c.type === "u" ? "YES" : null])
      .concat(notNullConstraints(catalog).filter((n) =>
        constraintsVisible(catalog, ctx, n.relation)).map((n): Row => [ctx.database,
        n.relation.schema, n.name, ctx.database, n.relation.schema, n.relation.name, "CHECK",
        "NO", "NO", "YES", null])),
  };
}

export function infoKeyColumnUsage(catalog: Catalog): SystemRelationDef {
  return {
    oid: 13103, schema, name: "key_column_usage",
    columns: [["constraint_catalog", ident], ["constraint_schema", ident],
      ["constraint_name", ident], ["table_catalog", ident], ["table_schema", ident],
      ["table_name", ident], ["column_name", ident], ["ordinal_position", card],
      ["position_in_unique_constraint", card]],
    rows: (ctx: StatementContext) => {
      const rows: Row[] = [];
      for (const c of allConstraints(catalog)) {
        // Primary keys, unique constraints and foreign keys; not CHECKs or exclusions.
        if (!"puf".includes(c.type) || isSystemRelation(c.relation)) continue;
        // A foreign key column's place among the referenced key's columns.
        const key = catalog.relation(c.refRelationOid)?.indexes.find((x) => x.oid === c.indexOid);
        c.columns.forEach((p, i) => {
          if (!columnVisible(catalog, ctx, c.relation, p + 1)) return;
          rows.push([ctx.database, c.relation.schema, c.name, ctx.database, c.relation.schema,
            c.relation.name, c.relation.columns[p]!.name, i + 1,
            c.type === "f" ? (key?.columns.indexOf(c.refColumns[i]!) ?? i) + 1 : null]);
        });
      }
      return rows;
    },
  };
}

export function infoSchemata(catalog: Catalog): SystemRelationDef {
  return {
    oid: 13104, schema, name: "schemata",
    columns: [["catalog_name", ident], ["schema_name", ident], ["schema_owner", ident],
      ["default_character_set_catalog", ident], ["default_character_set_schema", ident],
      ["default_character_set_name", ident], ["sql_path", chars]],
    rows: (ctx: StatementContext) => catalog.allSchemas().map(([name]): Row =>
      [ctx.database, name, name === "public" ? "pg_database_owner" : "postgres", null, null,
        null, null]),
  };
}
