/**
 * Editing one ACL (aclupdate): adding privileges a grantor gives a grantee, and taking them
 * back with the grant options the grantee passed on (CASCADE) — for object, column and
 * default ACLs alike.
 */
import { SqlError, SqlState } from "@tessera/base";
import { inOrder, type AclItem } from "../catalog/privileges.js";

/** Gives `grantee` the privileges `letters` from `grantor`, with grant option if asked. */
export function addPrivileges(acl: AclItem[], grantee: number, grantor: number,
  letters: string, withOption: boolean): void {
  if (letters === "") return;
  const item = acl.find((i) => i.grantee === grantee && i.grantor === grantor);
  const options = withOption ? letters : "";
  if (item === undefined) {
    acl.push({ grantee, grantor, privs: letters, options });
    return;
  }
  item.privs = inOrder(item.privs + letters);
  item.options = inOrder(item.options + options);
}

/**
 * Takes `letters` (or only their grant options) from what `grantor` gave `grantee`. Grant
 * options the grantee passed on go too with CASCADE, or make it fail without.
 */
export function revokePrivileges(acl: AclItem[], grantee: number, grantor: number,
  letters: string, optionsOnly: boolean, cascade: boolean): void {
  const item = acl.find((i) => i.grantee === grantee && i.grantor === grantor);
  if (item === undefined || letters === "") return;
  const lostOptions = [...letters].filter((l) => item.options.includes(l)).join("");
  item.options = without(item.options, letters);
  if (!optionsOnly) item.privs = without(item.privs, letters);
  if (lostOptions === "" || grantee === 0) return;
  const dependents = acl.filter((i) => i.grantor === grantee &&
    [...lostOptions].some((l) => i.privs.includes(l)));
  if (dependents.length === 0) return;
  if (!cascade) {
    throw new SqlError(SqlState.dependentObjectsStillExist, "dependent privileges exist",
      { hint: "Use CASCADE to revoke them too." });
  }
  for (const dependent of dependents) {
    revokePrivileges(acl, dependent.grantee, grantee, lostOptions, false, true);
  }
}

function without(letters: string, removed: string): string {
  return [...letters].filter((l) => !removed.includes(l)).join("");
}
