/**
 * CREATE / ALTER / DROP EXTENSION. Every Tessera node has the two extensions a Citus node has
 * (`plpgsql`, and `citus` itself), listed in pg_extension, so setup scripts written for Citus
 * (`CREATE EXTENSION IF NOT EXISTS citus;`) run unchanged. `uuid-ossp` and `pgcrypto` can be
 * created and dropped: their functions (`sql/functions/extension-functions.ts`) are built in,
 * so creating one records it in pg_extension (undone with its transaction, replayed from the
 * WAL like other DDL) and the application's migration runs as written. Any other extension is
 * "not available" (0A000), its DETAIL saying what Tessera has instead of naming a control file.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Catalog } from "../catalog/catalog.js";

type Extension = readonly [name: string, version: string, oid: number];

/** The extensions every node has: name, version (pg_extension.extversion) and oid. */
export const installedExtensions: readonly Extension[] = [
  ["plpgsql", "1.0", 13500],
  ["citus", "15.0-1", 13501],
];

/** The extensions CREATE EXTENSION can add. */
const availableExtensions: readonly Extension[] = [
  ["uuid-ossp", "1.1", 13502],
  ["pgcrypto", "1.3", 13503],
  // Its gist operator classes serve exclusion constraints (`catalog/exclusion.ts`).
  ["btree_gist", "1.7", 13504],
];

const created = new WeakMap<Catalog, Set<string>>();

function createdIn(catalog: Catalog): Set<string> {
  let names = created.get(catalog);
  if (names === undefined) {
    names = new Set();
    created.set(catalog, names);
  }
  return names;
}

/** The extensions of `catalog`, as pg_extension lists them. */
export function extensionsOf(catalog: Catalog): readonly Extension[] {
  const names = createdIn(catalog);
  return [...installedExtensions, ...availableExtensions.filter(([n]) => names.has(n))];
}

function versionOf(catalog: Catalog, name: string): string | undefined {
  return extensionsOf(catalog).find(([extension]) => extension === name)?.[1];
}

type Notice = (message: string) => void;
type Undo = (undo: () => void) => void;

/** CREATE EXTENSION: 42710 (or a NOTICE with IF NOT EXISTS) for an installed one. */
export function createExtension(stmt: ast.CreateExtensionStmt, notice: Notice,
  catalog: Catalog, undo: Undo): string {
  const name = stmt.extname ?? "";
  if (versionOf(catalog, name) !== undefined) {
    if (stmt.if_not_exists === true) {
      notice(`extension "${name}" already exists, skipping`);
      return "CREATE EXTENSION";
    }
    throw new SqlError(SqlState.duplicateObject, `extension "${name}" already exists`);
  }
  if (!availableExtensions.some(([n]) => n === name)) {
    const all = [...installedExtensions, ...availableExtensions].map(([n]) => `"${n}"`);
    throw new SqlError(SqlState.featureNotSupported, `extension "${name}" is not available`, {
      detail: `Tessera provides the extensions ${all.slice(0, -1).join(", ")} and ` +
        `${all.at(-1)!} only.`,
      hint: "The extension must first be installed on the system where PostgreSQL is running.",
    });
  }
  createdIn(catalog).add(name);
  undo(() => createdIn(catalog).delete(name));
  return "CREATE EXTENSION";
}

/** ALTER EXTENSION … UPDATE [TO v]: each installed extension has one version. */
export function alterExtension(stmt: ast.AlterExtensionStmt, notice: Notice,
  catalog: Catalog): string {
  const name = stmt.extname ?? "";
  const installed = versionOf(catalog, name);
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

/** DROP EXTENSION: missing ones as PostgreSQL; plpgsql and citus cannot be removed. */
export function dropExtensions(stmt: ast.DropStmt, notice: Notice, catalog: Catalog,
  undo: Undo): string {
  const names = (stmt.objects ?? []).map((o) => ("String" in o ? o.String.sval ?? "" : ""));
  const mine = createdIn(catalog);
  for (const name of names) {
    if (installedExtensions.some(([n]) => n === name)) {
      throw new SqlError(SqlState.featureNotSupported,
        `dropping extension "${name}" is not supported by Tessera: it is part of every node`);
    }
    if (!mine.has(name) && stmt.missing_ok !== true) {
      throw new SqlError(SqlState.undefinedObject, `extension "${name}" does not exist`);
    }
  }
  for (const name of names) {
    if (!mine.has(name)) {
      notice(`extension "${name}" does not exist, skipping`);
      continue;
    }
    dropDependentDefaults(catalog, name, stmt.behavior === "DROP_CASCADE", notice, undo);
    mine.delete(name);
    undo(() => mine.add(name));
  }
  return "DROP EXTENSION";
}

/** The functions an extension brings, which column defaults may call. */
const extensionFunctionNames: Readonly<Record<string, readonly string[]>> = {
  "uuid-ossp": ["uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v3",
    "uuid_generate_v4", "uuid_generate_v5", "uuid_nil", "uuid_ns_dns", "uuid_ns_url",
    "uuid_ns_oid", "uuid_ns_x500"],
  pgcrypto: ["digest", "hmac", "gen_random_bytes", "crypt", "gen_salt"],
};

/**
 * Column defaults that call the extension's functions depend on it: DROP EXTENSION fails
 * (2BP01) naming the first, or with CASCADE drops them, as PostgreSQL's dependencies do.
 */
function dropDependentDefaults(catalog: Catalog, extension: string, cascade: boolean,
  notice: Notice, undo: Undo): void {
  const functions = extensionFunctionNames[extension] ?? [];
  for (const rel of catalog.allRelations()) {
    for (const column of rel.columns) {
      if (column.dropped || column.defaultExpr === null) continue;
      const text = JSON.stringify(column.defaultExpr);
      const called = functions.find((f) => text.includes(`"sval":"${f}"`));
      if (called === undefined) continue;
      const what = `default value for column ${column.name} of table ${rel.name}`;
      if (!cascade) {
        throw new SqlError(SqlState.dependentObjectsStillExist,
          `cannot drop extension ${extension} because other objects depend on it`,
          { detail: `${what} depends on function ${called}()`,
            hint: "Use DROP ... CASCADE to drop the dependent objects too." });
      }
      notice(`drop cascades to ${what}`);
      const before = column.defaultExpr;
      column.defaultExpr = null;
      undo(() => {
        column.defaultExpr = before;
      });
    }
  }
}
