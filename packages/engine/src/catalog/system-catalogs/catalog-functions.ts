/**
 * The functions psql and drivers call over pg_catalog: format_type, pg_get_userbyid, the
 * visibility tests, pg_get_indexdef / constraintdef / expr, object sizes, privileges (all
 * granted: Tessera has one superuser); descriptions are `pg-description.ts`'s. They read the
 * catalog the engine passes in, through the calling session's search_path.
 */
import { SqlError, SqlState } from "@tessera/base";
import { domainConstraintDef, domainDefaultExprText } from "./domain-rows.js";
import { formatType, makeArray, type PgArray, type Value } from "@tessera/sql";
import type { EvalLike } from "../../analyze/expr.js";
import type { Catalog } from "../catalog.js";
import { registerEngineFunction, type ScalarDef, type SrfDef } from "../builtins.js";
import { Oid } from "../types.js";
import { catalogView, checkDef, foreignKeyDef, indexDef, keyConstraintDef,
  storedExprText } from "./object-defs.js";
import { indexByOid } from "./oids.js";
import { qualifiedNameList } from "./to-reg.js";
import { pseudoTypeName } from "./pseudo-types.js";
import { pgGetKeywords } from "./pg-keywords.js";
import { constraintByOid, storedExprOf } from "./pg-constraint.js";
import { roleName } from "./pg-roles.js";
import { procByOid } from "./pg-proc.js";
import { classEntry } from "./reg-resolvers.js";
import { viewDefinition } from "./view-deparse.js";
import { adminFunctions, visibility } from "./admin-functions.js";
import { textSearchFunctions } from "./text-search-catalogs.js";
import { userFunctionArguments, userFunctionDefinition, userFunctionResult,
  userFunctionVisible } from "./function-definition.js";
import { triggerByOid, triggerDefinition } from "../../plpgsql/trigger-admin.js";
import { descriptionFunctions } from "./pg-description.js";
import { qualifyUserType, sqlFunctionArguments } from "./pg-dump-support.js";
import { partitionBoundExpr, registerPartitionFunctions } from "../../partition/catalogs.js";
import type { ForeignKey, Index, Relation } from "../relation.js";
import { exclusionConstraintDef } from "../exclusion.js";
import { indexesSizeBytes, relationSizeBytes, tableSizeBytes, totalRelationSizeBytes }
  from "./relation-size.js";

type Impl = (args: Value[], ctx: EvalLike) => Value;

function scalar(name: string, argTypes: number[], returnType: number, impl: Impl,
  strict = true): ScalarDef {
  return { kind: "scalar", name, argTypes, returnType, volatility: "s", strict, impl };
}

/** Registers the catalog functions over `catalog`. */
export function registerCatalogFunctions(catalog: Catalog): void {
  for (const def of [...describeFunctions(catalog), ...definitionFunctions(catalog),
    ...stubFunctions(catalog), ...descriptionFunctions(catalog)]) {
    registerEngineFunction(def);
  }
  for (const def of expandArray) registerEngineFunction(def);
  for (const def of textSearchFunctions) registerEngineFunction(def);
  registerEngineFunction(pgGetKeywords);
  registerPartitionFunctions(catalog);
  for (const def of adminFunctions(catalog)) registerEngineFunction(def);
}

