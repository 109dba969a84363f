/**
 * GRANT and REVOKE of column privileges, as Postgres 15's ExecGrant_Attribute: `GRANT SELECT
 * (a, b), UPDATE (c) ON t TO r` changes the ACL of each named column (`catalog/column-
 * privileges.ts`), with the same grantor rules as the table's own GRANT (`grant.ts`). Only
 * INSERT, SELECT, UPDATE and REFERENCES apply to columns ("invalid privilege type DELETE for
 * column"), only on tables and views. REVOKE … ON TABLE also takes the privileges from every
 * column of the table.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { StatementContext } from "../api.js";
import type { Catalog } from "../catalog/catalog.js";
import { hasPrivilegesOf } from "../catalog/roles.js";
import { heldPrivileges, inOrder, ownerOf, Priv } from "../catalog/privileges.js";
import {
  columnAcl, columnPrivileges, columnsWithAcls, heldColumnPrivileges, setColumnAcl,
} from "../catalog/column-privileges.js";
import { actingRole } from "./role-ddl.js";
import { addPrivileges, revokePrivileges } from "./acl-edit.js";

/** One column privilege of a GRANT: its letters and the columns it names. */
export interface ColumnRequest {
  readonly letters: string;
  readonly columns: readonly string[];
}

const columnPrivilegeNames: Readonly<Record<string, string>> = {
  insert: Priv.insert, select: Priv.select, update: Priv.update, references: Priv.references,
};

/** The column privileges of a GRANT's privilege list (`SELECT (a, b)`, `ALL (c)`). */
export function requestedColumns(privileges: readonly ast.Node[]): ColumnRequest[] {
  const requests: ColumnRequest[] = [];
  for (const node of privileges) {
    const priv = "AccessPriv" in node ? node.AccessPriv : undefined;
    const cols = priv?.cols ?? [];
    if (cols.length === 0) continue;
    const name = priv?.priv_name;
    const letters = name === undefined ? columnPrivileges : columnPrivilegeNames[name];
    if (letters === undefined) {
      throw new SqlError(SqlState.invalidGrantOperation,
        `invalid privilege type ${name!.toUpperCase()} for column`);
    }
    requests.push({ letters,
      columns: cols.map((c) => ("String" in c ? c.String.sval ?? "" : "")) });
  }
  return requests;
}

interface Target {
  readonly kind: string;
  readonly oid: number;
  readonly name: string;
}

/** The column's number in the relation, or 42703 as Postgres words it for GRANT. */
function attnumOf(catalog: Catalog, target: Target, column: string): number {
  const rel = catalog.relation(target.oid);
  const index = rel?.columns.findIndex((c) => c.name === column && !c.dropped) ?? -1;
  if (index < 0) {
    throw new SqlError(SqlState.undefinedColumn,
      `column "${column}" of relation "${target.name}" does not exist`);
  }
  return index + 1;
}

/** Applies the column privileges of a GRANT or REVOKE to one table or view. */
export function changeColumnAcls(catalog: Catalog, target: Target,
  requests: readonly ColumnRequest[], grantees: readonly number[], stmt: ast.GrantStmt,
  ctx: StatementContext): void {
  if (target.kind !== "table") {
    throw new SqlError(SqlState.wrongObjectType,
      `column privileges are only valid for relations`);
  }
  const owner = ownerOf(catalog, "table", target.oid);
  const me = actingRole(catalog, ctx);
  const asOwner = me.superuser || hasPrivilegesOf(catalog, me.oid, owner);
  const grantor = asOwner ? owner : me.oid;
  const options = asOwner ? columnPrivileges
    : heldPrivileges(catalog, "table", target.oid, me.oid).options;
  const grant = stmt.is_grant === true;
  for (const request of requests) {
    for (const column of request.columns) {
      const attnum = attnumOf(catalog, target, column);
      const held = heldColumnPrivileges(catalog, target.oid, attnum, me.oid);
      if (!asOwner && options === "" && held === "" &&
        heldPrivileges(catalog, "table", target.oid, me.oid).privs === "") {
        throw new SqlError(SqlState.insufficientPrivilege,
          `permission denied for table ${target.name}`);
      }
      const letters = inOrder([...request.letters].filter((l) => options.includes(l)).join(""));
      if (letters !== request.letters) {
        ctx.notice(new SqlError(SqlState.warning, `${letters === "" ? "no" : "not all"} ` +
          `privileges ${grant ? "were granted" : "could be revoked"} for column "${column}" ` +
          `of relation "${target.name}"`, { severity: "WARNING" }));
      }
      editColumn(catalog, target.oid, attnum, (acl) => {
        for (const grantee of grantees) {
          if (grant) addPrivileges(acl, grantee, grantor, letters, stmt.grant_option === true);
          else {
            revokePrivileges(acl, grantee, grantor, letters, stmt.grant_option === true,
              stmt.behavior === "DROP_CASCADE");
          }
        }
      });
    }
  }
}

/** REVOKE on a table: the same privileges go from each of its columns' ACLs too. */
export function revokeFromColumns(catalog: Catalog, target: Target, letters: string,
  grantees: readonly number[], stmt: ast.GrantStmt, ctx: StatementContext): void {
  const onColumns = [...letters].filter((l) => columnPrivileges.includes(l)).join("");
  if (onColumns === "") return;
  const owner = ownerOf(catalog, "table", target.oid);
  const me = actingRole(catalog, ctx);
  const grantor = me.superuser || hasPrivilegesOf(catalog, me.oid, owner) ? owner : me.oid;
  for (const attnum of columnsWithAcls(catalog, target.oid)) {
    editColumn(catalog, target.oid, attnum, (acl) => {
      for (const grantee of grantees) {
        revokePrivileges(acl, grantee, grantor, onColumns, stmt.grant_option === true,
          stmt.behavior === "DROP_CASCADE");
      }
    });
  }
}

function editColumn(catalog: Catalog, relOid: number, attnum: number,
  edit: (acl: { grantee: number; grantor: number; privs: string; options: string }[]) =>
    void): void {
  const acl = (columnAcl(catalog, relOid, attnum) ?? []).map((item) => ({ ...item }));
  edit(acl);
  setColumnAcl(catalog, relOid, attnum, acl);
}
