import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { oid } from "@tessera/base";
import { formatPartitionKey } from "./catalog-model.js";
import { MetadataStore, type MetadataState } from "./metadata-store.js";
import { planHashShards } from "./placement.js";

const nodes = [1, 2].map((g) => ({ nodename: "127.0.0.1", nodeport: 9700 + g, groupid: g,
  isactive: true, noderole: "primary", shouldhaveshards: true }));

function withTable(state: MetadataState, shardCount: number): MetadataState {
  const plan = planHashShards({ relationId: oid(16_400), shardCount, replicationFactor: 1, nodes,
    nextShardId: state.nextShardId, nextPlacementId: state.nextPlacementId });
  return {
    ...state,
    tables: [{ schemaName: "public", relationName: "events",
      distributionColumn: { name: "id", attnum: 1, typeOid: oid(23), collationOid: oid(0) },
      partition: { logicalrelid: oid(16_400), partmethod: "h", colocationid: 1, repmodel: "s",
        autoconverted: false, partkey: formatPartitionKey({ attnum: 1, typeOid: oid(23),
          typmod: -1, collationOid: oid(0) }) } }],
    shards: plan.shards.map((s) => s.shard),
    placements: plan.shards.flatMap((s) => s.placements),
    colocations: [{ colocationid: 1, shardcount: shardCount, replicationfactor: 1,
      distributioncolumntype: oid(23), distributioncolumncollation: oid(0) }],
    nextShardId: plan.nextShardId, nextPlacementId: plan.nextPlacementId, nextColocationId: 2,
  };
}

test("the store writes its file atomically and loads the same cache back", () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-meta-"));
  try {
    const store = MetadataStore.open(dir);
    assert.equal(store.sequences.nextShardId, 102_008);
    store.update((state) => withTable(state, 4));
    const again = MetadataStore.open(dir);
    const table = again.cache.tableByName("public", "events");
    assert.equal(table?.shards.length, 4);
    assert.equal(table?.shards[0]?.row.shardid, 102_008);
    assert.equal(again.sequences.nextShardId, 102_012);
    assert.match(readFileSync(join(dir, "pg_dist_metadata.json"), "utf8"), /"version": 1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a change that breaks an invariant fails before the file is written", () => {
  const store = MetadataStore.inMemory();
  assert.throws(() => store.update((state) => {
    const next = withTable(state, 4);
    return { ...next, shards: next.shards.slice(1) };
  }), /placement|cover|belong/);
  assert.equal([...store.cache.tables()].length, 0);
  assert.throws(() => store.update((state) => ({ ...withTable(state, 2), nextShardId: 1 })));
});

test("pg_dist_schema rows are kept with their group; older files load without them", () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-meta-"));
  try {
    const store = MetadataStore.open(dir);
    assert.deepEqual(store.snapshot.schemas, []);
    const group = { colocationid: 1, shardcount: 1, replicationfactor: 1,
      distributioncolumntype: oid(0), distributioncolumncollation: oid(0) };
    store.update((state) => ({ ...state, colocations: [group],
      schemas: [{ schemaid: 16_500, colocationid: 1 }], nextColocationId: 2 }));
    const again = MetadataStore.open(dir);
    assert.deepEqual(again.snapshot.schemas, [{ schemaid: 16_500, colocationid: 1 }]);
    // A schema row whose group does not exist breaks an invariant; nothing is written.
    assert.throws(() => again.update((state) => ({ ...state, colocations: [] })),
      /colocation group/);
    const path = join(dir, "pg_dist_metadata.json");
    const file = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
    delete file["schemas"];
    writeFileSync(path, JSON.stringify(file));
    assert.deepEqual(MetadataStore.open(dir).snapshot.schemas, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
