/**
 * information_schema's constraint views beyond table_constraints and key_column_usage:
 * check_constraints, referential_constraints, constraint_column_usage and
 * constraint_table_usage, computed as PostgreSQL 15's view definitions compute them.
 *
 * PostgreSQL lists every NOT NULL column of a table as a CHECK constraint too, named
 * `<namespace oid>_<table oid>_<attnum>_not_null` with the clause `name IS NOT NULL`
 * (`notNullConstraints`); table_constraints and check_constraints show them.
 */
import type { Row } from "@tessera/sql";
import type { StatementContext } from "../../api.js";
import type { Catalog } from "../catalog.js";
import type { FkAction, Relation } from "../relation.js";
import type { SystemRelationDef } from "../system-relations.js";
import { Oid } from "../types.js";
import { checkDef, catalogView } from "./object-defs.js";
import { allConstraints, columnsRead, type ConstraintInfo } from "./pg-constraint.js";
import { isSystemRelation, namespaceOid } from "./oids.js";

const ident = Oid.name;
const chars = Oid.varchar;
const schema = "information_schema";

/** A NOT NULL column of a table, as information_schema shows it: a CHECK constraint. */
export interface NotNullConstraint {
  readonly relation: Relation;
  readonly name: string;
  readonly column: string;
}

/** Every NOT NULL column of every user table, in table then column order. */
export function notNullConstraints(catalog: Catalog): NotNullConstraint[] {
  const out: NotNullConstraint[] = [];
  for (const rel of catalog.allRelations()) {
    if (rel.kind !== "r" || isSystemRelation(rel)) continue;
    const nsp = namespaceOid(catalog, rel.schema);
    rel.columns.forEach((c, i) => {
      if (c.notNull && !c.dropped) {
        out.push({ relation: rel, name: `${nsp}_${rel.oid}_${i + 1}_not_null`, column: c.name });
      }
    });
  }
  return out;
}

/** The user tables' constraints (those of system relations are not shown). */
function userConstraints(catalog: Catalog): ConstraintInfo[] {
  return allConstraints(catalog).filter((c) => !isSystemRelation(c.relation));
}

export function infoCheckConstraints(catalog: Catalog): SystemRelationDef {
  return {
    oid: 13105, schema, name: "check_constraints",
    columns: [["constraint_catalog", ident], ["constraint_schema", ident],
      ["constraint_name", ident], ["check_clause", chars]],
    rows: (ctx: StatementContext) => {
      const view = catalogView(catalog, ctx);
      const rows: Row[] = userConstraints(catalog).filter((c) => c.type === "c")
        .map((c): Row => [ctx.database, c.relation.schema, c.name,
          checkDef(view, c.relation, c.expr!, false).slice("CHECK ".length)]);
      for (const n of notNullConstraints(catalog)) {
        rows.push([ctx.database, n.relation.schema, n.name, `${n.column} IS NOT NULL`]);
      }
      return rows;
    },
  };
}

const ruleWords: Record<FkAction, string> = {
  a: "NO ACTION", r: "RESTRICT", c: "CASCADE", n: "SET NULL", d: "SET DEFAULT",
};

export function infoReferentialConstraints(catalog: Catalog): SystemRelationDef {
  return {
    oid: 13106, schema, name: "referential_constraints",
    columns: [["constraint_catalog", ident], ["constraint_schema", ident],
      ["constraint_name", ident], ["unique_constraint_catalog", ident],
      ["unique_constraint_schema", ident], ["unique_constraint_name", ident],
      ["match_option", chars], ["update_rule", chars], ["delete_rule", chars]],
    rows: (ctx: StatementContext) => userConstraints(catalog).filter((c) => c.type === "f")
      .map((c): Row => {
        const ref = catalog.relation(c.refRelationOid);
        const key = ref?.indexes.find((i) => i.oid === c.indexOid)?.constraintName ?? null;
        return [ctx.database, c.relation.schema, c.name, key === null ? null : ctx.database,
          key === null ? null : ref!.schema, key, "NONE",
          ruleWords[c.onUpdate as FkAction] ?? "NO ACTION",
          ruleWords[c.onDelete as FkAction] ?? "NO ACTION"];
      }),
  };
}

/**
 * constraint_column_usage: the columns each constraint uses. A foreign key uses the columns
 * it references (in the other table); a CHECK the columns its expression reads.
 */
export function infoConstraintColumnUsage(catalog: Catalog): SystemRelationDef {
  return {
    oid: 13107, schema, name: "constraint_column_usage",
    columns: [["table_catalog", ident], ["table_schema", ident], ["table_name", ident],
      ["column_name", ident], ["constraint_catalog", ident], ["constraint_schema", ident],
      ["constraint_name", ident]],
    rows: (ctx: StatementContext) => {
      const rows: Row[] = [];
      for (const c of userConstraints(catalog)) {
        const rel = c.type === "f" ? catalog.relation(c.refRelationOid) : c.relation;
        if (rel === undefined) continue;
        const positions = c.type === "c" ? columnsRead(rel, c.expr!)
          : c.type === "f" ? c.refColumns : c.columns;
        const names = positions.map((p) => rel.columns[p]!.name);
        for (const name of names) {
          rows.push([ctx.database, rel.schema, rel.name, name, ctx.database,
            c.relation.schema, c.name]);
        }
      }
      return rows;
    },
  };
}

/** constraint_table_usage: the table of each key constraint; a foreign key's referenced one. */
export function infoConstraintTableUsage(catalog: Catalog): SystemRelationDef {
  return {
    oid: 13108, schema, name: "constraint_table_usage",
    columns: [["table_catalog", ident], ["table_schema", ident], ["table_name", ident],
      ["constraint_catalog", ident], ["constraint_schema", ident], ["constraint_name", ident]],
    rows: (ctx: StatementContext) => {
      const rows: Row[] = [];
      for (const c of userConstraints(catalog)) {
        if (c.type === "c") continue;
        const rel = c.type === "f" ? catalog.relation(c.refRelationOid) : c.relation;
        if (rel === undefined) continue;
        rows.push([ctx.database, rel.schema, rel.name, ctx.database, c.relation.schema,
          c.name]);
      }
      return rows;
    },
  };
}
