/**
 * Temporary tables (CREATE TEMP TABLE): each session that makes one gets its own schema,
 * pg_temp_N, searched before every other schema and invisible to other sessions because it is
 * on no other session's path. The session's end drops the schema with everything in it.
 * Sessions are told apart by backend pid; N counts up like Postgres's backend ids.
 */
import { assert } from "@tessera/base";
import type { Catalog } from "./catalog.js";
import { forgetObject } from "./privileges.js";

let nextTempId = 3;

/** Returns the session's temporary schema, creating it on first use. */
export function tempSchemaFor(catalog: Catalog, backendPid: number): string {
  const existing = catalog.tempSchemas.get(backendPid);
  if (existing !== undefined) return existing;
  let name = `pg_temp_${nextTempId++}`;
  while (catalog.schemaExists(name)) name = `pg_temp_${nextTempId++}`;
  catalog.createSchema(name);
  catalog.tempSchemas.set(backendPid, name);
  return name;
}

/** Drops a session's temporary schema with its tables and sequences. */
export function dropTempSchema(catalog: Catalog, backendPid: number): void {
  const schema = catalog.tempSchemas.get(backendPid);
  if (schema === undefined) return;
  for (const rel of [...catalog.allRelations()]) {
    if (rel.schema !== schema) continue;
    catalog.removeRelation(rel);
    forgetObject(catalog, "table", rel.oid);
  }
  for (const seq of [...catalog.allSequences()]) {
    if (seq.schema !== schema) continue;
    catalog.removeSequence(seq);
    forgetObject(catalog, "sequence", seq.oid);
  }
  catalog.tempSchemas.delete(backendPid);
  catalog.dropSchema(schema);
  assert(!catalog.schemaExists(schema), "a dropped schema is gone");
}
