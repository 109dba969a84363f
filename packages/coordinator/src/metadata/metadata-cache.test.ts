import { strict as assert } from "node:assert";
import { test } from "node:test";
import { AssertionError, SqlError, oid, shardId } from "@tessera/base";
import {
  distPartitionColumns, distPlacementColumns, distShardColumns, distColocationColumns,
  formatPartitionKey, parsePartitionKey, type DistColocationRow, type DistPartitionRow,
} from "./catalog-model.js";
import {
  decideHashColocation, decideReferenceColocation, type HashColocationRequest,
} from "./colocation.js";
import { MetadataCache, type CitusTableInput, type MetadataSnapshot } from "./metadata-cache.js";
import {
  planColocatedShards, planHashShards, planReferenceShard, type PlacementNode, type ShardPlan,
} from "./placement.js";

const workers: PlacementNode[] = [1, 2].map((groupid) => ({
  nodename: "localhost", nodeport: 57636 + groupid, groupid, isactive: true,
  noderole: "primary", shouldhaveshards: true,
}));
const int8Key = { attnum: 1, typeOid: oid(20), typmod: -1, collationOid: oid(0) };

function hashTable(relid: number, name: string, colocationid: number): CitusTableInput {
  const partition: DistPartitionRow = {
    logicalrelid: oid(relid), partmethod: "h", partkey: formatPartitionKey(int8Key),
    colocationid, repmodel: "s", autoconverted: false,
  };
  return {
    partition, schemaName: "public", relationName: name,
    distributionColumn: { name: "id", attnum: 1, typeOid: oid(20), collationOid: oid(0) },
  };
}

function referenceTable(relid: number, name: string, colocationid: number): CitusTableInput {
  return {
    partition: { logicalrelid: oid(relid), partmethod: "n", partkey: null, colocationid,
      repmodel: "t", autoconverted: false },
    schemaName: "public", relationName: name, distributionColumn: null,
  };
}

const group = (colocationid: number, shardcount: number, type = 20): DistColocationRow => ({
  colocationid, shardcount, replicationfactor: 1, distributioncolumntype: oid(type),
  distributioncolumncollation: oid(0),
});

/** A cluster with events (4 shards), colocated devices, and a reference table. */
function fixture(): { snapshot: MetadataSnapshot; events: ShardPlan } {
  const events = planHashShards({ relationId: oid(16384), shardCount: 4, replicationFactor: 1,
    nodes: workers, nextShardId: 102008, nextPlacementId: 1 });
  const devices = planColocatedShards({ relationId: oid(16390), source: events.shards,
    nextShardId: events.nextShardId, nextPlacementId: events.nextPlacementId });
  const countries = planReferenceShard({ relationId: oid(16400), nodes: workers,
    nextShardId: devices.nextShardId, nextPlacementId: devices.nextPlacementId });
  const plans = [events, devices, countries].flatMap((plan) => plan.shards);
  return {
    events,
    snapshot: {
      tables: [hashTable(16384, "events", 1), hashTable(16390, "devices", 1),
        referenceTable(16400, "countries", 2)],
      shards: plans.map((p) => p.shard),
      placements: plans.flatMap((p) => p.placements),
      colocations: [group(1, 4), { ...group(2, 1, 0), replicationfactor: -1 }],
    },
  };
}

test("catalog column lists follow citus-surface.md §1 order", () => {
  assert.deepEqual(distPartitionColumns.map((c) => c.name),
    ["logicalrelid", "partmethod", "partkey", "colocationid", "repmodel", "autoconverted"]);
  assert.deepEqual(distShardColumns.map((c) => c.name),
    ["logicalrelid", "shardid", "shardstorage", "shardminvalue", "shardmaxvalue"]);
  assert.deepEqual(distPlacementColumns.map((c) => c.name),
    ["placementid", "shardid", "shardstate", "shardlength", "groupid"]);
  assert.deepEqual(distColocationColumns.map((c) => c.name), ["colocationid", "shardcount",
    "replicationfactor", "distributioncolumntype", "distributioncolumncollation"]);
});

test("partkey text round-trips and matches Postgres 18's Var format", () => {
  const text = formatPartitionKey({ ...int8Key, typeOid: oid(23) });
  assert.equal(text, "{VAR :varno 1 :varattno 1 :vartype 23 :vartypmod -1 :varcollid 0 " +
    ":varnullingrels (b) :varlevelsup 0 :varreturningtype 0 :varnosyn 1 :varattnosyn 1 " +
    ":location -1}");
  assert.deepEqual(parsePartitionKey(text), { ...int8Key, typeOid: 23 });
});

test("the cache finds tables, shards in range order, placements and groups", () => {
  const cache = MetadataCache.load(fixture().snapshot);
  const events = cache.tableByName("public", "events");
  assert.ok(events !== undefined);
  assert.equal(events.kind, "hash");
  assert.equal(cache.table(oid(16384)), events);
  assert.deepEqual(events.shards.map((s) => s.row.shardid), [102008, 102009, 102010, 102011]);
  assert.deepEqual(events.ranges.map((r) => r.min),
    [-2147483648, -1073741824, 0, 1073741824]);
  const found = cache.shard(shardId(102013));
  assert.equal(found?.table.relationName, "devices");
  assert.equal(found?.shard.index, 1);
  assert.equal(cache.tableByName("public", "countries")?.kind, "reference");
  assert.deepEqual(cache.tablesInColocationGroup(1).map((t) => t.relationName),
    ["events", "devices"]);
  assert.equal(cache.colocationGroup(2)?.replicationfactor, -1);
});

