/**
 * The cluster's nodes, as Citus's pg_dist_node: one record per node with its id, group,
 * address and state. Until the coordinator's catalog tables are durable (the transactions
 * and durability issue), the registry persists itself as a JSON file in the coordinator's
 * data directory, written atomically (temp file, fsync, rename) on every change.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { SqlError, SqlState, assert } from "@tessera/base";

export interface DistNode {
  readonly nodeid: number;
  readonly groupid: number;
  readonly nodename: string;
  readonly nodeport: number;
  readonly noderack: string;
  readonly hasmetadata: boolean;
  readonly isactive: boolean;
  readonly noderole: "primary" | "secondary" | "unavailable";
  readonly nodecluster: string;
  readonly metadatasynced: boolean;
  readonly shouldhaveshards: boolean;
  readonly nodeisclone: boolean;
  readonly nodeprimarynodeid: number;
}

interface RegistryFile {
  readonly version: 1;
  readonly nextNodeId: number;
  readonly nextGroupId: number;
  readonly nodes: readonly DistNode[];
}

const fileName = "pg_dist_node.json";

export class NodeRegistry {
  private nodes: DistNode[];
  private nextNodeId: number;
  private nextGroupId: number;

  private constructor(
    private readonly path: string,
    state: RegistryFile,
  ) {
    this.nodes = [...state.nodes];
    this.nextNodeId = state.nextNodeId;
    this.nextGroupId = state.nextGroupId;
    this.checkInvariants();
  }

  /** Loads the registry from a data directory, or starts an empty one. */
  static open(dataDir: string): NodeRegistry {
    const path = join(dataDir, fileName);
    if (!existsSync(path)) {
      return new NodeRegistry(path, { version: 1, nextNodeId: 1, nextGroupId: 1, nodes: [] });
    }
    const state = JSON.parse(readFileSync(path, "utf8")) as RegistryFile;
    assert(state.version === 1, "node registry file version");
    return new NodeRegistry(path, state);
  }

  list(): readonly DistNode[] {
    return this.nodes;
  }

  find(host: string, port: number): DistNode | undefined {
    return this.nodes.find((n) => n.nodename === host && n.nodeport === port);
  }

  /** citus_add_node: returns the existing id for a known address, as Citus does. */
  add(host: string, port: number): number {
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new SqlError(SqlState.invalidParameterValue, `invalid port number: ${port}`);
    }
    const existing = this.find(host, port);
    if (existing !== undefined) return existing.nodeid;
    const node: DistNode = {
      nodeid: this.nextNodeId++,
      groupid: this.nextGroupId++,
      nodename: host,
      nodeport: port,
      noderack: "default",
      hasmetadata: true,
      isactive: true,
      noderole: "primary",
      nodecluster: "default",
      metadatasynced: true,
      shouldhaveshards: true,
      nodeisclone: false,
      nodeprimarynodeid: 0,
    };
    this.nodes.push(node);
    this.save();
    return node.nodeid;
  }

  /** Returns the node at an address, or fails as Citus does for an unknown one. */
  get(host: string, port: number): DistNode {
    const node = this.find(host, port);
    if (node === undefined) {
      throw new SqlError(SqlState.internalError, `node at "${host}:${port}" does not exist`);
    }
    return node;
  }

  /** Replaces fields of one node's row (isactive, shouldhaveshards, address). */
  update(nodeid: number, change: Partial<Omit<DistNode, "nodeid" | "groupid">>): DistNode {
    const index = this.nodes.findIndex((n) => n.nodeid === nodeid);
    assert(index >= 0, "an updated node exists");
    const node: DistNode = { ...this.nodes[index]!, ...change };
    this.nodes[index] = node;
    this.save();
    return node;
  }

  /** citus_remove_node: deletes the row (the caller has moved placements away). */
  remove(nodeid: number): void {
    const before = this.nodes.length;
    this.nodes = this.nodes.filter((n) => n.nodeid !== nodeid);
    assert(this.nodes.length === before - 1, "a removed node existed");
    this.save();
  }

  /** citus_set_coordinator_host: adds the group 0 row (shouldhaveshards false) or moves it. */
  setCoordinator(host: string, port: number): DistNode {
    const current = this.nodes.find((n) => n.groupid === 0);
    if (current !== undefined) {
      return this.update(current.nodeid, { nodename: host, nodeport: port });
    }
    const node: DistNode = {
      nodeid: this.nextNodeId++, groupid: 0, nodename: host, nodeport: port,
      noderack: "default", hasmetadata: true, isactive: true, noderole: "primary",
      nodecluster: "default", metadatasynced: true, shouldhaveshards: false,
      nodeisclone: false, nodeprimarynodeid: 0,
    };
    this.nodes.push(node);
    this.save();
    return node;
  }

  /** Active primary workers (not the coordinator's group 0). */
  activeWorkers(): DistNode[] {
    return this.nodes.filter((n) => n.isactive && n.groupid !== 0 && n.noderole === "primary");
  }

  private save(): void {
    this.checkInvariants();
    const state: RegistryFile = {
      version: 1,
      nextNodeId: this.nextNodeId,
      nextGroupId: this.nextGroupId,
      nodes: this.nodes,
    };
    const temp = `${this.path}.tmp`;
    const fd = openSync(temp, "w", 0o600);
    try {
      writeSync(fd, JSON.stringify(state, null, 2));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.path);
  }

  private checkInvariants(): void {
    const ids = new Set(this.nodes.map((n) => n.nodeid));
    assert(ids.size === this.nodes.length, "node ids are unique");
    const addresses = new Set(this.nodes.map((n) => `${n.nodename}:${n.nodeport}`));
    assert(addresses.size === this.nodes.length, "node addresses are unique");
    for (const node of this.nodes) {
      assert(node.nodeid < this.nextNodeId, "node ids come from the sequence");
    }
  }
}
