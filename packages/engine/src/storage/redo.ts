/**
 * Redo operations: what the WAL says a committed transaction did, statement by statement.
 * A finished statement's undo log, read forwards, is its list of writes; each insert and
 * delete becomes an operation naming the table by OID and carrying the row's values
 * (`value-codec.ts`). A utility statement (DDL) becomes one operation holding its parse tree,
 * the search_path and user it ran with, and the next OID when it started, so that replay
 * runs the same statement and hands out the same OIDs.
 *
 *   op 1  insert   varuint table OID, row
 *   op 2  delete   varuint table OID, row (replay deletes one live row with equal values)
 *   op 3  utility  u8 catalog (1: joins the catalog history), varuint next OID,
 *                  search_path, user, the parse tree as JSON
 *
 * Rows of temporary tables and statements on temporary objects are not logged: they end
 * with their session anyway.
 */
import { assert } from "@tessera/base";
import type { ast, Row } from "@tessera/sql";
import type { Catalog } from "../catalog/catalog.js";
import { isTempSchema } from "../catalog/catalog.js";
import type { Relation } from "../catalog/relation.js";
import { walk } from "../catalog/depend.js";
import type { RedoChunk } from "../txn/transaction.js";
import type { StatementRun } from "../txn/transactions.js";
import { ByteReader, ByteWriter } from "./byte-buffer.js";
import type { TableStore } from "./table-store.js";
import { decodeRow, encodeRow } from "./value-codec.js";
import { matviewRedoForm } from "../ddl/materialized-views.js";

export const enum OpKind { Insert = 1, Delete = 2, Utility = 3 }

export interface UtilityOp {
  readonly kind: OpKind.Utility;
  readonly catalog: boolean;
  readonly oidNext: number;
  readonly searchPath: string;
  readonly user: string;
  readonly stmt: ast.Node;
}

export type RedoOp =
  | { readonly kind: OpKind.Insert | OpKind.Delete; readonly oid: number; readonly row: Row }
  | UtilityOp;

/** Utility statements that change no catalog object: replayed, never kept in the history. */
const dataOnly = new Set(["TruncateStmt"]);
/** Utility statements with nothing to redo (their rows, if any, are logged as rows). */
const notLogged = new Set(["ExplainStmt", "VacuumStmt", "CopyStmt", "CheckPointStmt",
  "DoStmt", "CallStmt"]);

/**
 * The writer statements encode into, so that a statement's bytes cost one copy instead of a
 * writer of its own (two buffers, a few microseconds each). A bulk load (COPY's batches)
 * gets a writer of its own, and one that grew past `scratchKeptBytesMax` is let go.
 */
let scratch = new ByteWriter(1024);
const scratchKeptBytesMax = 1 << 20;

/** Encodes a finished statement's writes; returns null when it wrote nothing to log. */
export function encodeStatement(run: StatementRun, catalog: Catalog,
  relations: RelationsByStore): RedoChunk | null {
  let rows = false;
  let bulk = false;
  for (const entry of run.undo.entries) {
    if (entry.kind !== "custom") rows = true;
    if (entry.kind === "insertMany") bulk = true;
  }
  if (!rows && run.info.utility === undefined) return null; // a SELECT, say
  if (bulk) return encodeInto(new ByteWriter(), run, catalog, relations);
  const out = scratch;
  out.truncate(0);
  try {
    return encodeInto(out, run, catalog, relations);
  } finally {
    if (out.length > scratchKeptBytesMax) scratch = new ByteWriter(1024);
  }
}

function encodeInto(out: ByteWriter, run: StatementRun, catalog: Catalog,
  relations: RelationsByStore): RedoChunk | null {
  const utility = run.info.utility;
  let ddl = false;
  if (utility !== undefined && isLoggedUtility(utility, run)) {
    ddl = !dataOnly.has(Object.keys(utility)[0] ?? "");
    encodeUtility(out, run, utility, ddl);
  }
  for (const entry of run.undo.entries) {
    if (entry.kind === "custom") continue;
    if (entry.kind === "utility") {
      const catalogChange = !dataOnly.has(Object.keys(entry.stmt)[0] ?? "");
      ddl ||= catalogChange;
      writeUtility(out, catalogChange, entry.oidBefore, entry.searchPath, entry.user,
        entry.stmt);
      continue;
    }
    const rel = relations.of(entry.store, catalog);
    if (rel === undefined || isTempSchema(rel.schema)) continue;
    if (entry.kind === "insertMany") {
      encodeInsertMany(out, rel.oid, entry.versions);
      continue;
    }
    if (entry.kind === "insert" && entry.version.xmin === 0) continue;
    encodeRowOp(out, entry.kind === "insert" ? OpKind.Insert : OpKind.Delete, rel.oid,
      entry.version.values);
  }
  return out.length === 0 ? null : { bytes: out.finish(), ddl };
}

/** A batch's first row may be unlike the rest: the estimate reserves at most this much. */
const batchReserveMax = 64 << 20;

/**
 * Logs a batch of inserted rows. The first logged row sizes the rest: the writer grows once
 * to fit the batch (with an eighth to spare) instead of doubling its way there.
 */
function encodeInsertMany(out: ByteWriter, oid: number,
  versions: readonly { readonly xmin: number; readonly values: Row }[]): void {
  let sized = false;
  for (let i = 0; i < versions.length; i++) {
    const version = versions[i]!;
    if (version.xmin === 0) continue;
    const before = out.length;
    encodeRowOp(out, OpKind.Insert, oid, version.values);
    if (sized) continue;
    sized = true;
    const rest = versions.length - i - 1;
    out.reserve(Math.min(Math.ceil((out.length - before) * rest * 1.125), batchReserveMax));
  }
}