test("shards load in range order whatever order the catalog returns them", () => {
  const { snapshot } = fixture();
  const cache = MetadataCache.load({ ...snapshot, shards: [...snapshot.shards].reverse() });
  assert.deepEqual(cache.tableByName("public", "events")?.shards.map((s) => s.index),
    [0, 1, 2, 3]);
});

test("a gap or overlap in a table's ranges stops the load", () => {
  const { snapshot } = fixture();
  const broken = snapshot.shards.map((shard) =>
    shard.shardid === 102009 ? { ...shard, shardmaxvalue: "-2" } : shard);
  assert.throws(() => MetadataCache.load({ ...snapshot, shards: broken }), AssertionError);
  const missing = snapshot.shards.filter((shard) => shard.shardid !== 102010);
  const placements = snapshot.placements.filter((p) => p.shardid !== 102010);
  assert.throws(() => MetadataCache.load({ ...snapshot, shards: missing, placements }),
    AssertionError);
});

test("a shard without placement, or two placements on one group, stops the load", () => {
  const { snapshot } = fixture();
  const orphan = snapshot.placements.filter((p) => p.shardid !== 102008);
  assert.throws(() => MetadataCache.load({ ...snapshot, placements: orphan }), /placement/);
  const first = snapshot.placements[0]!;
  const doubled = [...snapshot.placements, { ...first, placementid: 999 }];
  assert.throws(() => MetadataCache.load({ ...snapshot, placements: doubled }), AssertionError);
});

test("colocated tables must share placement groups", () => {
  const { snapshot } = fixture();
  const moved = snapshot.placements.map((p) =>
    p.shardid === 102012 ? { ...p, groupid: p.groupid === 1 ? 2 : 1 } : p);
  assert.throws(() => MetadataCache.load({ ...snapshot, placements: moved }),
    /colocated shards share node groups/);
});

test("default colocation reuses the smallest matching group", () => {
  const cache = MetadataCache.load(fixture().snapshot);
  const request: HashColocationRequest = {
    relationName: "clicks", colocateWith: { kind: "default" }, shardCount: 4,
    shardCountExplicit: false, replicationFactor: 1, replicationModel: "s",
    columnTypeOid: oid(20), columnCollationOid: oid(0), schemaColocationIds: new Set(),
  };
  const decision = decideHashColocation(cache, request);
  assert.equal(decision.kind, "existing");
  assert.equal(decision.kind === "existing" && decision.sourceTable?.relationName, "events");
  assert.equal(decideHashColocation(cache, { ...request, columnTypeOid: oid(23) }).kind, "new");
  assert.equal(decideHashColocation(cache, { ...request, shardCount: 8 }).kind, "new");
  assert.equal(decideHashColocation(cache, { ...request, colocateWith: { kind: "none" } }).kind,
    "new");
  assert.equal(decideHashColocation(cache, { ...request, schemaColocationIds: new Set([1]) })
    .kind, "new");
  assert.equal(decideReferenceColocation(cache).kind, "existing");
});

test("colocate_with a table checks Citus's conditions", () => {
  const cache = MetadataCache.load(fixture().snapshot);
  const events = cache.tableByName("public", "events")!;
  const countries = cache.tableByName("public", "countries")!;
  const request: HashColocationRequest = {
    relationName: "clicks", colocateWith: { kind: "table", table: events }, shardCount: 32,
    shardCountExplicit: false, replicationFactor: 1, replicationModel: "s",
    columnTypeOid: oid(20), columnCollationOid: oid(0), schemaColocationIds: new Set(),
  };
  const decision = decideHashColocation(cache, request);
  assert.deepEqual(decision.kind === "existing" && decision.colocationId, 1);
  const fails = (changes: Partial<HashColocationRequest>, message: string, detail?: string) =>
    assert.throws(() => decideHashColocation(cache, { ...request, ...changes }),
      (error: unknown) => error instanceof SqlError && error.message === message &&
        (detail === undefined || error.detail === detail));
  fails({ columnTypeOid: oid(23) }, "cannot colocate tables events and clicks",
    "Distribution column types don't match for events and clicks.");
  fails({ replicationModel: "c" }, "cannot colocate tables events and clicks",
    "Replication models don't match for events and clicks.");
  fails({ columnCollationOid: oid(100) }, "cannot colocate tables events and clicks",
    "Distribution column collations don't match for events and clicks.");
  fails({ shardCountExplicit: true },
    "Cannot use colocate_with with a table and shard_count at the same time");
  // A reference table is not refused by kind (only append, range and citus-local tables are,
  // as Citus's EnsureTableCanBeColocatedWith): its replication model 't' differs.
  fails({ colocateWith: { kind: "table", table: countries } },
    "cannot colocate tables countries and clicks",
    "Replication models don't match for countries and clicks.");
});
