/**
 * information_schema's views of what uses what: domain_constraints, domain_udt_usage and
 * column_domain_usage (domains, `../domains.ts`), column_column_usage (the columns a
 * generated column's expression reads), check_constraint_routine_usage and
 * view_routine_usage (the database's own functions a CHECK or a view calls),
 * triggered_update_columns (a trigger's UPDATE OF columns), data_type_privileges (every
 * dtd_identifier of attributes, columns, domains, parameters and routines) and
 * collation_character_set_applicability.
 *
 * PostgreSQL reads the uses from pg_depend, which records no edge to a built-in (pinned)
 * function; here the stored raw trees are walked for calls that resolve to a function of
 * `../sql-functions.ts`, which are exactly the unpinned ones. A row shows when the current
 * user holds the owner's privileges of the object PostgreSQL's view checks (a superuser
 * sees all).
 */
import type { ast, Row } from "@tessera/sql";
import type { StatementContext } from "../../api.js";
import type { Catalog } from "../catalog.js";
import { walk } from "../depend.js";
import { allDomainConstraints, domainOf, domainsOf } from "../domains.js";
import { heldColumnPrivileges } from "../column-privileges.js";
import { heldPrivileges, ownerOf } from "../privileges.js";
import type { Relation } from "../relation.js";
import { bootstrapSuperuserOid, hasPrivilegesOf } from "../roles.js";
import { sqlFunctionsNamed, type SqlFunction } from "../sql-functions.js";
import { allTriggers } from "../../plpgsql/trigger-admin.js";
import { currentRoleOid } from "./information-schema-privileges.js";
import { specificName, udtOf } from "./information-schema-routines.js";
import { userRelations } from "./information-schema.js";
import { fixedView } from "./view-columns.js";

const schema = "information_schema";

/** True when the current user holds the privileges of `owner` (pg_has_role USAGE). */
function ownsAs(catalog: Catalog, ctx: StatementContext, owner: number): boolean {
  return hasPrivilegesOf(catalog, currentRoleOid(catalog, ctx), owner);
}

function domainConstraintRows(catalog: Catalog, ctx: StatementContext): Row[] {
  const db = ctx.database;
  return allDomainConstraints(catalog).map(({ domain, constraint }): Row => [db,
    domain.schema, constraint.name, db, domain.schema, domain.name, "NO", "NO"]);
}

function domainUdtRows(catalog: Catalog, ctx: StatementContext): Row[] {
  const db = ctx.database;
  if (!ownsAs(catalog, ctx, bootstrapSuperuserOid)) return [];
  return [...domainsOf(catalog).values()].map((d): Row => {
    const base = domainOf(d.baseType);
    const udt = base === undefined ? udtOf(catalog, d.baseType)
      : { schema: base.schema, name: base.name };
    return [db, udt.schema, udt.name, db, d.schema, d.name];
  });
}

const domainColumnKinds = new Set(["r", "v", "f", "p"]);

function columnDomainRows(catalog: Catalog, ctx: StatementContext): Row[] {
  const db = ctx.database;
  if (!ownsAs(catalog, ctx, bootstrapSuperuserOid)) return [];
  return userRelations(catalog).filter((r) => domainColumnKinds.has(r.kind)).flatMap((r) =>
    r.columns.flatMap((c): Row[] => {
      const domain = c.dropped ? undefined : domainOf(c.type);
      return domain === undefined ? []
        : [[db, domain.schema, domain.name, db, r.schema, r.name, c.name]];
    }));
}

/** The column names a raw expression reads (the last field of each column reference). */
function columnsRead(expr: ast.Node): Set<string> {
  const names = new Set<string>();
  walk(expr, 0, (node) => {
    if (!("ColumnRef" in node)) return;
    const last = node.ColumnRef.fields?.at(-1);
    if (last !== undefined && "String" in last) names.add(last.String.sval ?? "");
  });
  return names;
}

function columnColumnRows(catalog: Catalog, ctx: StatementContext): Row[] {
  const db = ctx.database;
  return userRelations(catalog).filter((r) => ownsAs(catalog, ctx,
    ownerOf(catalog, "table", r.oid))).flatMap((r) => r.columns.flatMap((c): Row[] => {
    if (c.dropped || c.generated === null) return [];
    const read = columnsRead(c.generated);
    return r.columns.filter((o) => !o.dropped && o !== c && read.has(o.name))
      .map((o): Row => [db, r.schema, r.name, o.name, c.name]);
  }));
}

/** The database's functions a raw tree calls, resolved along `path`, without repeats. */
function functionsCalled(catalog: Catalog, tree: ast.Node | null, path: readonly string[]):
  SqlFunction[] {
  const found = new Map<number, SqlFunction>();
  walk(tree, 0, (node) => {
    if (!("FuncCall" in node)) return;
    const names = (node.FuncCall.funcname ?? []).map((n) => ("String" in n
      ? n.String.sval ?? "" : ""));
    const name = names.at(-1) ?? "";
    const qualifier = names.length > 1 ? names.at(-2) : undefined;
    const argCount = node.FuncCall.args?.length ?? 0;
    for (const f of sqlFunctionsNamed(catalog, path, qualifier, name)) {
      if (f.argTypes.length >= argCount) found.set(f.oid, f);
    }
  });
  return [...found.values()];
}

const pathOf = (rel: Relation): string[] => [rel.schema, "public", "pg_catalog"];

