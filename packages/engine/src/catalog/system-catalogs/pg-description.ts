/**
 * pg_description and pg_shdescription (roles and databases) over the catalog's comments
 * (`ddl/comment.ts`), and the functions that read them: obj_description, col_description,
 * shobj_description. The installed extensions carry PostgreSQL's and Citus's own
 * descriptions, as `\dx` shows. A comment whose object was dropped is not shown (PostgreSQL
 * deletes it with the object).
 */
import type { Row, Value } from "@tessera/sql";
import type { Catalog, ObjectComment } from "../catalog.js";
import type { SystemRelationDef } from "../system-relations.js";
import { Oid } from "../types.js";
import type { ScalarDef } from "../builtins.js";
import { indexByOid } from "./oids.js";
import { constraintByOid } from "./pg-constraint.js";
import { extensionsOf } from "../../ddl/extensions.js";
import { plpgsqlLanguageOid } from "./pg-proc-sql.js";
import { textSearchDescriptions } from "./text-search-catalogs.js";
import { sqlFunctionByOid } from "../sql-functions.js";
import { allUserTypes } from "../type-owners.js";
import { roleByOid } from "../roles.js";
import { domainsOf } from "../domains.js";
import { triggersOf } from "../../plpgsql/trigger-store.js";

/** pg_description.classoid of each kind of object COMMENT ON takes. */
export const CommentClass = {
  relation: 1259, namespace: 2615, extension: 3079, constraint: 2606, database: 1262,
  routine: 1255, type: 1247, trigger: 2620, role: 1260,
} as const;

/** The classes whose comments are shared by the cluster (pg_shdescription). */
const sharedClasses = new Set<number>([CommentClass.database, CommentClass.role]);

/** pg_am's OID, the classoid of an access method's description. */
const accessMethodClass = 2601;
/** pg_language's OID, the classoid of a language's description. */
const languageClass = 2612;

/** The extensions' own descriptions (their control files' `comment`). */
const extensionDescriptions: readonly ObjectComment[] = [
  { classoid: CommentClass.extension, objoid: 13500, objsubid: 0,
    description: "PL/pgSQL procedural language" },
  { classoid: CommentClass.extension, objoid: 13501, objsubid: 0,
    description: "Citus distributed database" },
  // The extensions CREATE EXTENSION adds (`ddl/extensions.ts`), once created.
  ...([[13502, "generate universally unique identifiers (UUIDs)"],
    [13503, "cryptographic functions"],
    [13504, "support for indexing common datatypes in GiST"]] as const)
    .map(([objoid, description]): ObjectComment => ({ classoid: CommentClass.extension, objoid,
      objsubid: 0, description })),
  { classoid: languageClass, objoid: plpgsqlLanguageOid, objsubid: 0,
    description: "PL/pgSQL procedural language" },
  ...textSearchDescriptions,
  // initdb's comments on the three databases, as `\l+` shows them.
  ...([[1, "default template for new databases"], [4, "unmodifiable empty database"],
    [5, "default administrative connection database"]] as const)
    .map(([objoid, description]): ObjectComment => ({ classoid: CommentClass.database, objoid,
      objsubid: 0, description })),
  // initdb's comment on the public schema; pg_dump resets it when it was removed.
  { classoid: CommentClass.namespace, objoid: 2200, objsubid: 0,
    description: "standard public schema" },
  // The access methods' descriptions, as `\dA+` shows them.
  ...([[2, "heap table"], [403, "b-tree index"], [405, "hash index"], [783, "GiST index"],
    [2742, "GIN index"], [4000, "SP-GiST index"], [3580, "block range index (BRIN)"]] as const)
    .map(([objoid, what]): ObjectComment => ({ classoid: accessMethodClass, objoid, objsubid: 0,
      description: `${what} access method` })),
];

/** The comments of objects that still exist; an explicit one replaces a built-in one. */
function liveComments(catalog: Catalog): ObjectComment[] {
  const set = catalog.allComments();
  const key = (c: ObjectComment): string => `${c.classoid}/${c.objoid}/${c.objsubid}`;
  const explicit = new Set(set.map(key));
  return [...extensionDescriptions.filter((c) => !explicit.has(key(c))), ...set]
    .filter((c) => exists(catalog, c));
}

