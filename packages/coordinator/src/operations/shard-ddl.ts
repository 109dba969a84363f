/**
 * The DDL that creates a shard: the shell table's definition (columns with their types and
 * typmods, NOT NULL, defaults, PRIMARY KEY, UNIQUE, EXCLUDE and CHECK constraints, other
 * indexes with their access method and operator classes, as pg_get_indexdef prints them)
 * printed for `<schema>.<table>_<shardid>`, with every per-shard object name given the same
 * `_<shardid>` suffix, as Citus's `pg_get_tableschemadef_string` plus `RelayEventExtendNames`.
 *
 * Defaults that call nextval() stay on the coordinator: INSERT and COPY evaluate defaults
 * there and always send full rows, so a shard never needs the sequence. Foreign keys come
 * from `commands/foreign-keys.ts`, once the referenced shards exist.
 */
import { assert, type ShardId } from "@tessera/base";
import {
  exclusionConstraintDef, indexDefinition, partitionKeyText, type Engine,
} from "@tessera/engine";
import { formatType, type ast } from "@tessera/sql";
import { deparseSync } from "pgsql-deparser";
import { quoteIdentifier, shardName, shardObjectName } from "../metadata/naming.js";

/** The shell table as the engine's catalog holds it. */
export type ShellRelation = NonNullable<ReturnType<Engine["catalog"]["relation"]>>;

/** Returns the statements that create one shard of `relation`, in order. */
export function shardCreateStatements(relation: ShellRelation, id: ShardId): string[] {
  const table = qualifiedShard(relation, id);
  const items: string[] = [];
  relation.columns.forEach((column) => {
    if (column.dropped) return;
    let text = `${quoteIdentifier(column.name)} ${formatType(column.type, column.typmod)}`;
    if (column.defaultExpr !== null && !callsNextval(column.defaultExpr)) {
      text += ` DEFAULT ${deparseExpr(column.defaultExpr)}`;
    }
    if (column.notNull) text += " NOT NULL";
    items.push(text);
  });
  assert(items.length > 0, "a distributed table has columns");
  const indexes: string[] = [];
  for (const index of relation.indexes) {
    if (index.exclusion !== undefined) {
      const name = quoteIdentifier(shardObjectName(index.name, id));
      items.push(`CONSTRAINT ${name} ${exclusionConstraintDef(relation, index)}`);
      continue;
    }
    if (index.constraintName !== null) {
      const columns = index.columns.map((c) => quoteIdentifier(relation.columns[c]!.name));
      const kind = index.primary ? "PRIMARY KEY" : "UNIQUE";
      const name = quoteIdentifier(shardObjectName(index.constraintName, id));
      items.push(`CONSTRAINT ${name} ${kind} (${columns.join(", ")})`);
      continue;
    }
    indexes.push(indexDefinition(relation, index,
      quoteIdentifier(shardObjectName(index.name, id)), table));
  }
  for (const check of relation.checks) {
    items.push(`CONSTRAINT ${quoteIdentifier(shardObjectName(check.name, id))} ` +
      `CHECK (${deparseExpr(check.expr)})`);
  }
  // A partitioned table's shard is partitioned the same way; its partitions' shards are
  // attached to it (`distribute-partitioned.ts`).
  const partitionBy = relation.partitionKey === undefined ? ""
    : ` PARTITION BY ${partitionKeyText(relation)}`;
  return [`CREATE TABLE ${table} (${items.join(", ")})${partitionBy}`, ...indexes];
}

/** Returns `schema.table_<shardid>`, quoted where needed. */
export function qualifiedShard(relation: { schema: string; name: string }, id: ShardId): string {
  return `${quoteIdentifier(relation.schema)}.${quoteIdentifier(shardName(relation.name, id))}`;
}

/** Returns `schema.table`, quoted where needed. */
export function qualifiedName(relation: { schema: string; name: string }): string {
  return `${quoteIdentifier(relation.schema)}.${quoteIdentifier(relation.name)}`;
}

/** Prints an expression tree as SQL text. */
export function deparseExpr(expr: ast.Node): string {
  const text = deparseSync(expr, { pretty: false });
  assert(text.length > 0, "an expression deparses to text");
  return text;
}

function callsNextval(expr: ast.Node): boolean {
  return JSON.stringify(expr).includes('"sval":"nextval"');
}
