/**
 * Per-shard object names in DDL: Citus's `RelayEventExtendNames` (relay/relay_event_utility.c)
 * appends `_<shardid>` to the names of objects that live beside each shard, because all
 * shards of a table on one node share a schema and index names are unique per schema:
 *
 *     CREATE INDEX events_ts_idx ON events (ts)
 *  -> CREATE INDEX events_ts_idx_102008 ON public.events_102008 (ts)
 *
 * Table names are swapped by `shard-query.ts`; this file extends the other names, for the
 * statement kinds in `extenders` (index, constraint, trigger, rename and drop targets, and
 * the constraint of INSERT … ON CONFLICT ON CONSTRAINT). Two
 * additions to Citus: constraint names inside CREATE TABLE and ALTER TABLE ADD COLUMN are
 * extended too, since our shard DDL is not rebuilt from the catalog as Citus's is.
 */
import { assert, type ShardId } from "@tessera/base";
import { shardObjectName } from "../metadata/naming.js";
import { isRecord, type TreeRecord } from "./tree-walk.js";

type Extender = (fields: TreeRecord, shardId: ShardId) => TreeRecord;

/** The DDL statements whose own object names get the shard suffix, by node type. */
const extenders: Readonly<Record<string, Extender>> = {
  IndexStmt: (fields, shardId) => extendField(fields, "idxname", shardId),
  AlterTableStmt: (fields, shardId) => mapList(fields, "cmds", (type, cmd) =>
    type === "AlterTableCmd" ? extendCommand(cmd, shardId) : cmd),
  CreateStmt: (fields, shardId) => mapList(fields, "tableElts", (type, elt) =>
    type === "Constraint" ? extendConstraint(elt, shardId)
      : type === "ColumnDef" ? extendColumnConstraints(elt, shardId) : elt),
  ClusterStmt: (fields, shardId) => extendField(fields, "indexname", shardId),
  CreateTrigStmt: (fields, shardId) => extendField(fields, "trigname", shardId),
  RenameStmt: extendRename,
  DropStmt: extendDrop,
  // ON CONFLICT ON CONSTRAINT c names the shard's constraint, c_<shardid>.
  InsertStmt: (fields, shardId) => {
    const clause = fields["onConflictClause"];
    if (!isRecord(clause) || !isRecord(clause["infer"])) return fields;
    return { ...fields, onConflictClause: { ...clause,
      infer: extendField(clause["infer"], "conname", shardId) } };
  },
  ReindexStmt: (fields, shardId) => fields["kind"] === "REINDEX_OBJECT_INDEX"
    ? { ...fields, relation: extendField(record(fields["relation"]), "relname", shardId) }
    : fields,
};

/** Returns `stmt` with its per-shard object names extended by `shardId`. */
export function extendDdlNames(stmt: TreeRecord, shardId: ShardId): TreeRecord {
  const [type, ...others] = Object.keys(stmt);
  assert(type !== undefined && others.length === 0, "a statement is one wrapped node");
  const extender = extenders[type];
  if (extender === undefined) return stmt;
  return { [type]: extender(record(stmt[type]), shardId) };
}

/** ALTER TABLE subcommands that name a constraint, index or trigger of the table. */
function extendCommand(cmd: TreeRecord, shardId: ShardId): TreeRecord {
  switch (cmd["subtype"]) {
    case "AT_AddConstraint":
      return { ...cmd, def: mapNode(cmd["def"], "Constraint",
        (constraint) => extendConstraint(constraint, shardId)) };
    case "AT_AddColumn":
      return { ...cmd, def: mapNode(cmd["def"], "ColumnDef",
        (column) => extendColumnConstraints(column, shardId)) };
    case "AT_ReplicaIdentity":
      return { ...cmd, def: mapNode(cmd["def"], "ReplicaIdentityStmt",
        (stmt) => extendField(stmt, "name", shardId)) };
    case "AT_DropConstraint":
    case "AT_ValidateConstraint":
    case "AT_ClusterOn":
    case "AT_EnableTrig":
    case "AT_DisableTrig":
    case "AT_EnableAlwaysTrig":
    case "AT_EnableReplicaTrig":
      return extendField(cmd, "name", shardId);
    default:
      return cmd;
  }
}

/** Extends a constraint's name and the index it is built from (`USING INDEX`). */
function extendConstraint(constraint: TreeRecord, shardId: ShardId): TreeRecord {
  return extendField(extendField(constraint, "conname", shardId), "indexname", shardId);
}

function extendColumnConstraints(column: TreeRecord, shardId: ShardId): TreeRecord {
  return mapList(column, "constraints", (type, constraint) =>
    type === "Constraint" ? extendConstraint(constraint, shardId) : constraint);
}

/** RENAME of a table, index or constraint: the new name (and an index's old one). */
function extendRename(fields: TreeRecord, shardId: ShardId): TreeRecord {
  switch (fields["renameType"]) {
    case "OBJECT_TABLE":
    case "OBJECT_FOREIGN_TABLE":
      return extendField(fields, "newname", shardId);
    case "OBJECT_INDEX": {
      const relation = extendField(record(fields["relation"]), "relname", shardId);
      return { ...extendField(fields, "newname", shardId), relation };
    }
    case "OBJECT_TABCONSTRAINT":
    case "OBJECT_TRIGGER":
      return extendField(extendField(fields, "subname", shardId), "newname", shardId);
    default:
      return fields;
  }
}

/** DROP TABLE / DROP INDEX: the last part of each dotted name. */
function extendDrop(fields: TreeRecord, shardId: ShardId): TreeRecord {
  const kind = fields["removeType"];
  if (kind !== "OBJECT_TABLE" && kind !== "OBJECT_INDEX" && kind !== "OBJECT_FOREIGN_TABLE") {
    return fields;
  }
  return mapList(fields, "objects", (type, list) => {
    assert(type === "List", "a dropped relation is a dotted name");
    const items = list["items"];
    assert(Array.isArray(items) && items.length > 0, "a dropped object has a name");
    const last = items.length - 1;
    return {
      ...list,
      items: items.map((item, index) => index !== last ? item
        : mapNode(item, "String", (name) => extendField(name, "sval", shardId))),
    };
  });
}

/** Returns `fields` with the string at `key` extended, or unchanged when it is absent. */
function extendField(fields: TreeRecord, key: string, shardId: ShardId): TreeRecord {
  const name = fields[key];
  if (name === undefined) return fields;
  assert(typeof name === "string", `${key} is a name`);
  return { ...fields, [key]: shardObjectName(name, shardId) };
}

/** Maps each wrapped node of the list at `key`; absent lists stay absent. */
function mapList(
  fields: TreeRecord, key: string, map: (type: string, fields: TreeRecord) => TreeRecord,
): TreeRecord {
  const list = fields[key];
  if (list === undefined) return fields;
  assert(Array.isArray(list), "a node list is an array");
  const mapped = list.map((item) => {
    const [type] = Object.keys(record(item));
    assert(type !== undefined, "a node is wrapped by its type");
    return { [type]: map(type, record(record(item)[type])) };
  });
  return { ...fields, [key]: mapped };
}

function mapNode(node: unknown, type: string, map: (fields: TreeRecord) => TreeRecord): unknown {
  if (!isRecord(node) || !isRecord(node[type])) return node;
  return { [type]: map(node[type]) };
}

function record(value: unknown): TreeRecord {
  assert(isRecord(value), "expected a node");
  return value;
}
