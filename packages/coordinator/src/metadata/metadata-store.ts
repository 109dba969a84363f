/**
 * The durable home of the distribution catalogs: pg_dist_partition, pg_dist_shard,
 * pg_dist_placement, pg_dist_colocation and pg_dist_schema rows plus their id sequences, kept
 * as one JSON file in the coordinator's data directory and written atomically (temp file,
 * fsync, rename) on every change, like the node registry. Until the coordinator's own tables are
 * durable this is the record of which tables are distributed and where their shards live.
 *
 * Every change builds a new `MetadataCache` first, so a change that would break an
 * invariant (ranges with a gap, a shard without placement) fails its assertion before the
 * file is touched; loading the file builds the cache again and asserts the same things.
 */
import {
  closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync,
} from "node:fs";
import { join } from "node:path";
import { assert, oid, shardId, type Oid } from "@tessera/base";
import { bumpCatalogEpoch } from "@tessera/engine";
import type {
  DistColocationRow, DistPartitionRow, DistPlacementRow, DistShardRow,
} from "./catalog-model.js";
import { partitionMethodOf, replicationModelOf } from "./catalog-model.js";
import { MetadataCache, type CitusTableInput, type MetadataSnapshot } from "./metadata-cache.js";
import { shardIdFirst } from "./shard-ranges.js";

/** The id sequences behind the catalogs: the next value each hands out. */
export interface MetadataSequences {
  readonly nextShardId: number;
  readonly nextPlacementId: number;
  readonly nextColocationId: number;
}

/** pg_dist_schema: a distributed (tenant) schema and its colocation group. */
export interface DistSchemaRow {
  /** The schema's OID in the coordinator's catalog (regnamespace). */
  readonly schemaid: number;
  readonly colocationid: number;
}

/** Everything the file holds: the snapshot (names included), the sequences, the schemas. */
export interface MetadataState extends MetadataSnapshot, MetadataSequences {
  readonly schemas: readonly DistSchemaRow[];
}

interface MetadataFile extends MetadataState {
  readonly version: 1;
}

const fileName = "pg_dist_metadata.json";

export class MetadataStore {
  private state: MetadataState;
  private current: MetadataCache;

  private constructor(private readonly path: string | null, state: MetadataState) {
    this.current = MetadataCache.load(state);
    checkSequences(state);
    this.state = state;
  }

  /** Loads the catalogs from a data directory, or starts empty ones. */
  static open(dataDir: string): MetadataStore {
    const path = join(dataDir, fileName);
    if (!existsSync(path)) return new MetadataStore(path, emptyState());
    const parsed = JSON.parse(readFileSync(path, "utf8")) as unknown;
    return new MetadataStore(path, decodeFile(parsed));
  }

  /** An in-memory store, for unit tests. */
  static inMemory(): MetadataStore {
    return new MetadataStore(null, emptyState());
  }

  get cache(): MetadataCache {
    return this.current;
  }

  get sequences(): MetadataSequences {
    return this.state;
  }

  get snapshot(): MetadataState {
    return this.state;
  }

  /**
   * Replaces the catalogs with `next` (a copy of the snapshot with changes), after checking
   * every invariant on a fresh cache; the file is written before the new cache is published.
   */
  update(change: (state: MetadataState) => MetadataState): void {
    const next = change(this.state);
    checkSequences(next);
    const cache = MetadataCache.load(next);
    assert(next.nextShardId >= this.state.nextShardId, "shard ids never go back");
    assert(next.nextColocationId >= this.state.nextColocationId, "group ids never go back");
    this.write(next);
    this.state = next;
    this.current = cache;
    // A table distributed or undistributed changes what a prepared statement must run.
    bumpCatalogEpoch();
  }

  private write(state: MetadataState): void {
    if (this.path === null) return;
    const file: MetadataFile = { version: 1, ...state };
    const temp = `${this.path}.tmp`;
    const fd = openSync(temp, "w", 0o600);
    try {
      writeSync(fd, JSON.stringify(file, null, 1));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.path);
  }
}

function emptyState(): MetadataState {
  return {
    tables: [], shards: [], placements: [], colocations: [], schemas: [],
    nextShardId: shardIdFirst, nextPlacementId: 1, nextColocationId: 1,
  };
}

