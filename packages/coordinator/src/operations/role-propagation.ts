/**
 * The roles a node gets when it joins the cluster, as Citus's node activation creates them:
 * every role made with CREATE ROLE on the coordinator (not the initdb and predefined roles,
 * nor the daemon's configured users, which every node has), with its attributes and stored
 * password secret, then the memberships among them and their comments. `VALID UNTIL` is not
 * carried over.
 */
import type { Engine } from "@tessera/engine";
import { allMemberships, allRoles } from "@tessera/engine";

type Catalog = Engine["catalog"];
import { quoteIdentifier } from "../metadata/naming.js";

/** OIDs below this are initdb's and the configured users' (`catalog/roles.ts`). */
const firstCreatedRoleOid = 16384;

/** The statements that recreate the coordinator's created roles on a new node. */
export function roleCreateStatements(catalog: Catalog): string[] {
  const roles = allRoles(catalog);
  const name = (oid: number): string =>
    quoteIdentifier(roles.find((r) => r.oid === oid)?.name ?? "");
  const created = roles.filter((r) => r.oid >= firstCreatedRoleOid);
  const flag = (on: boolean, word: string): string => (on ? word : `NO${word}`);
  const statements = created.map((r) =>
    `CREATE ROLE ${quoteIdentifier(r.name)} WITH ${flag(r.superuser, "SUPERUSER")} ` +
    `${flag(r.createDb, "CREATEDB")} ${flag(r.createRole, "CREATEROLE")} ` +
    `${flag(r.inherit, "INHERIT")} ${flag(r.canLogin, "LOGIN")} ` +
    `${flag(r.replication, "REPLICATION")} ${flag(r.bypassRls, "BYPASSRLS")} ` +
    `CONNECTION LIMIT ${r.connectionLimit}` +
    (r.password === null ? "" : ` PASSWORD '${r.password.replace(/'/g, "''")}'`));
  for (const m of allMemberships(catalog)) {
    if (m.roleid < firstCreatedRoleOid && m.member < firstCreatedRoleOid) continue;
    statements.push(`GRANT ${name(m.roleid)} TO ${name(m.member)}` +
      (m.admin ? " WITH ADMIN OPTION" : ""));
  }
  // COMMENT ON ROLE, which Citus keeps on every node.
  for (const comment of catalog.allComments()) {
    if (comment.classoid !== authidClass || comment.objoid < firstCreatedRoleOid) continue;
    if (!created.some((r) => r.oid === comment.objoid)) continue;
    statements.push(`COMMENT ON ROLE ${name(comment.objoid)} IS ` +
      `'${comment.description.replace(/'/g, "''")}'`);
  }
  return statements;
}

/** pg_authid's OID, the classoid of a role's comment (pg_shdescription). */
const authidClass = 1260;
