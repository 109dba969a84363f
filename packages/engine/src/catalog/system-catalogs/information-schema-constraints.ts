/**
 * information_schema's constraint views beyond table_constraints and key_column_usage:
 * check_constraints, referential_constraints, constraint_column_usage and
 * constraint_table_usage, computed as PostgreSQL 15's view definitions compute them.
 *
 * PostgreSQL lists every NOT NULL column of a table as a CHECK constraint too, named
 * `<namespace oid>_<table oid>_<attnum>_not_null` with the clause `name IS NOT NULL`
 * (`notNullConstraints`); table_constraints and check_constraints show them. check_constraints
 * also lists domains' CHECKs. A role that is not a superuser sees the rows PostgreSQL's views
 * show it (`information-schema-visibility.ts`): checks and column and table uses of the
 * tables whose owner's privileges it holds, foreign keys of tables it holds a privilege on.
 */
import type { Row } from "@tessera/sql";
import type { StatementContext } from "../../api.js";
import type { Catalog } from "../catalog.js";
import type { FkAction, ForeignKey, Relation } from "../relation.js";
import type { SystemRelationDef } from "../system-relations.js";
import { Oid } from "../types.js";
import { checkDef, catalogView } from "./object-defs.js";
import { allConstraints, columnsRead, type ConstraintInfo } from "./pg-constraint.js";
import { isSystemRelation, namespaceOid } from "./oids.js";
import { allDomainConstraints } from "../domains.js";
import { bootstrapSuperuserOid, hasPrivilegesOf } from "../roles.js";
import { domainConstraintDef } from "./domain-rows.js";
import { constraintsVisible, ownsRelation, viewerOf } from "./information-schema-visibility.js";

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
      const rows: Row[] = userConstraints(catalog).filter((c) => c.type === "c" &&
        ownsRelation(catalog, ctx, c.relation)).map((c): Row => [ctx.database,
        c.relation.schema, c.name, checkDef(view, c.relation, c.expr!, false)
          .slice("CHECK ".length)]);
      for (const n of notNullConstraints(catalog)) {
        if (!ownsRelation(catalog, ctx, n.relation)) continue;
        rows.push([ctx.database, n.relation.schema, n.name, `${n.column} IS NOT NULL`]);
      }
      return rows.concat(domainCheckRows(catalog, ctx));
    },
  };
}

/**
 * Domains' CHECKs, as pg_get_constraintdef prints them less `CHECK `: `((VALUE > 0))`.
 * Domains belong to the bootstrap superuser, whose roles see them.
 */
function domainCheckRows(catalog: Catalog, ctx: StatementContext): Row[] {
  if (!hasPrivilegesOf(catalog, viewerOf(catalog, ctx), bootstrapSuperuserOid)) return [];
  return allDomainConstraints(catalog).map(({ domain, constraint }): Row => {
    const text = domainConstraintDef(catalog, constraint.oid, ctx, false) ?? "";
    return [ctx.database, domain.schema, constraint.name,
      text.replace(/ NOT VALID$/, "").slice("CHECK ".length)];
  });
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
    rows: (ctx: StatementContext) => userConstraints(catalog).filter((c) => c.type === "f" &&
      constraintsVisible(catalog, ctx, c.relation)).map((c): Row => {
        const ref = catalog.relation(c.refRelationOid);
        const key = ref?.indexes.find((i) => i.oid === c.indexOid)?.constraintName ?? null;
        return [ctx.database, c.relation.schema, c.name, key === null ? null : ctx.database,
          key === null ? null : ref!.schema, key,
          (c.source as ForeignKey).matchFull === true ? "FULL" : "NONE",
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
        if (rel === undefined || !ownsRelation(catalog, ctx, rel)) continue;
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
        if (rel === undefined || !ownsRelation(catalog, ctx, rel)) continue;
        rows.push([ctx.database, rel.schema, rel.name, ctx.database, c.relation.schema,
          c.name]);
      }
      return rows;
    },
  };
}
