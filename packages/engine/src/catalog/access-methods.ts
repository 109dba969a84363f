/**
 * Index access methods and operator classes, as PostgreSQL 15's pg_am and pg_opclass hold them,
 * and the checks DefineIndex makes with them: which method a CREATE INDEX names, what the
 * method allows (UNIQUE, several columns, ASC/DESC, INCLUDE), and which operator class each
 * key column gets (the one named, or its type's default for the method).
 *
 * btree and hash are real: a hash index is a B-tree the planner uses for equality only. gist,
 * gin, brin and spgist indexes are recorded in the catalogs (and sent to shards) but hold no
 * entries and are never scanned, so queries read the table as if they were absent.
 */
import { SqlError, SqlState } from "@tessera/base";
import { multirangeRangeOid } from "@tessera/sql";
import { opclassLines } from "./opclass-table.js";
import { Oid, formatTypeName, typeInfo } from "./types.js";

export type IndexMethod = "btree" | "hash" | "gist" | "gin" | "spgist" | "brin";

export interface AccessMethod {
  readonly oid: number;
  readonly name: string;
  /** pg_am.amhandler: the handler function's OID. */
  readonly handler: number;
  readonly type: "t" | "i";
  readonly canOrder: boolean;
  readonly canUnique: boolean;
  readonly canMulticol: boolean;
  readonly canInclude: boolean;
}

const am = (oid: number, name: string, handler: number, flags: string): AccessMethod => ({
  oid, name, handler, type: name === "heap" ? "t" : "i", canOrder: flags.includes("o"),
  canUnique: flags.includes("u"), canMulticol: flags.includes("m"),
  canInclude: flags.includes("i") });

/** pg_am's rows, in OID order. */
export const accessMethods: readonly AccessMethod[] = [
  am(2, "heap", 3, ""), am(403, "btree", 330, "oumi"), am(405, "hash", 331, ""),
  am(783, "gist", 332, "mi"), am(2742, "gin", 333, "m"), am(3580, "brin", 335, "m"),
  am(4000, "spgist", 334, "i"),
];

export interface OperatorClass {
  readonly oid: number;
  readonly method: IndexMethod;
  readonly name: string;
  readonly family: number;
  /** The input type; 2277 anyarray, 3500 anyenum, 2249 record. */
  readonly inputType: number;
  readonly isDefault: boolean;
  /** The stored key type (pg_opclass.opckeytype): 0 the input type, 2283 the element type. */
  readonly keyType: number;
}

/** pg_opclass's rows, by access method then name. */
export const operatorClasses: readonly OperatorClass[] = Object.entries(opclassLines)
  .flatMap(([method, lines]) => lines.trim().split("\n").map((line): OperatorClass => {
    const [oid, name, family, input, dflt, key] = line.trim().split(" ");
    return { oid: Number(oid), method: method as IndexMethod, name: name!,
      family: Number(family), inputType: Number(input), isDefault: dflt === "d",
      keyType: Number(key) };
  }));

const anyarray = 2277;
const anyenum = 3500;
const anyelement = 2283;
const anyrange = 3831;
/** regproc, regprocedure, regclass, regtype, regnamespace, regrole: binary-coercible to oid. */
const regTypes = new Set([Oid.regproc, 2202, Oid.regclass, Oid.regtype, 4089, 4096]);

/** Returns the access method named `name`, or undefined. */
export function accessMethodNamed(name: string): AccessMethod | undefined {
  return accessMethods.find((m) => m.name === name);
}

/** Returns the access method with `oid` (an index's method is always known). */
export function accessMethodOid(method: IndexMethod | undefined): number {
  return accessMethodNamed(method ?? "btree")!.oid;
}

/**
 * The type an operator class must take for a column of `type` when none takes it exactly:
 * the binary-coercible input PostgreSQL would accept (varchar as text, cidr as inet, the
 * reg* types as oid, arrays as anyarray, enums as anyenum), or `type` itself.
 */
function coercibleInput(type: number): number {
  if (type === Oid.varchar) return Oid.text;
  if (type === Oid.cidr) return Oid.inet;
  if (regTypes.has(type)) return Oid.oid;
  const info = typeInfo(type);
  if (info.category === "A" && info.elem !== 0 && type !== 22 && type !== 30) {
    return anyarray;
  }
  if (info.category === "E") return anyenum;
  if (info.category === "R" && multirangeRangeOid(type) === undefined) return anyrange;
  return type;
}

/** The default operator class of `method` for `type` (GetDefaultOpClass), or undefined. */
export function defaultOpclass(method: IndexMethod, type: number): OperatorClass | undefined {
  const defaults = operatorClasses.filter((c) => c.method === method && c.isDefault);
  return defaults.find((c) => c.inputType === type) ??
    defaults.find((c) => c.inputType === coercibleInput(type));
}

/** Returns the operator class with `oid`, or undefined. */
export function operatorClass(oid: number): OperatorClass | undefined {
  return operatorClasses.find((c) => c.oid === oid);
}

/**
 * The operator class of a key column of `type` (ResolveOpClass): the one `names` gives
 * (`jsonb_path_ops`, `pg_catalog.text_pattern_ops`), or the type's default for the method.
 */
export function resolveOpclass(method: IndexMethod, type: number,
  names: readonly string[] | undefined): OperatorClass {
  if (names === undefined || names.length === 0) {
    const found = defaultOpclass(method, type);
    if (found !== undefined) return found;
    throw new SqlError(SqlState.undefinedObject, `data type ${formatTypeName(type, -1)} has ` +
      `no default operator class for access method "${method}"`, { hint: "You must specify " +
      "an operator class for the index or define a default operator class for the data type." });
  }
  const name = names[names.length - 1]!;
  const schemaOk = names.length === 1 || (names.length === 2 && names[0] === "pg_catalog");
  const found = schemaOk
    ? operatorClasses.find((c) => c.method === method && c.name === name) : undefined;
  if (found === undefined) {
    throw new SqlError(SqlState.undefinedObject,
      `operator class "${names.join(".")}" does not exist for access method "${method}"`);
  }
  if (found.inputType !== type && found.inputType !== coercibleInput(type)) {
    throw new SqlError(SqlState.datatypeMismatch, `operator class "${names.join(".")}" ` +
      `does not accept data type ${formatTypeName(type, -1)}`);
  }
  return found;
}

/**
 * The type an index stores for a key column of `type` with operator class `opclass`
 * (pg_attribute.atttypid of the index): integer for hash (its amkeytype: it keeps hash
 * codes), else the class's key type when it has one.
 */
export function indexKeyType(method: IndexMethod | undefined, opclass: number | undefined,
  type: number): number {
  if (method === "hash") return Oid.int4;
  const found = opclass === undefined ? undefined : operatorClass(opclass);
  if (found === undefined || found.keyType === 0 || found.keyType === found.inputType) {
    return type;
  }
  if (found.keyType === anyelement) return typeInfo(type).elem || type;
  return found.keyType;
}

/** The text pg_get_indexdef adds after a key: " jsonb_path_ops" unless it is the default. */
export function opclassSuffix(method: IndexMethod, opclass: number | undefined,
  type: number): string {
  if (opclass === undefined || opclass === 0) return "";
  if (defaultOpclass(method, type)?.oid === opclass) return "";
  const found = operatorClass(opclass);
  return found === undefined ? "" : ` ${found.name}`;
}

/** True for the methods whose indexes hold entries and may be scanned (btree, hash). */
export function isScannedMethod(method: IndexMethod): boolean {
  return method === "btree" || method === "hash";
}
