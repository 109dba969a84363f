/**
 * CREATE / ALTER / DROP EXTENSION. Every Tessera node has the two extensions a Citus node has
 * (`plpgsql`, and `citus` itself), listed in pg_extension; there are no others to install, so
 * setup scripts written for Citus (`CREATE EXTENSION IF NOT EXISTS citus;`) run unchanged and
 * any other extension is "not available" with PostgreSQL 15's error (0A000), whose DETAIL
 * says what Tessera has instead of naming a control file.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";

/** The installed extensions: name, version (pg_extension.extversion) and oid. */
export const installedExtensions: readonly (readonly [string, string, number])[] = [
  ["plpgsql", "1.0", 13500],
  ["citus", "15.0-1", 13501],
];

function versionOf(name: string): string | undefined {
  return installedExtensions.find(([extension]) => extension === name)?.[1];
}

type Notice = (message: string) => void;

/** CREATE EXTENSION: 42710 (or a NOTICE with IF NOT EXISTS) for an installed one. */
export function createExtension(stmt: ast.CreateExtensionStmt, notice: Notice): string {
  const name = stmt.extname ?? "";
  if (versionOf(name) === undefined) {
    throw new SqlError(SqlState.featureNotSupported, `extension "${name}" is not available`, {
      detail: `Tessera provides the extensions ${installedExtensions.map(([n]) => `"${n}"`)
        .join(" and ")} only.`,
      hint: "The extension must first be installed on the system where PostgreSQL is running.",
    });
  }
  if (stmt.if_not_exists === true) {
    notice(`extension "${name}" already exists, skipping`);
    return "CREATE EXTENSION";
  }
  throw new SqlError(SqlState.duplicateObject, `extension "${name}" already exists`);
}

/** ALTER EXTENSION … UPDATE [TO v]: each installed extension has one version. */
export function alterExtension(stmt: ast.AlterExtensionStmt, notice: Notice): string {
  const name = stmt.extname ?? "";
  const installed = versionOf(name);
  if (installed === undefined) {
    throw new SqlError(SqlState.undefinedObject, `extension "${name}" does not exist`);
  }
  const target = (stmt.options ?? []).map((o) => ("DefElem" in o ? o.DefElem : undefined))
    .find((d) => d?.defname === "new_version");
  const arg = target?.arg;
  const wanted = arg !== undefined && "String" in arg ? arg.String.sval ?? installed : installed;
  if (wanted !== installed) {
    throw new SqlError(SqlState.invalidParameterValue, `extension "${name}" has no update ` +
      `path from version "${installed}" to version "${wanted}"`);
  }
  notice(`version "${installed}" of extension "${name}" is already installed`);
  return "ALTER EXTENSION";
}

/** DROP EXTENSION: missing ones as PostgreSQL; the installed ones cannot be removed. */
export function dropExtensions(stmt: ast.DropStmt, notice: Notice): string {
  const names = (stmt.objects ?? []).map((o) => ("String" in o ? o.String.sval ?? "" : ""));
  for (const name of names) {
    if (versionOf(name) !== undefined) {
      throw new SqlError(SqlState.featureNotSupported,
        `dropping extension "${name}" is not supported by Tessera: it is part of every node`);
    }
    if (stmt.missing_ok !== true) {
      throw new SqlError(SqlState.undefinedObject, `extension "${name}" does not exist`);
    }
  }
  for (const name of names) notice(`extension "${name}" does not exist, skipping`);
  return "DROP EXTENSION";
}