function encodeRowOp(out: ByteWriter, kind: OpKind, oid: number, row: Row): void {
  assert(oid > 0, "logged rows belong to tables");
  out.u8(kind);
  out.varuint(oid);
  encodeRow(out, row);
}

function encodeUtility(out: ByteWriter, run: StatementRun, stmt: ast.Node, ddl: boolean): void {
  writeUtility(out, ddl, run.oidBefore, safeSetting(run, "search_path"), run.ctx.user, stmt);
}

function writeUtility(out: ByteWriter, ddl: boolean, oidBefore: number, searchPath: string,
  user: string, stmt: ast.Node): void {
  out.u8(OpKind.Utility);
  out.u8(ddl ? 1 : 0);
  out.varuint(oidBefore);
  out.string(searchPath);
  out.string(user);
  out.string(JSON.stringify(withoutData(stmt)));
}

/**
 * The catalog-changing utility operations of a statement's redo bytes, each alone: the
 * catalog history a checkpoint replays (a DO block's chunk may hold several, between rows).
 */
export function catalogOpSlices(bytes: Uint8Array): Uint8Array[] {
  const input = new ByteReader(bytes);
  const slices: Uint8Array[] = [];
  while (!input.done) {
    const start = input.offset;
    const op = decodeOp(input);
    if (op.kind === OpKind.Utility && op.catalog) slices.push(bytes.slice(start, input.offset));
  }
  return slices;
}

/** CREATE TABLE AS and SELECT INTO replay without their query: their rows are logged. */
function withoutData(stmt: ast.Node): ast.Node {
  const matview = matviewRedoForm(stmt);
  if (matview !== undefined) return matview;
  if ("CreateTableAsStmt" in stmt && stmt.CreateTableAsStmt.into !== undefined) {
    const create = stmt.CreateTableAsStmt;
    return { CreateTableAsStmt: { ...create, into: { ...create.into, skipData: true } } };
  }
  if ("SelectStmt" in stmt && stmt.SelectStmt.intoClause !== undefined) {
    const select = stmt.SelectStmt;
    return { SelectStmt: { ...select, intoClause: { ...select.intoClause, skipData: true } } };
  }
  return stmt;
}

export function decodeOps(bytes: Uint8Array): RedoOp[] {
  const input = new ByteReader(bytes);
  const ops: RedoOp[] = [];
  while (!input.done) ops.push(decodeOp(input));
  assert(input.offset === bytes.length, "operations fill their bytes exactly");
  return ops;
}

export function decodeOp(input: ByteReader): RedoOp {
  const kind = input.u8() as OpKind;
  if (kind === OpKind.Insert || kind === OpKind.Delete) {
    const oid = input.varuint();
    return { kind, oid, row: decodeRow(input) };
  }
  assert(kind === OpKind.Utility, `redo operation ${kind} is known`);
  const catalog = input.u8() === 1;
  const oidNext = input.varuint();
  const searchPath = input.string();
  const user = input.string();
  const stmt = JSON.parse(input.string()) as ast.Node;
  return { kind, catalog, oidNext, searchPath, user, stmt };
}

/** True unless the statement has nothing to redo or acted on temporary objects. */
function isLoggedUtility(stmt: ast.Node, run: StatementRun): boolean {
  return !notLogged.has(Object.keys(stmt)[0] ?? "") && !run.touchesTemp;
}

/**
 * True when a utility statement names a temporary object (or creates one): checked before
 * it runs, while the objects it drops still exist.
 */
export function touchesTempObjects(catalog: Catalog, path: readonly string[],
  stmt: ast.Node): boolean {
  let temp = false;
  const check = (schema: string | undefined, name: string): void => {
    if (schema === "pg_temp") temp = true;
    const found = catalog.lookupName(path, schema, name);
    if (found !== undefined && isTempSchema(found.schema)) temp = true;
  };
  walk(stmt, 0, (node) => {
    const rangeVar = rangeVarOf(node);
    if (rangeVar === undefined) return;
    if (rangeVar.relpersistence === "t") temp = true;
    check(rangeVar.schemaname, rangeVar.relname ?? "");
  });
  if ("DropStmt" in stmt) {
    for (const object of stmt.DropStmt.objects ?? []) {
      const items = "List" in object ? object.List.items ?? [] : [];
      const names = items.map((item) => ("String" in item ? item.String.sval ?? "" : ""));
      if (names.length > 0) check(names.length > 1 ? names.at(-2) : undefined, names.at(-1)!);
    }
  }
  return temp;
}

/**
 * The RangeVar a parse-tree node is: wrapped where a field holds any node (`{ RangeVar: … }`,
 * a FROM item), bare where the field can only be one (CreateStmt.relation, ViewStmt.view,
 * IntoClause.rel, IndexStmt.relation …).
 */
function rangeVarOf(node: ast.Node): ast.RangeVar | undefined {
  if ("RangeVar" in node) return node.RangeVar;
  const bare = node as { relname?: unknown };
  return typeof bare.relname === "string" ? bare as ast.RangeVar : undefined;
}

function safeSetting(run: StatementRun, name: string): string {
  try {
    return run.ctx.setting(name);
  } catch {
    return "";
  }
}

/** Finds the relation owning a row store; rebuilt from the catalog when one is missing. */
export class RelationsByStore {
  private map = new WeakMap<TableStore, Relation>();

  of(store: TableStore, catalog: Catalog): Relation | undefined {
    const found = this.map.get(store);
    if (found !== undefined) return found;
    this.map = new WeakMap();
    for (const rel of catalog.allRelations()) this.map.set(rel.store, rel);
    return this.map.get(store);
  }
}
