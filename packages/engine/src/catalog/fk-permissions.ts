/**
 * The REFERENCES check a new foreign key makes on the table it references, as Postgres's
 * checkFkeyPermissions: the current role needs REFERENCES on the whole table, or on every
 * referenced column (GRANT REFERENCES (a) ON t …); else 42501 naming the referenced table.
 * The owner holds REFERENCES by default; superusers, the cluster's internal user (no role)
 * and recovery's replay pass.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { StatementContext } from "../api.js";
import type { Catalog } from "./catalog.js";
import type { Relation } from "./relation.js";
import { findRole } from "./roles.js";
import { holds, Priv } from "./privileges.js";
import { heldColumnPrivileges } from "./column-privileges.js";

/** Throws 42501 unless the current role may reference `ref`'s columns at `positions`. */
export function checkForeignKeyReferences(catalog: Catalog, ref: Relation,
  positions: readonly number[], ctx: StatementContext | undefined): void {
  if (ctx === undefined || ctx.backendPid === 0) return;
  const role = findRole(catalog, ctx.user);
  if (role === undefined || role.superuser) return;
  if (holds(catalog, "table", ref.oid, role.oid, Priv.references)) return;
  const onColumn = (p: number): boolean =>
    heldColumnPrivileges(catalog, ref.oid, p + 1, role.oid).includes(Priv.references);
  if (!positions.every(onColumn)) {
    throw new SqlError(SqlState.insufficientPrivilege, `permission denied for table ${ref.name}`);
  }
}
