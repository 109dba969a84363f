/**
 * What depends on a role (Postgres's shared dependencies, pg_shdepend): the objects it owns
 * and the objects whose ACLs name it, column ACLs and default privileges too. DROP ROLE
 * refuses while any remain, listing them as Postgres's DETAIL does ("owner of table t",
 * "privileges for table t", "privileges for column a of table t").
 */
import type { Catalog } from "./catalog.js";
import { keptObjects } from "./privileges.js";
import { allSqlFunctions } from "./sql-functions.js";
import { defaultAclEntries } from "./default-acls.js";
import { columnAclRoles } from "./column-privileges.js";
import { roleByOid } from "./roles.js";
import { allUserTypes } from "./type-owners.js";

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
  for (const entry of defaultAclEntries(catalog)) {
    const schema = catalog.allSchemas().find(([, o]) => o === entry.schema)?.[0];
    const what = `default privileges on new ${defaultAclWords[entry.type]} belonging to role ` +
      `${roleByOid(catalog, entry.role)?.name ?? entry.role}` +
      (schema === undefined ? "" : ` in schema ${schema}`);
    if (entry.role === oid) lines.push({ oid: entry.oid, text: `owner of ${what}` });
    else if (entry.acl.some((item) => item.grantee === oid || item.grantor === oid)) {
      lines.push({ oid: entry.oid, text: `privileges for ${what}` });
    }
  }
  for (const column of columnAclRoles(catalog)) {
    const rel = catalog.relation(column.relOid);
    const name = rel?.columns[column.attnum - 1]?.name;
    if (rel === undefined || name === undefined || !column.roles.includes(oid)) continue;
    const table = describeObject(catalog, "table", rel.oid) ?? rel.name;
    lines.push({ oid: rel.oid, text: `privileges for column ${name} of ${table}` });
  }
  return lines.sort((a, b) => a.oid - b.oid).map((line) => line.text);
}

const defaultAclWords = { r: "relations", S: "sequences", f: "functions", T: "types",
  n: "schemas" } as const;

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
  if (kind === "type") {
    const type = allUserTypes(catalog).find((t) => t.oid === oid);
    return type === undefined ? undefined : `type ${qualified(type.schema, type.name)}`;
  }
  const fn = allSqlFunctions(catalog).find((f) => f.oid === oid);
  return fn === undefined ? undefined : `function ${qualified(fn.schema, fn.name)}`;
}
