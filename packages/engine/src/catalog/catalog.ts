/**
 * The catalog of one database: schemas, relations (tables, views), sequences and indexes,
 * found by name through search_path or by OID. OIDs come from one counter starting at 16384
 * (FirstNormalObjectId), so they are stable for the life of the database.
 */
import { SqlError, SqlState, assert } from "@tessera/base";
import type { Index, Relation, Sequence } from "./relation.js";
import { bumpCatalogEpoch } from "./catalog-epoch.js";

export const firstNormalOid = 16384;

/** True for a session's temporary schema (pg_temp_N). */
export function isTempSchema(name: string): boolean {
  return name.startsWith("pg_temp_");
}

/** Copies of the catalog's maps: how a rolled-back DDL statement is undone. */
export interface CatalogMaps {
  readonly schemas: ReadonlyMap<string, number>;
  readonly relations: ReadonlyMap<number, Relation>;
  readonly sequences: ReadonlyMap<number, Sequence>;
  readonly names: ReadonlyMap<string, number>;
  readonly tempSchemas: ReadonlyMap<number, string>;
  readonly comments: ReadonlyMap<string, string>;
}

/** One COMMENT ON: the object (pg_description's classoid, objoid, objsubid) and its text. */
export interface ObjectComment {
  readonly classoid: number;
  readonly objoid: number;
  readonly objsubid: number;
  readonly description: string;
}

export class Catalog {
  private nextOid = firstNormalOid;
  private readonly schemas = new Map<string, number>([["pg_catalog", 11], ["public", 2200]]);
  private readonly relations = new Map<number, Relation>();
  private readonly sequences = new Map<number, Sequence>();
  private readonly names = new Map<string, number>();
  /** Each session's temporary schema (pg_temp_N), by backend pid, once it has one. */
  readonly tempSchemas = new Map<number, string>();
  /** COMMENT ON texts by `classoid/objoid/objsubid` (`ddl/comment.ts`). */
  private readonly comments = new Map<string, string>();
  /** The write stamp of the last statement that wrote; informational (snapshots: txn/). */
  lastWriteId = 0;

  /** The next OID to hand out: logged with DDL so replay gives objects the same OIDs. */
  get oidNext(): number {
    return this.nextOid;
  }

  set oidNext(next: number) {
    assert(next >= firstNormalOid && next < 2 ** 32, "OIDs are normal and fit in 32 bits");
    this.nextOid = next;
  }

  /** Copies the maps of schemas, relations, sequences and names (`txn/catalog-undo.ts`). */
  captureMaps(): CatalogMaps {
    return { schemas: new Map(this.schemas), relations: new Map(this.relations),
      sequences: new Map(this.sequences), names: new Map(this.names),
      tempSchemas: new Map(this.tempSchemas), comments: new Map(this.comments) };
  }

  /** Puts back maps `captureMaps` copied; the map objects themselves stay. */
  restoreMaps(maps: CatalogMaps): void {
    bumpCatalogEpoch();
    const pairs: [Map<unknown, unknown>, ReadonlyMap<unknown, unknown>][] = [
      [this.schemas, maps.schemas], [this.relations, maps.relations],
      [this.sequences, maps.sequences], [this.names, maps.names],
      [this.tempSchemas, maps.tempSchemas], [this.comments, maps.comments]];
    for (const [target, source] of pairs) {
      target.clear();
      for (const [key, value] of source) target.set(key, value);
    }
  }

  /** Sets (or with null removes) the comment of an object. */
  setComment(classoid: number, objoid: number, objsubid: number, text: string | null): void {
    const key = `${classoid}/${objoid}/${objsubid}`;
    if (text === null) this.comments.delete(key);
    else this.comments.set(key, text);
  }

  /** Every comment set, dropped objects' included (readers check the object exists). */
  allComments(): ObjectComment[] {
    return [...this.comments].map(([key, description]) => {
      const [classoid, objoid, objsubid] = key.split("/").map(Number);
      return { classoid: classoid!, objoid: objoid!, objsubid: objsubid!, description };
    });
  }

  allocateOid(): number {
    const oid = this.nextOid++;
    assert(oid < 2 ** 32, "OIDs fit in 32 bits");
    return oid;
  }

  schemaExists(name: string): boolean {
    return this.schemas.has(name);
  }

  /** Creates a schema; `oid` is for the fixed ones (information_schema). */
  createSchema(name: string, oid?: number): void {
    assert(!this.schemas.has(name), "schema names are unique");
    assert(oid === undefined || oid < firstNormalOid, "fixed OIDs are below 16384");
    this.schemas.set(name, oid ?? this.allocateOid());
  }

  /** Every schema with its OID, for pg_namespace. */
  allSchemas(): [string, number][] {
    return [...this.schemas.entries()];
  }

