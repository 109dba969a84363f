/**
 * CREATE SEQUENCE and ALTER SEQUENCE (Postgres's sequence.c init_params): AS, INCREMENT,
 * MINVALUE, MAXVALUE, START, RESTART, CACHE, [NO] CYCLE and OWNED BY, with the defaults that
 * depend on the increment's sign and the data type, and Postgres's checks and messages.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { resolveTypeName } from "../analyze/type-name.js";
import type { Catalog } from "./catalog.js";
import type { Sequence } from "./relation.js";
import { Oid, formatTypeName } from "./types.js";

type Notice = (message: string) => void;

const typeRange: Readonly<Record<number, readonly [bigint, bigint]>> = {
  [Oid.int2]: [-32768n, 32767n],
  [Oid.int4]: [-2147483648n, 2147483647n],
  [Oid.int8]: [-(2n ** 63n), 2n ** 63n - 1n],
};

interface Options {
  type?: number;
  increment?: bigint;
  min?: bigint | null;
  max?: bigint | null;
  start?: bigint;
  restart?: bigint | null;
  cache?: bigint;
  cycle?: boolean;
  ownedBy?: string[];
}

export function createSequence(catalog: Catalog, path: readonly string[], stmt: ast.CreateSeqStmt,
  schemaFor: (rv: ast.RangeVar) => string, notice: Notice): string {
  const rv = stmt.sequence!;
  const name = rv.relname ?? "";
  const schema = schemaFor(rv);
  if (catalog.nameTaken(schema, name)) {
    if (stmt.if_not_exists === true) {
      notice(`relation "${name}" already exists, skipping`);
      return "CREATE SEQUENCE";
    }
    throw new SqlError(SqlState.duplicateTable, `relation "${name}" already exists`);
  }
  const options = readOptions(stmt.options);
  const seq: Sequence = { oid: 0, schema, name, type: Oid.int8, start: 1n, increment: 1n,
    min: 1n, max: typeRange[Oid.int8]![1], cycle: false, last: null, restartAt: null, cache: 1n,
    ownedBy: null };
  const settled = settle(seq, options, true);
  const owner = options.ownedBy === undefined ? null
    : ownedBy(catalog, path, settled, options.ownedBy);
  catalog.addSequence({ ...settled, oid: catalog.allocateOid(), ownedBy: owner });
  return "CREATE SEQUENCE";
}

export function alterSequence(catalog: Catalog, path: readonly string[], stmt: ast.AlterSeqStmt,
  notice: Notice): string {
  const rv = stmt.sequence!;
  const seq = catalog.findSequence(path, rv.schemaname, rv.relname ?? "");
  if (seq === undefined && catalog.findRelation(path, rv.schemaname, rv.relname ?? "")) {
    throw new SqlError(SqlState.wrongObjectType, `"${rv.relname}" is not a sequence`);
  }
  if (seq === undefined) {
    if (stmt.missing_ok === true) {
      notice(`relation "${rv.relname}" does not exist, skipping`);
      return "ALTER SEQUENCE";
    }
    throw new SqlError(SqlState.undefinedTable, `relation "${rv.relname}" does not exist`);
  }
  const options = readOptions(stmt.options);
  if (options.ownedBy !== undefined && identityOwned(catalog, seq)) {
    throw new SqlError(SqlState.featureNotSupported,
      "cannot change ownership of identity sequence",
      { detail: `Sequence "${seq.name}" is linked to table ` +
        `"${catalog.relation(seq.ownedBy!.relationOid)!.name}".` });
  }
  const settled = settle(seq, options, false);
  const owner = options.ownedBy === undefined ? seq.ownedBy
    : ownedBy(catalog, path, settled, options.ownedBy);
  Object.assign(seq, settled, { ownedBy: owner });
  return "ALTER SEQUENCE";
}

/** True when `seq` is the sequence of an identity column. */
function identityOwned(catalog: Catalog, seq: Sequence): boolean {
  if (seq.ownedBy === null) return false;
  const { relationOid, column } = seq.ownedBy;
  return catalog.relation(relationOid)?.columns.some((c) => c.name === column && !c.dropped &&
    c.identity !== null) === true;
}

/**
 * Applies sequence options (ALTER TABLE … ALTER COLUMN c SET INCREMENT BY 2 / RESTART WITH n,
 * on an identity column's sequence) as ALTER SEQUENCE does; returns a copy of the sequence
 * as it was, for undo.
 */
export function alterSequenceOptions(seq: Sequence, list: readonly ast.Node[]): Sequence {
  const before = { ...seq };
  Object.assign(seq, settle(seq, readOptions(list), false));
  return before;
}

/**
 * Returns the sequence of a serial or identity column: typed as the column, with the options
 * of GENERATED … AS IDENTITY (START WITH, INCREMENT BY …) applied as CREATE SEQUENCE does.
 */
export function ownedSequence(base: Omit<Sequence, "start" | "increment" | "min" | "max" |
  "cycle" | "last" | "restartAt" | "cache">, options: readonly ast.Node[] | undefined): Sequence {
  const [, high] = typeRange[base.type] ?? typeRange[Oid.int8]!;
  const seq: Sequence = { ...base, start: 1n, increment: 1n, min: 1n, max: high, cycle: false,
    last: null, restartAt: null, cache: 1n };
  const settled = settle(seq, { type: base.type, ...readOptions(options) }, true);
  return { ...settled, ownedBy: base.ownedBy };
}