function checkRoutineRows(catalog: Catalog, ctx: StatementContext): Row[] {
  const db = ctx.database;
  const tableChecks = userRelations(catalog).flatMap((r) => r.checks.map((c) =>
    ({ schema: r.schema, name: c.name, expr: c.expr, path: pathOf(r) })));
  const domainChecks = allDomainConstraints(catalog).map(({ domain, constraint }) =>
    ({ schema: domain.schema, name: constraint.name, expr: constraint.expr,
      path: [domain.schema, "public", "pg_catalog"] }));
  return [...tableChecks, ...domainChecks].flatMap((c) =>
    functionsCalled(catalog, c.expr, c.path)
      .filter((f) => ownsAs(catalog, ctx, ownerOf(catalog, "function", f.oid)))
      .map((f): Row => [db, c.schema, c.name, db, f.schema, specificName(f)]));
}

function viewRoutineRows(catalog: Catalog, ctx: StatementContext): Row[] {
  const db = ctx.database;
  return userRelations(catalog).filter((r) => r.kind === "v").flatMap((v) =>
    functionsCalled(catalog, v.viewQuery, pathOf(v))
      .filter((f) => ownsAs(catalog, ctx, ownerOf(catalog, "function", f.oid)))
      .map((f): Row => [db, v.schema, v.name, db, f.schema, specificName(f)]));
}

/**
 * A trigger's UPDATE OF columns, shown to the table owner's roles and to those that may
 * INSERT, UPDATE or REFERENCES the column (has_column_privilege: table or column grants).
 */
function triggeredColumnRows(catalog: Catalog, ctx: StatementContext): Row[] {
  const db = ctx.database;
  const viewer = currentRoleOid(catalog, ctx);
  const writable = (rel: Relation, index: number): boolean => {
    const held = heldPrivileges(catalog, "table", rel.oid, viewer).privs +
      heldColumnPrivileges(catalog, rel.oid, index + 1, viewer);
    return [..."awx"].some((letter) => held.includes(letter));
  };
  return allTriggers(catalog).flatMap(({ trigger, relation }) => {
    const owner = ownsAs(catalog, ctx, ownerOf(catalog, "table", relation.oid));
    return trigger.columns.filter((index) => owner || writable(relation, index))
      .map((index): Row => [db, relation.schema, trigger.name, db, relation.schema,
        relation.name, relation.columns[index]?.name ?? null]);
  });
}

/** The views data_type_privileges reads: name, schema and name columns, object type. */
const dtdSources: readonly (readonly [string, string, string, string])[] = [
  ["attributes", "udt_schema", "udt_name", "USER-DEFINED TYPE"],
  ["columns", "table_schema", "table_name", "TABLE"],
  ["domains", "domain_schema", "domain_name", "DOMAIN"],
  ["parameters", "specific_schema", "specific_name", "ROUTINE"],
  ["routines", "specific_schema", "specific_name", "ROUTINE"],
];

function dataTypePrivilegeRows(catalog: Catalog, ctx: StatementContext): Row[] {
  return dtdSources.flatMap(([view, schemaColumn, nameColumn, type]) => {
    const rel = catalog.findRelation([], schema, view);
    if (rel?.virtualRows === undefined) return [];
    const at = (name: string): number => rel.columns.findIndex((c) => c.name === name);
    const [s, n, d] = [at(schemaColumn), at(nameColumn), at("dtd_identifier")];
    return rel.virtualRows(ctx).map((row): Row =>
      [ctx.database, row[s] ?? null, row[n] ?? null, type, row[d] ?? null]);
  });
}

/** The views of this module. */
export function usageViews(catalog: Catalog): ReturnType<typeof fixedView>[] {
  return [
    fixedView(13310, schema, "domain_constraints", `constraint_catalog:n constraint_schema:n
      constraint_name:n domain_catalog:n domain_schema:n domain_name:n is_deferrable:y
      initially_deferred:y`, (ctx) => domainConstraintRows(catalog, ctx)),
    fixedView(13315, schema, "domain_udt_usage", `udt_catalog:n udt_schema:n udt_name:n
      domain_catalog:n domain_schema:n domain_name:n`, (ctx) => domainUdtRows(catalog, ctx)),
    fixedView(13280, schema, "column_domain_usage", `domain_catalog:n domain_schema:n
      domain_name:n table_catalog:n table_schema:n table_name:n column_name:n`,
    (ctx) => columnDomainRows(catalog, ctx)),
    fixedView(13275, schema, "column_column_usage", `table_catalog:n table_schema:n
      table_name:n column_name:n dependent_column:n`, (ctx) => columnColumnRows(catalog, ctx)),
    fixedView(13255, schema, "check_constraint_routine_usage", `constraint_catalog:n
      constraint_schema:n constraint_name:n specific_catalog:n specific_schema:n
      specific_name:n`, (ctx) => checkRoutineRows(catalog, ctx)),
    fixedView(13473, schema, "view_routine_usage", `table_catalog:n table_schema:n
      table_name:n specific_catalog:n specific_schema:n specific_name:n`,
    (ctx) => viewRoutineRows(catalog, ctx)),
    fixedView(13435, schema, "triggered_update_columns", `trigger_catalog:n trigger_schema:n
      trigger_name:n event_object_catalog:n event_object_schema:n event_object_table:n
      event_object_column:n`, (ctx) => triggeredColumnRows(catalog, ctx)),
    fixedView(13488, schema, "data_type_privileges", `object_catalog:n object_schema:n
      object_name:n object_type:s dtd_identifier:n`,
    (ctx) => dataTypePrivilegeRows(catalog, ctx)),
    fixedView(13270, schema, "collation_character_set_applicability", `collation_catalog:n
      collation_schema:n collation_name:n character_set_catalog:n character_set_schema:n
      character_set_name:n`, (ctx) => ["C", "POSIX", "default"].map((name): Row =>
      [ctx.database, "pg_catalog", name, null, null, "UTF8"])),
  ];
}