function exists(catalog: Catalog, c: ObjectComment): boolean {
  switch (c.classoid) {
    case CommentClass.relation: {
      const rel = catalog.relation(c.objoid);
      if (c.objsubid > 0) return rel?.columns[c.objsubid - 1]?.dropped === false;
      return rel !== undefined || catalog.sequence(c.objoid) !== undefined ||
        indexByOid(catalog, c.objoid) !== undefined;
    }
    case CommentClass.namespace: return catalog.allSchemas().some(([, oid]) => oid === c.objoid);
    case CommentClass.constraint: return constraintByOid(catalog, c.objoid) !== undefined ||
      [...domainsOf(catalog).values()].some((d) => d.constraints.some((k) => k.oid === c.objoid));
    case CommentClass.extension:
      return extensionsOf(catalog).some(([, , extOid]) => extOid === c.objoid);
    case CommentClass.routine: return sqlFunctionByOid(catalog, c.objoid) !== undefined;
    case CommentClass.type: return allUserTypes(catalog).some((t) => t.oid === c.objoid);
    case CommentClass.role: return roleByOid(catalog, c.objoid) !== undefined;
    case CommentClass.trigger: return [...catalog.allRelations()]
      .some((rel) => triggersOf(catalog, rel.oid).some((t) => t.oid === c.objoid));
    default: return true;
  }
}

export function descriptionCatalogs(catalog: Catalog): SystemRelationDef[] {
  return [
    { oid: 2609, schema: "pg_catalog", name: "pg_description",
      columns: [["objoid", Oid.oid], ["classoid", Oid.oid], ["objsubid", Oid.int4],
        ["description", Oid.text]],
      rows: () => liveComments(catalog).filter((c) => !sharedClasses.has(c.classoid))
        .map((c): Row => [c.objoid, c.classoid, c.objsubid, c.description]) },
    { oid: 2396, schema: "pg_catalog", name: "pg_shdescription",
      columns: [["objoid", Oid.oid], ["classoid", Oid.oid], ["description", Oid.text]],
      rows: () => liveComments(catalog).filter((c) => sharedClasses.has(c.classoid))
        .map((c): Row => [c.objoid, c.classoid, c.description]) },
  ];
}

/** The pg_catalog table a classoid names, as obj_description's second argument gives it. */
const classNames: Record<string, number> = {
  pg_class: CommentClass.relation, pg_namespace: CommentClass.namespace,
  pg_extension: CommentClass.extension, pg_constraint: CommentClass.constraint,
  pg_database: CommentClass.database, pg_proc: 1255, pg_type: 1247, pg_am: accessMethodClass,
  pg_language: languageClass, pg_trigger: CommentClass.trigger, pg_authid: CommentClass.role,
  pg_ts_dict: 3600, pg_ts_parser: 3601, pg_ts_config: 3602,
  pg_ts_template: 3764,
};

export function descriptionFunctions(catalog: Catalog): ScalarDef[] {
  const find = (objoid: Value, classoid: number | undefined, objsubid: number): Value =>
    liveComments(catalog).find((c) => c.objoid === objoid && c.objsubid === objsubid &&
      (classoid === undefined || c.classoid === classoid))?.description ?? null;
  const scalar = (name: string, argTypes: number[],
    impl: (args: Value[]) => Value): ScalarDef =>
    ({ kind: "scalar", name, argTypes, returnType: Oid.text, volatility: "s", strict: true,
      impl });
  return [
    scalar("obj_description", [Oid.oid, Oid.name],
      ([oid, table]) => find(oid!, classNames[table as string] ?? -1, 0)),
    scalar("obj_description", [Oid.oid], ([oid]) => find(oid!, undefined, 0)),
    scalar("col_description", [Oid.oid, Oid.int4],
      ([oid, attnum]) => find(oid!, CommentClass.relation, attnum as number)),
    scalar("shobj_description", [Oid.oid, Oid.name],
      ([oid, table]) => find(oid!, classNames[table as string] ?? -1, 0)),
  ];
}