function readOptions(list: readonly ast.Node[] | undefined): Options {
  const options: Options = {};
  for (const node of list ?? []) {
    if (!("DefElem" in node)) continue;
    const def = node.DefElem;
    const arg = def.arg;
    const int = (): bigint => integerArg(def);
    switch (def.defname) {
      case "as": options.type = sequenceType(arg); break;
      case "increment": options.increment = int(); break;
      case "minvalue": options.min = arg === undefined ? null : int(); break;
      case "maxvalue": options.max = arg === undefined ? null : int(); break;
      case "start": options.start = int(); break;
      case "restart": options.restart = arg === undefined ? null : int(); break;
      case "cache": options.cache = int(); break;
      case "cycle": options.cycle = arg === undefined || !("Boolean" in arg) ||
        arg.Boolean.boolval === true; break;
      case "owned_by": options.ownedBy = arg !== undefined && "List" in arg
        ? (arg.List.items ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : "")) : [];
        break;
      default:
        throw new SqlError(SqlState.syntaxError, `option "${def.defname}" not recognized`);
    }
  }
  return options;
}

function integerArg(def: ast.DefElem): bigint {
  const arg = def.arg;
  if (arg !== undefined && "Integer" in arg) return BigInt(arg.Integer.ival ?? 0);
  if (arg !== undefined && "Float" in arg) return BigInt(arg.Float.fval ?? "0");
  throw new SqlError(SqlState.syntaxError, `${def.defname} requires a numeric value`);
}

function sequenceType(arg: ast.Node | undefined): number {
  const type = arg !== undefined && "TypeName" in arg ? resolveTypeName(arg.TypeName).type : 0;
  if (typeRange[type] === undefined) {
    throw new SqlError(SqlState.invalidParameterValue,
      "sequence type must be smallint, integer, or bigint");
  }
  return type;
}

/** Applies `options` over `seq`'s values with Postgres's defaults and checks. */
function settle(seq: Sequence, options: Options, creating: boolean): Sequence {
  const invalid = (message: string): SqlError =>
    new SqlError(SqlState.invalidParameterValue, message);
  const type = options.type ?? seq.type;
  const [low, high] = typeRange[type]!;
  const increment = options.increment ?? seq.increment;
  if (increment === 0n) throw invalid("INCREMENT must not be zero");
  // A new type moves bounds that were the old type's own to the new type's (init_params).
  const typeChanged = !creating && options.type !== undefined && options.type !== seq.type;
  const [oldLow, oldHigh] = typeRange[seq.type] ?? typeRange[Oid.int8]!;
  const resetMax = typeChanged && seq.max === oldHigh;
  const resetMin = typeChanged && seq.min === oldLow;
  const max = options.max !== undefined && options.max !== null ? options.max
    : creating || options.max !== undefined || resetMax
      ? (increment > 0n || resetMax ? high : -1n) : seq.max;
  const min = options.min !== undefined && options.min !== null ? options.min
    : creating || options.min !== undefined || resetMin
      ? (increment < 0n || resetMin ? low : 1n) : seq.min;
  const typeName = formatTypeName(type, -1);
  if (max < low || max > high) {
    throw invalid(`MAXVALUE (${max}) is out of range for sequence data type ${typeName}`);
  }
  if (min < low || min > high) {
    throw invalid(`MINVALUE (${min}) is out of range for sequence data type ${typeName}`);
  }
  if (min >= max) throw invalid(`MINVALUE (${min}) must be less than MAXVALUE (${max})`);
  const start = options.start ?? (creating ? (increment > 0n ? min : max) : seq.start);
  if (start < min) throw invalid(`START value (${start}) cannot be less than MINVALUE (${min})`);
  if (start > max) {
    throw invalid(`START value (${start}) cannot be greater than MAXVALUE (${max})`);
  }
  let restartAt = seq.restartAt;
  if (options.restart !== undefined) {
    restartAt = options.restart ?? start;
    if (restartAt < min) {
      throw invalid(`RESTART value (${restartAt}) cannot be less than MINVALUE (${min})`);
    }
    if (restartAt > max) {
      throw invalid(`RESTART value (${restartAt}) cannot be greater than MAXVALUE (${max})`);
    }
  }
  const cache = options.cache ?? seq.cache;
  if (cache <= 0n) throw invalid(`CACHE (${cache}) must be greater than zero`);
  return { ...seq, type, increment, min, max, start, restartAt, cache,
    cycle: options.cycle ?? seq.cycle };
}

/** Resolves OWNED BY table.column (or NONE). */
function ownedBy(catalog: Catalog, path: readonly string[], seq: Sequence, names: string[]):
  Sequence["ownedBy"] {
  if (names.length === 1 && names[0] === "none") return null;
  if (names.length < 2) {
    throw new SqlError(SqlState.syntaxError, "invalid OWNED BY option",
      { hint: "Specify OWNED BY table.column or OWNED BY NONE." });
  }
  const column = names[names.length - 1]!;
  const table = names[names.length - 2]!;
  const schema = names.length > 2 ? names[names.length - 3] : undefined;
  const rel = catalog.findRelation(path, schema, table);
  if (rel === undefined) {
    throw new SqlError(SqlState.undefinedTable, `relation "${table}" does not exist`);
  }
  if (rel.schema !== seq.schema) {
    throw new SqlError(SqlState.objectNotInPrerequisiteState,
      "sequence must be in same schema as table it is linked to");
  }
  if (!rel.columns.some((c) => c.name === column && !c.dropped)) {
    throw new SqlError(SqlState.undefinedColumn,
      `column "${column}" of relation "${table}" does not exist`);
  }
  return { relationOid: rel.oid, column };
}
