/**
 * Branded ids: a shard id never passes for a node id. Each maker asserts the value is a
 * safe non-negative integer, so ids from the wire or the catalog are checked once, here.
 */
import { assert } from "./assert.js";

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type Oid = Brand<number, "Oid">;
export type Xid = Brand<number, "Xid">;
export type NodeId = Brand<number, "NodeId">;
export type ShardId = Brand<number, "ShardId">;
export type Lsn = Brand<bigint, "Lsn">;

function checkedInteger(value: number, what: string): number {
  assert(Number.isSafeInteger(value), `${what} must be a safe integer`);
  assert(value >= 0, `${what} must not be negative`);
  return value;
}

export const oid = (value: number): Oid => checkedInteger(value, "oid") as Oid;
export const xid = (value: number): Xid => checkedInteger(value, "xid") as Xid;
export const nodeId = (value: number): NodeId => checkedInteger(value, "node id") as NodeId;
export const shardId = (value: number): ShardId => checkedInteger(value, "shard id") as ShardId;
export function lsn(value: bigint): Lsn {
  assert(value >= 0n, "lsn must not be negative");
  return value as Lsn;
}