/** Asserts the sequences lie past every id in use. */
function checkSequences(state: MetadataState): void {
  for (const shard of state.shards) assert(shard.shardid < state.nextShardId, "shard id < next");
  for (const placement of state.placements) {
    assert(placement.placementid < state.nextPlacementId, "placement id < next");
  }
  for (const group of state.colocations) {
    assert(group.colocationid < state.nextColocationId, "colocation id < next");
  }
  const groups = new Set(state.colocations.map((group) => group.colocationid));
  for (const schema of state.schemas) {
    assert(groups.has(schema.colocationid), "a distributed schema has its colocation group");
  }
  assert(new Set(state.schemas.map((s) => s.schemaid)).size === state.schemas.length,
    "one pg_dist_schema row per schema");
}

/** Narrows the parsed JSON, field by field; a malformed file is a corrupt data directory. */
function decodeFile(parsed: unknown): MetadataState {
  assert(isObject(parsed), "metadata file holds an object");
  assert(parsed["version"] === 1, "metadata file version");
  const list = (name: string): Record<string, unknown>[] => {
    const value = parsed[name];
    assert(Array.isArray(value), `metadata file has ${name}`);
    return value.map((item: unknown) => {
      assert(isObject(item), `${name} entries are objects`);
      return item;
    });
  };
  return {
    tables: list("tables").map(decodeTable),
    shards: list("shards").map(decodeShard),
    placements: list("placements").map(decodePlacement),
    colocations: list("colocations").map(decodeColocation),
    // Files written before schema-based sharding have no schemas.
    schemas: parsed["schemas"] === undefined ? [] : list("schemas").map((item) => ({
      schemaid: num(item, "schemaid"), colocationid: num(item, "colocationid") })),
    nextShardId: num(parsed, "nextShardId"),
    nextPlacementId: num(parsed, "nextPlacementId"),
    nextColocationId: num(parsed, "nextColocationId"),
  };
}

function decodeTable(item: Record<string, unknown>): CitusTableInput {
  const partition = item["partition"];
  assert(isObject(partition), "table entry has a partition row");
  const row: DistPartitionRow = {
    logicalrelid: oid(num(partition, "logicalrelid")),
    partmethod: partitionMethodOf(str(partition, "partmethod")),
    partkey: partition["partkey"] === null ? null : str(partition, "partkey"),
    colocationid: num(partition, "colocationid"),
    repmodel: replicationModelOf(str(partition, "repmodel")),
    autoconverted: partition["autoconverted"] === true,
  };
  const column = item["distributionColumn"];
  return {
    partition: row, schemaName: str(item, "schemaName"), relationName: str(item, "relationName"),
    distributionColumn: column === null || column === undefined ? null : (() => {
      assert(isObject(column), "distribution column is an object");
      return { name: str(column, "name"), attnum: num(column, "attnum"),
        typeOid: oid(num(column, "typeOid")), collationOid: oid(num(column, "collationOid")) };
    })(),
  };
}

function decodeShard(item: Record<string, unknown>): DistShardRow {
  const min = item["shardminvalue"];
  const max = item["shardmaxvalue"];
  assert(str(item, "shardstorage") === "t", "shards are tables");
  return {
    logicalrelid: oid(num(item, "logicalrelid")), shardid: shardId(num(item, "shardid")),
    shardstorage: "t", shardminvalue: typeof min === "string" ? min : null,
    shardmaxvalue: typeof max === "string" ? max : null,
  };
}

function decodePlacement(item: Record<string, unknown>): DistPlacementRow {
  return {
    placementid: num(item, "placementid"), shardid: shardId(num(item, "shardid")),
    shardstate: num(item, "shardstate"), shardlength: num(item, "shardlength"),
    groupid: num(item, "groupid"),
  };
}

function decodeColocation(item: Record<string, unknown>): DistColocationRow {
  return {
    colocationid: num(item, "colocationid"), shardcount: num(item, "shardcount"),
    replicationfactor: num(item, "replicationfactor"),
    distributioncolumntype: oid(num(item, "distributioncolumntype")) as Oid,
    distributioncolumncollation: oid(num(item, "distributioncolumncollation")) as Oid,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function num(item: Record<string, unknown>, key: string): number {
  const value = item[key];
  assert(typeof value === "number" && Number.isSafeInteger(value), `${key} is an integer`);
  return value;
}

function str(item: Record<string, unknown>, key: string): string {
  const value = item[key];
  assert(typeof value === "string", `${key} is a string`);
  return value;
}