function describeFunctions(catalog: Catalog): ScalarDef[] {
  const visible = (oid: Value, ctx: EvalLike): Value => {
    const entry = classEntry(catalog, oid as number);
    if (entry === undefined) return null;
    const view = catalogView(catalog, ctx);
    return view.catalog.lookupName(view.path, undefined, entry.name)?.oid === oid;
  };
  const formatTypeImpl: Impl = ([type, typmod], ctx) => type === null ? null
    : qualifyUserType(catalogView(catalog, ctx), type as number,
      formatTypeSafe(type as number, typmod === null || typmod === undefined ? -1
        : typmod as number));
  return [
    scalar("format_type", [Oid.oid, Oid.int4], Oid.text, formatTypeImpl, false),
    scalar("pg_get_userbyid", [Oid.oid], Oid.name,
      ([oid]) => roleName(catalog, oid as number) ?? `unknown (OID=${oid as number})`),
    scalar("pg_table_is_visible", [Oid.oid], Oid.bool, ([oid], ctx) => visible(oid!, ctx)),
    visibility(catalog, "pg_type_is_visible", "pg_type", "typname", "typnamespace"),
    scalar("pg_function_is_visible", [Oid.oid], Oid.bool,
      ([oid], ctx) => userFunctionVisible(catalog, oid as number, catalogView(catalog, ctx).path)),
    scalar("pg_encoding_to_char", [Oid.int4], Oid.name,
      ([n]) => (n === 6 ? "UTF8" : n === 0 ? "SQL_ASCII" : "")),
    scalar("current_schemas", [Oid.bool], 1003, ([implicit], ctx) => {
      const path = catalogView(catalog, ctx).path;
      return makeArray(Oid.name, implicit === true ? [...path]
        : path.filter((s) => s !== "pg_catalog"));
    }),
    scalar("pg_get_serial_sequence", [Oid.text, Oid.text], Oid.text, ([table, column], ctx) => {
      const view = catalogView(catalog, ctx);
      // The table name is parsed as an identifier (folded, quotable); the column is not.
      const names = qualifiedNameList(table as string);
      const name = names[names.length - 1] ?? "";
      const schema = names.length > 1 ? names[names.length - 2] : undefined;
      const rel = view.catalog.findRelation(view.path, schema, name);
      if (rel === undefined) {
        throw new SqlError(SqlState.undefinedTable, `relation "${table as string}" does not exist`);
      }
      if (!rel.columns.some((c) => !c.dropped && c.name === column)) {
        throw new SqlError(SqlState.undefinedColumn,
          `column "${column as string}" of relation "${rel.name}" does not exist`);
      }
      for (const seq of catalog.allSequences()) {
        if (seq.ownedBy?.relationOid === rel?.oid && seq.ownedBy?.column === column) {
          return `${seq.schema}.${seq.name}`;
        }
      }
      return null;
    }),
  ];
}

/** The system columns' types Tessera has no values of (pg_type lists them, `pg-type.ts`). */
const systemColumnTypes: ReadonlyMap<number, string> = new Map([[27, "tid"], [29, "cid"]]);

/** format_type(oid, NULL) for the session `ctx`: user types qualified when not on the path. */
function typeTextFor(catalog: Catalog, ctx: EvalLike): (oid: number) => string {
  return (oid) => qualifyUserType(catalogView(catalog, ctx), oid, formatTypeSafe(oid, -1));
}

function formatTypeSafe(type: number, typmod: number): string {
  const systemType = systemColumnTypes.get(type) ?? pseudoTypeName(type);
  if (systemType !== undefined) return systemType;
  try {
    return formatType(type, typmod);
  } catch {
    return "???";
  }
}

