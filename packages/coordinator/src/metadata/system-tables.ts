/**
 * The Citus catalogs as relations of the coordinator's engine, so any SQL can read them:
 * pg_dist_node, with rows from the node registry. The relation OIDs are fixed (Citus's
 * differ per installation; nothing should depend on them).
 */
import { addSystemRelation, type Engine } from "@tessera/engine";
import { TypeOid, type Row } from "@tessera/sql";
import type { NodeRegistry } from "./node-registry.js";

export const pgDistNodeOid = 15_001;

export function addCitusCatalogs(engine: Engine, registry: NodeRegistry): void {
  addSystemRelation(engine.catalog, {
    oid: pgDistNodeOid, schema: "pg_catalog", name: "pg_dist_node",
    columns: [["nodeid", TypeOid.int4], ["groupid", TypeOid.int4], ["nodename", TypeOid.text],
      ["nodeport", TypeOid.int4], ["noderack", TypeOid.text], ["hasmetadata", TypeOid.bool],
      ["isactive", TypeOid.bool], ["noderole", TypeOid.text], ["nodecluster", TypeOid.name],
      ["metadatasynced", TypeOid.bool], ["shouldhaveshards", TypeOid.bool],
      ["nodeisclone", TypeOid.bool], ["nodeprimarynodeid", TypeOid.int4]],
    rows: () => registry.list().map((n): Row => [n.nodeid, n.groupid, n.nodename, n.nodeport,
      n.noderack, n.hasmetadata, n.isactive, n.noderole, n.nodecluster, n.metadatasynced,
      n.shouldhaveshards, n.nodeisclone, n.nodeprimarynodeid]),
  });
}
