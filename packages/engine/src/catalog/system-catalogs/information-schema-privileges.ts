/**
 * information_schema's privilege views, from the ACLs `../privileges.ts` and
 * `../column-privileges.ts` keep: table_privileges and role_table_grants (one row per
 * grantor, grantee, table and privilege, the owner's implicit grants included, as aclexplode
 * shows them), column_privileges (table grants of INSERT, SELECT, UPDATE and REFERENCES
 * apply to every column, plus column grants), usage_privileges (USAGE on the collations to
 * PUBLIC and on sequences), enabled_roles (every role: the views are read as a superuser,
 * for whom pg_has_role is always true) and applicable_roles (role memberships).
 *
 * A privilege is grantable when granted WITH GRANT OPTION or held by the object's owner.
 * PostgreSQL also lists its own catalogs in pg_catalog and information_schema in these
 * views; Tessera's are computed relations without ACLs, so only the database's own tables,
 * views, sequences and collations appear. Domains' USAGE rows are not listed.
 */
import type { Row } from "@tessera/sql";
import type { StatementContext } from "../../api.js";
import type { Catalog } from "../catalog.js";
import { columnAcl } from "../column-privileges.js";
import { effectiveAcl, ownerOf, type AclItem } from "../privileges.js";
import type { Relation } from "../relation.js";
import { allMemberships, allRoles, roleByOid } from "../roles.js";
import { userRelations } from "./information-schema.js";
import { fixedView } from "./view-columns.js";

const schema = "information_schema";

const privilegeNames: Readonly<Record<string, string>> = {
  a: "INSERT", r: "SELECT", w: "UPDATE", d: "DELETE", D: "TRUNCATE", x: "REFERENCES",
  t: "TRIGGER", U: "USAGE",
};

const roleText = (catalog: Catalog, oid: number): string =>
  oid === 0 ? "PUBLIC" : roleByOid(catalog, oid)?.name ?? String(oid);

interface Grant {
  readonly grantor: string;
  readonly grantee: string;
  readonly letter: string;
  readonly grantable: boolean;
}

/** Each privilege of `acl` as a grant; the owner's are grantable. */
function grantsOf(catalog: Catalog, acl: readonly AclItem[], owner: number): Grant[] {
  return acl.flatMap((item) => [...item.privs].map((letter): Grant => ({
    grantor: roleText(catalog, item.grantor), grantee: roleText(catalog, item.grantee),
    letter, grantable: item.options.includes(letter) || item.grantee === owner })));
}

const tableKinds = new Set(["r", "v", "m", "p", "f"]);

function tables(catalog: Catalog): Relation[] {
  return userRelations(catalog).filter((r) => tableKinds.has(r.kind));
}

function tablePrivilegeRows(catalog: Catalog, ctx: StatementContext): Row[] {
  return tables(catalog).flatMap((r) => {
    const owner = ownerOf(catalog, "table", r.oid);
    return grantsOf(catalog, effectiveAcl(catalog, "table", r.oid), owner).map((g): Row =>
      [g.grantor, g.grantee, ctx.database, r.schema, r.name, privilegeNames[g.letter] ?? "",
        g.grantable ? "YES" : "NO", g.letter === "r" ? "YES" : "NO"]);
  });
}

function columnPrivilegeRows(catalog: Catalog, ctx: StatementContext): Row[] {
  const rows = new Map<string, Row>();
  for (const r of tables(catalog)) {
    const owner = ownerOf(catalog, "table", r.oid);
    const tableGrants = grantsOf(catalog, effectiveAcl(catalog, "table", r.oid), owner)
      .filter((g) => "arwx".includes(g.letter));
    r.columns.forEach((c, i) => {
      if (c.dropped) return;
      const own = grantsOf(catalog, columnAcl(catalog, r.oid, i + 1) ?? [], owner);
      for (const g of [...tableGrants, ...own]) {
        const key = [g.grantor, g.grantee, r.oid, c.name, g.letter].join("\0");
        const prior = rows.get(key);
        if (prior !== undefined && prior[7] === "YES") continue;
        rows.set(key, [g.grantor, g.grantee, ctx.database, r.schema, r.name, c.name,
          privilegeNames[g.letter] ?? "", g.grantable ? "YES" : "NO"]);
      }
    });
  }
  return [...rows.values()];
}

function usagePrivilegeRows(catalog: Catalog, ctx: StatementContext): Row[] {
  const superuser = roleText(catalog, 10);
  const collations = ["default", "C", "POSIX"].map((name): Row => [superuser, "PUBLIC",
    ctx.database, "pg_catalog", name, "COLLATION", "USAGE", "NO"]);
  const sequences = userRelations(catalog).filter((r) => r.kind === "S").flatMap((r) => {
    const owner = ownerOf(catalog, "sequence", r.oid);
    return grantsOf(catalog, effectiveAcl(catalog, "sequence", r.oid), owner)
      .filter((g) => g.letter === "U").map((g): Row => [g.grantor, g.grantee, ctx.database,
        r.schema, r.name, "SEQUENCE", "USAGE", g.grantable ? "YES" : "NO"]);
  });
  return [...collations, ...sequences];
}

const grantColumns = `grantor:n grantee:n table_catalog:n table_schema:n table_name:n
  privilege_type:s is_grantable:y with_hierarchy:y`;

/** table_privileges, role_table_grants, column_privileges, usage_privileges, roles. */
export function privilegeViews(catalog: Catalog): ReturnType<typeof fixedView>[] {
  return [
    fixedView(13416, schema, "table_privileges", grantColumns,
      (ctx) => tablePrivilegeRows(catalog, ctx)),
    fixedView(13421, schema, "role_table_grants", grantColumns,
      (ctx) => tablePrivilegeRows(catalog, ctx)),
    fixedView(13285, schema, "column_privileges", `grantor:n grantee:n table_catalog:n
      table_schema:n table_name:n column_name:n privilege_type:s is_grantable:y`,
    (ctx) => columnPrivilegeRows(catalog, ctx)),
    fixedView(13454, schema, "usage_privileges", `grantor:n grantee:n object_catalog:n
      object_schema:n object_name:n object_type:s privilege_type:s is_grantable:y`,
    (ctx) => usagePrivilegeRows(catalog, ctx)),
    fixedView(13325, schema, "enabled_roles", "role_name:n",
      () => allRoles(catalog).map((r): Row => [r.name])),
    fixedView(13236, schema, "applicable_roles", "grantee:n role_name:n is_grantable:y",
      () => allMemberships(catalog).map((m): Row => [roleText(catalog, m.member),
        roleText(catalog, m.roleid), m.admin ? "YES" : "NO"])),
  ];
}