function definitionFunctions(catalog: Catalog): ScalarDef[] {
  const indexdef: Impl = ([oid, column, pretty], ctx) => {
    const found = indexByOid(catalog, oid as number);
    if (found === undefined) return null;
    return indexDef(catalogView(catalog, ctx), found.relation, found.index,
      (column ?? 0) as number, pretty === true);
  };
  const constraintdef: Impl = ([oid, pretty], ctx) => {
    const c = constraintByOid(catalog, oid as number);
    if (c === undefined) {
      return domainConstraintDef(catalog, oid as number, ctx, pretty === true) ?? null;
    }
    const view = catalogView(catalog, ctx);
    switch (c.type) {
      case "p": case "u": {
        const index = c.relation.indexes.find((i) => i.oid === c.indexOid);
        return index === undefined ? null : keyConstraintDef(c.relation, index);
      }
      case "f": {
        const fk = c.relation.foreignKeys.find((f) => f === c.source) ??
          (c.parentOid === undefined ? undefined : c.source as ForeignKey);
        return fk === undefined ? null : foreignKeyDef(view, c.relation, fk);
      }
      case "c": return checkDef(view, c.relation, c.expr!, pretty === true) +
        ((c.source as { notValid?: boolean }).notValid === true ? " NOT VALID" : "");
      case "x": return exclusionConstraintDef(c.relation, c.source as Index,
        (e) => storedExprText(view, c.relation, e, pretty === true));
    }
  };
  const expr: Impl = ([tree, _relid, pretty], ctx) => {
    const bound = partitionBoundExpr(catalog, tree as string, ctx);
    if (bound !== undefined) return bound;
    const indexExprs = indexExprsText(catalog, tree as string, ctx, pretty === true);
    if (indexExprs !== undefined) return indexExprs;
    const stored = storedExprOf(catalog, tree as string);
    if (stored === undefined) return domainDefaultExprText(catalog, tree as string, ctx) ?? null;
    return storedExprText(catalogView(catalog, ctx), stored.relation, stored.expr,
      pretty === true, stored.type === undefined ? undefined : { type: stored.type });
  };
  const triggerdef: Impl = ([oid, pretty], ctx) => {
    const found = triggerByOid(catalog, oid as number);
    return found === undefined ? null : triggerDefinition(catalog, found.trigger,
      found.relation, pretty === true, catalogView(catalog, ctx).path);
  };
  const viewdef: Impl = ([oid, pretty], ctx) => {
    const rel = catalog.relation(oid as number);
    if (rel === undefined || (rel.kind !== "v" && rel.kind !== "m")) return null;
    return viewDefinition(catalogView(catalog, ctx), rel, pretty === true);
  };
  const viewdefByName: Impl = ([name, pretty], ctx) => {
    const view = catalogView(catalog, ctx);
    const rel = view.catalog.findRelation(view.path, undefined, name as string);
    if (rel === undefined || (rel.kind !== "v" && rel.kind !== "m")) return null;
    return viewDefinition(view, rel, pretty === true);
  };
  return [
    scalar("pg_get_indexdef", [Oid.oid], Oid.text, indexdef),
    scalar("pg_get_indexdef", [Oid.oid, Oid.int4, Oid.bool], Oid.text, indexdef),
    scalar("pg_get_constraintdef", [Oid.oid], Oid.text, constraintdef),
    scalar("pg_get_constraintdef", [Oid.oid, Oid.bool], Oid.text, constraintdef),
    scalar("pg_get_expr", [Oid.text, Oid.oid], Oid.text, expr),
    scalar("pg_get_expr", [Oid.text, Oid.oid, Oid.bool], Oid.text, expr),
    scalar("pg_get_function_result", [Oid.oid], Oid.text, ([oid], ctx) => {
      const user = userFunctionResult(oid as number, typeTextFor(catalog, ctx));
      if (user !== undefined) return user;
      const def = procByOid(oid as number);
      if (def === undefined) return null;
      return `${def.kind === "srf" ? "SETOF " : ""}${formatTypeSafe(def.returnType, -1)}`;
    }),
    scalar("pg_get_function_arguments", [Oid.oid], Oid.text, ([oid], ctx) =>
      userFunctionArguments(oid as number, false, typeTextFor(catalog, ctx)) ?? functionArgs(oid)),
    scalar("pg_get_function_identity_arguments", [Oid.oid], Oid.text, ([oid], ctx) =>
      userFunctionArguments(oid as number, true, typeTextFor(catalog, ctx)) ?? functionArgs(oid)),
    scalar("pg_get_functiondef", [Oid.oid], Oid.text,
      ([oid], ctx) => userFunctionDefinition(oid as number, typeTextFor(catalog, ctx))),
    scalar("pg_get_triggerdef", [Oid.oid], Oid.text, triggerdef),
    scalar("pg_get_triggerdef", [Oid.oid, Oid.bool], Oid.text, triggerdef),
    scalar("pg_get_viewdef", [Oid.oid], Oid.text, viewdef),
    scalar("pg_get_viewdef", [Oid.oid, Oid.bool], Oid.text, viewdef),
    scalar("pg_get_viewdef", [Oid.text], Oid.text, viewdefByName),
    scalar("pg_get_viewdef", [Oid.text, Oid.bool], Oid.text, viewdefByName),
    // pg_rewrite has no rows: views are Tessera's only rules, and psql skips their _RETURN.
    scalar("pg_get_ruledef", [Oid.oid], Oid.text, () => null),
    scalar("pg_get_ruledef", [Oid.oid, Oid.bool], Oid.text, () => null),
  ];
}

/**
 * pg_get_expr of pg_index.indexprs (`{INDEXPRS :indexrelid N}`): the key expressions,
 * separated by commas as ruleutils prints a list.
 */
function indexExprsText(catalog: Catalog, tree: string, ctx: EvalLike,
  pretty: boolean): string | undefined {
  const match = /^\{INDEXPRS :indexrelid (\d+)\}$/.exec(tree);
  if (match === null) return undefined;
  const found = indexByOid(catalog, Number(match[1]));
  if (found === undefined) return undefined;
  const view = catalogView(catalog, ctx);
  return (found.index.computed?.exprs ?? []).filter((e) => e !== null)
    .map((e) => storedExprText(view, found.relation, e, pretty)).join(", ");
}