  /** Renames a schema, keeping its OID; moving the objects in it is the caller's part. */
  renameSchema(from: string, to: string): void {
    const oid = this.schemas.get(from);
    assert(oid !== undefined && !this.schemas.has(to), "an existing schema, a free name");
    this.schemas.delete(from);
    this.schemas.set(to, oid);
  }

  dropSchema(name: string): void {
    this.schemas.delete(name);
  }

  /**
   * Returns the schemas to search for `search_path`: the session's temporary schema first
   * (unless the setting places `pg_temp`), then pg_catalog (unless placed), then the rest.
   */
  searchPath(setting: string, user: string, backendPid = 0): string[] {
    const temp = this.tempSchemas.get(backendPid);
    const out: string[] = [];
    for (const raw of setting.split(",")) {
      let name = raw.trim();
      if (name.startsWith("\"") && name.endsWith("\"")) name = name.slice(1, -1);
      else name = name.toLowerCase();
      if (name === "$user") name = user;
      if (name === "pg_temp" && temp !== undefined) name = temp;
      if (this.schemas.has(name) && !out.includes(name)) out.push(name);
    }
    if (!out.includes("pg_catalog")) out.unshift("pg_catalog");
    if (temp !== undefined && !out.includes(temp)) out.unshift(temp);
    return out;
  }

  /** The schema new objects go to: the first existing one on the path other than pg_catalog. */
  creationSchema(path: readonly string[], location?: number): string {
    const schema = path.find((s) => s !== "pg_catalog" && !isTempSchema(s));
    if (schema === undefined) {
      throw new SqlError(SqlState.invalidSchemaName, "no schema has been selected to create in",
        location === undefined ? {} : { location });
    }
    return schema;
  }

  private key(schema: string, name: string): string {
    return `${schema}\u0000${name}`;
  }

  /** Looks a relation or sequence name up in `schema`, or along `path`. */
  lookupName(path: readonly string[], schema: string | undefined, name: string):
    { oid: number; schema: string } | undefined {
    if (schema === "pg_temp") schema = path.find(isTempSchema) ?? schema;
    for (const s of schema === undefined ? path : [schema]) {
      const oid = this.names.get(this.key(s, name));
      if (oid !== undefined) return { oid, schema: s };
    }
    return undefined;
  }

  relation(oid: number): Relation | undefined {
    return this.relations.get(oid);
  }

  sequence(oid: number): Sequence | undefined {
    return this.sequences.get(oid);
  }

  /** Finds a table or view, or undefined. */
  findRelation(path: readonly string[], schema: string | undefined, name: string):
    Relation | undefined {
    const found = this.lookupName(path, schema, name);
    return found === undefined ? undefined : this.relations.get(found.oid);
  }

  findSequence(path: readonly string[], schema: string | undefined, name: string):
    Sequence | undefined {
    const found = this.lookupName(path, schema, name);
    return found === undefined ? undefined : this.sequences.get(found.oid);
  }

  addRelation(relation: Relation): void {
    assert(!this.relations.has(relation.oid), "relation OIDs are unique");
    this.relations.set(relation.oid, relation);
    this.claimName(relation.schema, relation.name, relation.oid);
  }

  addSequence(sequence: Sequence): void {
    this.sequences.set(sequence.oid, sequence);
    this.claimName(sequence.schema, sequence.name, sequence.oid);
  }

  /** Reserves a name in pg_class's namespace (tables, views, sequences, indexes). */
  claimName(schema: string, name: string, oid: number): void {
    const key = this.key(schema, name);
    assert(!this.names.has(key), "pg_class names are unique per schema");
    this.names.set(key, oid);
  }

  releaseName(schema: string, name: string): void {
    this.names.delete(this.key(schema, name));
  }

  nameTaken(schema: string, name: string): boolean {
    return this.names.has(this.key(schema, name));
  }

  removeRelation(relation: Relation): void {
    this.relations.delete(relation.oid);
    this.releaseName(relation.schema, relation.name);
    for (const index of relation.indexes) this.releaseName(relation.schema, index.name);
  }

  removeSequence(sequence: Sequence): void {
    this.sequences.delete(sequence.oid);
    this.releaseName(sequence.schema, sequence.name);
  }

  allRelations(): IterableIterator<Relation> {
    return this.relations.values();
  }

  allSequences(): IterableIterator<Sequence> {
    return this.sequences.values();
  }

  /** Finds an index by name along the path. */
  findIndex(path: readonly string[], schema: string | undefined, name: string):
    { relation: Relation; index: Index } | undefined {
    const found = this.lookupName(path, schema, name);
    if (found === undefined) return undefined;
    for (const relation of this.relations.values()) {
      const index = relation.indexes.find((i) => i.oid === found.oid);
      if (index !== undefined) return { relation, index };
    }
    return undefined;
  }
}
