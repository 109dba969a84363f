/**
 * Text I/O of the OID alias types against the catalog: `'events'::regclass` finds the
 * relation along the search path, `1259::regclass::text` prints `pg_class`, qualified only
 * when the path would not find it. `@tessera/sql` calls the resolvers installed here; they
 * have no session, so they use the search_path of the statement being analyzed (the default
 * one while a result is printed).
 */
import { compositeTypesOf } from "../composite-types.js";
import { SqlError, SqlState } from "@tessera/base";
import { formatType, parseTypeName, setRegResolver } from "@tessera/sql";
import { findRowType, rowTypeRelation } from "../row-types.js";
import { installRegprocedure } from "./regprocedure.js";
import { installRegoper, operatorProcName } from "./pg-operator.js";
import { pseudoTypeName, pseudoTypeOid } from "./pseudo-types.js";
import { sqlFunctionByOid, sqlFunctionsNamed } from "../sql-functions.js";
import type { Catalog } from "../catalog.js";
import { currentAnalysisSettings } from "../type-io.js";
import { arrayIo, indexByOid, namespaceName, namespaceOid } from "./oids.js";
import { procByOid, procOidByName } from "./pg-proc.js";
import { roleName, rolesOf } from "./pg-roles.js";
import { quoteIdent } from "../../plan/explain-deparse.js";
import { splitQualifiedName } from "../qualified-name.js";

/** The name and schema of a pg_class entry (relation, index or sequence). */
export function classEntry(catalog: Catalog, oid: number):
  { name: string; schema: string } | undefined {
  const rel = catalog.relation(oid) ?? catalog.sequence(oid);
  if (rel !== undefined) return { name: rel.name, schema: rel.schema };
  const found = indexByOid(catalog, oid);
  const composite = [...compositeTypesOf(catalog).values()].find((t) => t.relOid === oid);
  if (composite !== undefined) return { name: composite.name, schema: composite.schema };
  return found === undefined ? undefined
    : { name: found.index.name, schema: found.relation.schema };
}

/**
 * The access methods' handler functions (pg_am.amhandler, shown as regproc by psql's \dA)
 * and the array types' I/O functions (pg_type.typinput and friends: JDBC tests
 * `typinput = 'pg_catalog.array_in'::regproc`), with PostgreSQL 15's OIDs. They take
 * `internal` or `cstring` and cannot be called from SQL.
 */
const handlerNames: ReadonlyMap<number, string> = new Map([[3, "heap_tableam_handler"],
  [330, "bthandler"], [331, "hashhandler"], [332, "gisthandler"], [333, "ginhandler"],
  [334, "spghandler"], [335, "brinhandler"], [arrayIo.input, "array_in"],
  [arrayIo.output, "array_out"], [arrayIo.receive, "array_recv"],
  [arrayIo.send, "array_send"]]);
const handlerOids: ReadonlyMap<string, number> =
  new Map([...handlerNames].map(([oid, name]) => [name, oid]));

/** Installs the regclass, regproc, regnamespace and regrole resolvers for `catalog`. */
export function installRegResolvers(catalog: Catalog): void {
  const path = (): string[] => {
    // A statement context also carries the session's user and pid: its temporary schema.
    const settings: { setting(name: string): string; user?: unknown; backendPid?: unknown } =
      currentAnalysisSettings();
    const user = typeof settings.user === "string" ? settings.user : "postgres";
    const pid = typeof settings.backendPid === "number" ? settings.backendPid : 0;
    return catalog.searchPath(settings.setting("search_path"), user, pid);
  };
  setRegResolver("regclass", {
    toName: (oid) => {
      const entry = classEntry(catalog, oid);
      if (entry === undefined) return undefined;
      const found = catalog.lookupName(path(), undefined, entry.name);
      return found?.oid === oid ? quoteIdent(entry.name)
        : `${quoteIdent(entry.schema)}.${quoteIdent(entry.name)}`;
    },
    toOid: (text) => {
      const parts = splitQualifiedName(text);
      const name = parts[parts.length - 1] ?? "";
      const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
      const found = catalog.lookupName(path(), schema, name);
      if (found === undefined) {
        throw new SqlError(SqlState.undefinedTable, `relation "${text}" does not exist`);
      }
      return found.oid;
    },
  });
  const proc = {
    toName: (oid: number) => (sqlFunctionByOid(catalog, oid) ?? procByOid(oid))?.name ??
      handlerNames.get(oid) ?? operatorProcName(oid),
    toOid: (text: string) => {
      const parts = splitQualifiedName(text.replace(/\(.*$/, ""));
      const name = parts.pop() ?? "";
      const oid = sqlFunctionsNamed(catalog, path(), parts.pop(), name)[0]?.oid ??
        procOidByName(name) ?? handlerOids.get(name);
      if (oid === undefined) {
        throw new SqlError(SqlState.undefinedFunction, `function "${text}" does not exist`);
      }
      return oid;
    },
  };
  setRegResolver("regproc", proc);
  installRegprocedure(catalog, path, splitQualifiedName);
  installRegoper(catalog);
  // Built-in names as the registry's fallback reads them, then enums and row types.
  setRegResolver("regtype", {
    toName: (oid) => {
      const rel = rowTypeRelation(catalog, oid);
      if (rel !== undefined) {
        const visible = catalog.lookupName(path(), undefined, rel.name)?.oid === rel.oid;
        const name = quoteIdent(rel.name);
        return visible ? name : `${quoteIdent(rel.schema)}.${name}`;
      }
      const name = pseudoTypeName(oid) ?? formatType(oid);
      // regtypeout prints the number of an OID no type has.
      return name === "???" ? String(oid) : name;
    },
    toOid: (name) => {
      const builtin = parseTypeName(name);
      if (builtin !== undefined) return builtin.type.oid;
      const parts = splitQualifiedName(name);
      const pseudo = pseudoTypeOid(parts);
      if (pseudo !== undefined) return pseudo;
      const found = findRowType(catalog, path(), parts.length > 1 ? parts[0] : undefined,
        parts[parts.length - 1] ?? "");
      if (found !== undefined) return found;
      throw new SqlError(SqlState.undefinedObject, `type "${name}" does not exist`);
    },
  });
  setRegResolver("regnamespace", {
    toName: (oid) => namespaceName(catalog, oid),
    toOid: (text) => {
      const oid = namespaceOid(catalog, splitQualifiedName(text)[0] ?? "");
      if (oid === 0) {
        throw new SqlError(SqlState.invalidSchemaName, `schema "${text}" does not exist`);
      }
      return oid;
    },
  });
  setRegResolver("regrole", {
    toName: (oid) => roleName(catalog, oid),
    toOid: (text) => {
      const role = rolesOf(catalog).find(([, name]) => name === text);
      if (role === undefined) {
        throw new SqlError(SqlState.undefinedObject, `role "${text}" does not exist`);
      }
      return role[0];
    },
  });
}