function functionArgs(oid: Value | undefined): Value {
  const named = sqlFunctionArguments(oid as number);
  if (named !== undefined) return named;
  const def = procByOid(oid as number);
  if (def === undefined) return null;
  return def.argTypes.map((t, i) => {
    const last = i === def.argTypes.length - 1;
    return last && def.variadic !== undefined ? `VARIADIC ${formatTypeSafe(t, -1)}`
      : formatTypeSafe(t, -1);
  }).join(", ");
}

/**
 * pg_relation_size and kin of an index (its own pages, as pg_indexes_size counts them) or a
 * sequence (its one page); null for other OIDs.
 */
function storageSize(catalog: Catalog, name: string, oid: number): bigint | null {
  if (name === "pg_indexes_size" || name.startsWith("pg_stat_get_")) return null;
  const found = indexByOid(catalog, oid);
  if (found !== undefined) {
    return indexesSizeBytes({ ...found.relation, indexes: [found.index] });
  }
  return catalog.sequence(oid) === undefined ? null : 8192n;
}

function stubFunctions(catalog: Catalog): ScalarDef[] {
  const nothing: Impl = () => null;
  const granted: Impl = () => true;
  const size: Impl = () => 0n;
  const out: ScalarDef[] = [
    scalar("pg_get_statisticsobjdef_columns", [Oid.oid], Oid.text, nothing),
    scalar("pg_relation_is_publishable", [Oid.regclass], Oid.bool, granted),
    scalar("pg_tablespace_location", [Oid.oid], Oid.text, () => ""),
  ];
  const sizes = [["pg_relation_size", relationSizeBytes], ["pg_table_size", tableSizeBytes],
    ["pg_total_relation_size", totalRelationSizeBytes], ["pg_indexes_size", indexesSizeBytes],
    // Stored versions not live: dead, or deleted by a transaction vacuum must still wait for.
    ["pg_stat_get_dead_tuples",
      (rel: Relation) => BigInt(rel.store.versions.length - rel.store.liveCount)],
    ["pg_stat_get_live_tuples", (rel: Relation) => BigInt(rel.store.liveCount)],
  ] as const;
  for (const [name, measure] of sizes) {
    out.push(scalar(name, [Oid.regclass], Oid.int8, ([oid]) => {
      const relation = catalog.relation(oid as number);
      if (relation === undefined) return storageSize(catalog, name, oid as number);
      // A view or a partitioned table has no storage of its own, as in PostgreSQL.
      const storageless = relation.kind === "v" || relation.partitionKey !== undefined;
      return storageless && name !== "pg_stat_get_dead_tuples" &&
        name !== "pg_stat_get_live_tuples" ? 0n : measure(relation);
    }));
  }
  out.push(scalar("pg_database_size", [Oid.name], Oid.int8, size));
  out.push(scalar("pg_database_size", [Oid.oid], Oid.int8, size));
  for (const name of ["has_table_privilege", "has_schema_privilege",
    "has_database_privilege", "has_sequence_privilege", "has_function_privilege",
    "has_column_privilege"]) {
    out.push(scalar(name, [Oid.text, Oid.text], Oid.bool, granted));
    out.push(scalar(name, [Oid.oid, Oid.text], Oid.bool, granted));
    out.push(scalar(name, [Oid.name, Oid.text, Oid.text], Oid.bool, granted));
  }
  return out;
}

const int2vector = 22;
const int2Array = 1005;
const int4Array = 1007;

/**
 * information_schema._pg_expandarray: one (x, n) row per element, n counting from 1. JDBC's
 * getPrimaryKeys and getIndexInfo run it over pg_index.indkey (an int2vector).
 */
const expandArray: SrfDef[] = [[int2vector, Oid.int2], [int2Array, Oid.int2],
  [int4Array, Oid.int4]].map(([arrayType, elementType]) => ({
  kind: "srf", name: "_pg_expandarray", argTypes: [arrayType!], returnType: Oid.record,
  volatility: "i", strict: true,
  outColumns: [{ name: "x", type: elementType! }, { name: "n", type: Oid.int4 }],
  impl: ([array]) => (array as PgArray).items.map((x, i) => [x, i + 1]),
}));
