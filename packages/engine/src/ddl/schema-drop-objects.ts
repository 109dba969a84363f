/**
 * DROP SCHEMA and the enum and composite types, domains and SQL functions in the schema, which
 * `catalog/drop.ts` does not know: without CASCADE they make the drop fail (2BP01, as
 * PostgreSQL); with CASCADE they go with it, after the schema's tables, each with its undo.
 * A type of the schema that a column elsewhere uses is refused with 0A000 (PostgreSQL would
 * drop the column). `type-function-utility.ts` runs the drop through here when such objects
 * exist.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { StatementScope } from "../analyze/scope.js";
import { dropObjects, type Notice } from "../catalog/drop.js";
import { addEnumType, enumTypesOf, removeEnumType, type EnumType }
  from "../catalog/enum-types.js";
import { addSqlFunction, allSqlFunctions, removeSqlFunction, type SqlFunction }
  from "../catalog/sql-functions.js";
import {
  addCompositeType, compositeTypesOf, removeCompositeType, type CompositeType,
} from "../catalog/composite-types.js";
import type { Engine } from "../engine.js";
import { addDomain, domainsOf, removeDomain, type DomainType } from "../catalog/domains.js";
import { signature } from "./create-function.js";
import { recordUndo } from "./enum-ddl.js";

interface Doomed {
  readonly types: EnumType[];
  readonly functions: SqlFunction[];
  readonly composites: CompositeType[];
  readonly domains: DomainType[];
}

/** The enums and SQL functions a DROP SCHEMA would take, or undefined when there are none. */
export function schemaObjects(statement: StatementScope, stmt: ast.DropStmt):
  Doomed | undefined {
  const schemas = new Set((stmt.objects ?? [])
    .flatMap((o) => ("String" in o ? [o.String.sval ?? ""] : [])));
  const types = [...enumTypesOf(statement.catalog).values()].filter((t) => schemas.has(t.schema));
  const functions = allSqlFunctions(statement.catalog).filter((f) => schemas.has(f.schema));
  const composites = [...compositeTypesOf(statement.catalog).values()]
    .filter((t) => schemas.has(t.schema));
  const domains = [...domainsOf(statement.catalog).values()].filter((d) => schemas.has(d.schema));
  return types.length + functions.length + composites.length + domains.length === 0 ? undefined
    : { types, functions, composites, domains };
}

/** Runs DROP SCHEMA with the schema's enums and SQL functions. */
export function dropSchemaWithObjects(engine: Engine, stmt: ast.DropStmt,
  statement: StatementScope, doomed: Doomed, notice: Notice): string {
  const { catalog, path } = statement;
  const describe = [...doomed.types.map((t) => `type ${t.schema}.${t.name}`),
    ...doomed.composites.map((t) => `type ${t.schema}.${t.name}`),
    ...doomed.domains.map((d) => `type ${d.schema}.${d.name}`),
    ...doomed.functions.map((f) => `function ${f.schema}.${signature(f)}`)];
  if (stmt.behavior !== "DROP_CASCADE") {
    const schema = doomed.types[0]?.schema ?? doomed.composites[0]?.schema ??
      doomed.domains[0]?.schema ?? doomed.functions[0]!.schema;
    throw new SqlError(SqlState.dependentObjectsStillExist,
      `cannot drop schema ${schema} because other objects depend on it`,
      { detail: describe.map((d) => `${d} depends on schema ${schema}`).join("\n"),
        hint: "Use DROP ... CASCADE to drop the dependent objects too." });
  }
  const types = [...doomed.types, ...doomed.composites, ...doomed.domains];
  const schemas = new Set(types.map((t) => t.schema));
  const oids = types.flatMap((t) => [t.oid, t.arrayOid]);
  for (const rel of catalog.allRelations()) {
    if (schemas.has(rel.schema) || rel.virtualRows !== undefined) continue;
    if (rel.columns.some((c) => !c.dropped && oids.includes(c.type))) {
      throw notSupported(`DROP SCHEMA … CASCADE of a type that table ${rel.name} uses`);
    }
  }
  const tag = dropObjects(catalog, path, stmt, notice);
  for (const fn of doomed.functions) {
    removeSqlFunction(catalog, fn);
    recordUndo(engine, statement, () => addSqlFunction(catalog, fn));
  }
  for (const type of doomed.types) {
    removeEnumType(catalog, type);
    recordUndo(engine, statement, () => addEnumType(catalog, type));
  }
  for (const type of doomed.composites) {
    removeCompositeType(catalog, type);
    recordUndo(engine, statement, () => addCompositeType(catalog, type));
  }
  for (const domain of doomed.domains) {
    removeDomain(catalog, domain);
    recordUndo(engine, statement, () => addDomain(catalog, domain));
  }
  notice(describe.length === 1 ? `drop cascades to ${describe[0]}`
    : `drop cascades to ${describe.length} other objects`,
  describe.length === 1 ? undefined : describe.map((d) => `drop cascades to ${d}`).join("\n"));
  return tag;
}
