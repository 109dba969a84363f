/**
 * What depends on a role (Postgres's shared dependencies, pg_shdepend): the objects it owns
 * and the objects whose ACLs name it. DROP ROLE refuses while any remain, listing them as
 * Postgres's DETAIL does ("owner of table t", "privileges for table t").
 */
import type { Catalog } from "./catalog.js";
import { keptObjects } from "./privileges.js";
import { allSqlFunctions } from "./sql-functions.js";

/** The DETAIL lines naming what depends on role `oid`, by object OID as Postgres sorts them. */
export function roleDependents(catalog: Catalog, oid: number): string[] {
  const lines: { oid: number; text: string }[] = [];
  for (const kept of keptObjects(catalog)) {
    const name = describeObject(catalog, kept.kind, kept.oid);
    if (name === undefined) continue;
    if (kept.owner === oid) lines.push({ oid: kept.oid, text: `owner of ${name}` });
    else if (kept.acl?.some((item) => item.grantee === oid || item.grantor === oid) === true) {
      lines.push({ oid: kept.oid, text: `privileges for ${name}` });
    }
  }
  return lines.sort((a, b) => a.oid - b.oid).map((line) => line.text);
}

function describeObject(catalog: Catalog, kind: string, oid: number): string | undefined {
  const qualified = (schema: string, name: string): string =>
    schema === "public" ? name : `${schema}.${name}`;
  if (kind === "table") {
    const rel = catalog.relation(oid);
    if (rel !== undefined) {
      const word = rel.kind === "v" ? "view" : rel.kind === "m" ? "materialized view" : "table";
      return `${word} ${qualified(rel.schema, rel.name)}`;
    }
    const seq = catalog.sequence(oid);
    return seq === undefined ? undefined : `sequence ${qualified(seq.schema, seq.name)}`;
  }
  if (kind === "schema") {
    const schema = catalog.allSchemas().find(([, o]) => o === oid);
    return schema === undefined ? undefined : `schema ${schema[0]}`;
  }
  const fn = allSqlFunctions(catalog).find((f) => f.oid === oid);
  return fn === undefined ? undefined : `function ${qualified(fn.schema, fn.name)}`;
}
