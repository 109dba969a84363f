/**
 * Exclusion constraints, as PostgreSQL 15 defines them (DefineIndex with exclusion operators):
 *
 *     EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (not cancelled)
 *
 * Two rows conflict when every operator returns true between their keys. The constraint is an
 * index with a constraint name (pg_constraint contype 'x', pg_index.indisexclusion), named
 * `<table>_<columns>_excl`. A btree or hash one over plain columns holds entries like any
 * index; a gist or spgist one is only recorded (`access-methods.ts`), so the check the writer
 * makes (`execute/exclusion-check.ts`) compiles its own key and operator closures here.
 *
 * The checks DefineIndex makes are kept, in its order, with its messages: the operator class
 * of each key (42704 "no default operator class" for `gist (id WITH =)` on an integer without
 * btree_gist), the operator's existence, that it is its own commutator, and that it belongs to
 * the operator class's family.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import { typeByOid, type ast, type Row, type Value } from "@tessera/sql";
import { analyzeExpr, asBoolean } from "../analyze/expr-analyze.js";
import type { Expr } from "../analyze/expr.js";
import { makeOperator } from "../analyze/expr-ops.js";
import { tableItem } from "../analyze/modify-target.js";
import { Scope, type StatementScope } from "../analyze/scope.js";
import { compileExpr, type Compiled } from "../execute/compile.js";
import type { Runtime } from "../execute/runtime.js";
import { quoteIdent } from "../plan/explain-deparse.js";
import { resolveOpclass, type IndexMethod, type OperatorClass } from "./access-methods.js";
import { operatorsNamed } from "./builtins.js";
import type { Catalog } from "./catalog.js";
import { createIndex } from "./indexes.js";
import type { ComputedKey, Index, Relation } from "./relation.js";
import { catalogView, storedExprText } from "./system-catalogs/object-defs.js";
import { outputValue } from "./type-io.js";
import { Oid, formatTypeName, isPolymorphic, typeInfo } from "./types.js";
import { extensionsOf } from "../ddl/extensions.js";

/** What an exclusion constraint's index adds: its operators and compiled checks. */
export interface ExclusionSpec {
  readonly method: IndexMethod;
  /** Per key element: the operator's name ("&&", "="). */
  readonly operators: readonly string[];
  /** pg_constraint.conexclop: per key element the operator's OID (0 where not known). */
  readonly operatorOids: readonly number[];
  /** Per key element: the column position, or -1 for an expression. */
  readonly columns: readonly number[];
  /** Per key element: the expression's text (pg_get_indexdef's), or null for a column. */
  readonly exprTexts: readonly (string | null)[];
  /** Per key element: the expression's pretty text, DETAIL lines name it so, or null. */
  readonly detailTexts: readonly (string | null)[];
  /** The key elements' types, for DETAIL values. */
  readonly types: readonly number[];
  /** The raw key expressions (null for a column) and WHERE, for pretty printing. */
  readonly exprs: readonly (ast.Node | null)[];
  readonly predicate: ast.Node | null;
  /** The WHERE as pg_get_constraintdef prints it, or null. */
  readonly predicateText: string | null;
  /** The key of a stored row, or null when the WHERE leaves the row out. */
  readonly keyOf: (row: Row, rt: Runtime) => Value[] | null;
  /** True when every operator returns true between the two keys. */
  readonly conflicts: (a: readonly Value[], b: readonly Value[], rt: Runtime) => boolean;
  /** `conflicts(key, keyOf(row))`, without building the stored row's key when it can. */
  readonly conflictsRow: (key: readonly Value[], row: Row, rt: Runtime) => boolean;
  /**
   * True when the index holds every row's key though its method is not scanned (a gist
   * constraint whose first element is `=`): the writer finds candidates by that prefix.
   */
  readonly indexed: boolean;
}

/** The methods whose indexes could back an exclusion constraint (amgettuple). */
const exclusionMethods: readonly IndexMethod[] = ["btree", "hash", "gist", "spgist"];

/** Operators that are their own commutator (get_commutator(op) = op). */
const selfCommutators = new Set(["=", "<>", "&&", "-|-", "~=", "<->", "?#", "?||", "?-|"]);

/** Commutative operators of each operator family by opfamily OID; others hold only `=`. */
const familyMembers: ReadonlyMap<number, ReadonlySet<string>> = new Map([
  [3919, new Set(["&&", "=", "-|-"])], [3474, new Set(["&&", "=", "-|-"])],
  [-1, new Set(["=", "<>"])],
]);

/** Family names for the 42809 message (pg_opfamily.opfname). */
const familyNames: ReadonlyMap<number, string> = new Map([
  [1976, "integer_ops"], [1977, "integer_ops"], [1994, "text_ops"], [1995, "text_ops"],
  [1970, "float_ops"], [1971, "float_ops"], [1988, "numeric_ops"], [1998, "numeric_ops"],
  [434, "datetime_ops"], [435, "date_ops"], [3901, "range_ops"], [3903, "range_ops"],
  [3919, "range_ops"], [3474, "range_ops"], [2968, "uuid_ops"], [2969, "uuid_ops"],
]);

/** OIDs of common exclusion operators (`=` and `<>` by type; range ones for any range). */
const operatorOidTable: ReadonlyMap<string, number> = new Map([
  ["&&:range", 3888], ["-|-:range", 3897], ["=:range", 3882], ["<>:range", 3883],
  ["=:23", 96], ["=:20", 410], ["=:21", 94], ["=:25", 98], ["=:1082", 1093],
  ["=:1114", 2060], ["=:1184", 1320], ["=:1700", 1752], ["=:2950", 2972], ["=:1043", 98],
  ["<>:23", 518], ["<>:20", 411], ["<>:21", 519], ["<>:25", 531], ["<>:1043", 531],
]);

const rangeTypes = new Set([3904, 3906, 3908, 3910, 3912, 3926]);

interface Element {
  readonly column: number;
  readonly expr: ast.Node | null;
  readonly analyzed: Expr;
  readonly operator: string;
  readonly opclass: OperatorClass;
}

/** Adds an EXCLUDE constraint to `rel` (CREATE TABLE and ALTER TABLE ADD CONSTRAINT). */
export function addExclusion(catalog: Catalog, rel: Relation, c: ast.Constraint,
  statement: StatementScope | undefined, rt?: Runtime): Index {
  if (statement === undefined) throw notSupported("EXCLUDE constraints here");
  const methodName = c.access_method ?? "btree";
  const method = exclusionMethods.find((m) => m === methodName);
  if (method === undefined) {
    const known = ["gin", "brin"].includes(methodName);
    throw known ? new SqlError(SqlState.featureNotSupported,
      `access method "${methodName}" does not support exclusion constraints`)
      : new SqlError(SqlState.undefinedObject, `access method "${methodName}" does not exist`);
  }
  if ((c.including ?? []).length > 0) throw notSupported("INCLUDE in exclusion constraints");
  if (rel.partitionKey !== undefined) throw exclusionOnPartitioned();
  const scope = new Scope({ ...statement, path: [rel.schema, ...statement.path] }, undefined);
  scope.items.push(tableItem(rel, rel.name, 0));
  const elements = (c.exclusions ?? []).map((node) => element(rel, method, node, scope));
  if (elements.length > 1 && method === "hash") {
    throw new SqlError(SqlState.featureNotSupported,
      'access method "hash" does not support multicolumn indexes');
  }
  const view = catalogView(catalog, statement.ctx);
  const exprTexts = elements.map((e) => (e.expr === null ? null
    : storedExprText(view, rel, e.expr, false)));
  const where = c.where_clause ?? null;
  const predicate = where === null ? null
    : compileExpr(asBoolean(analyzeExpr(where, scope), "WHERE", scope));
  const parts: Compiled[] = elements.map((e) => compileExpr(e.analyzed));
  const keyOf = (row: Row, runtime: Runtime): Value[] | null => {
    if (predicate !== null && predicate(row, runtime) !== true) return null;
    return parts.map((part) => part(row, runtime));
  };
  const columns = elements.map((e) => e.column);
  const types = elements.map((e) => e.analyzed.type);
  const name = c.conname ?? defaultExclusionName(catalog, rel, c);
  const plain = (method === "btree" || method === "hash") && where === null &&
    !columns.includes(-1);
  const predicateText = where === null ? null : storedExprText(view, rel, where, false);
  const indexed = !plain && elements[0]?.operator === "=" &&
    types.every((t) => typeByOid(t)?.sortable === true);
  const computed: ComputedKey | undefined = plain ? undefined : {
    exprs: elements.map((e) => e.expr), predicate: where, predicateText,
    names: elements.map((e, k) => exprTexts[k] ?? rel.columns[e.column]!.name), types,
    keyOf: indexed ? keyOf : () => null,
  };
  const { conflicts, conflictsRow } = compiledConflicts(elements, scope, keyOf,
    where === null && !columns.includes(-1) ? columns : null);
  const index = createIndex(catalog, rel, name, columns, false, false, true,
    computed === undefined ? undefined : { key: computed, rt: rt! }, undefined,
    { method, opclasses: elements.map((e) => e.opclass.oid) });
  index.exclusion = { method, operators: elements.map((e) => e.operator),
    operatorOids: elements.map((e) => operatorOid(e.operator, e.analyzed.type)), columns,
    exprTexts, detailTexts: elements.map((e) => (e.expr === null ? null
      : storedExprText(view, rel, e.expr, true))), types, exprs: elements.map((e) => e.expr),
    predicate: where, predicateText, keyOf, conflicts, conflictsRow, indexed };
  // DEFERRABLE: checked at the end of the statement or transaction (`exclusion-check.ts`).
  if (c.deferrable === true || c.initdeferred === true) index.deferrable = true;
  if (c.initdeferred === true) index.initDeferred = true;
  return index;
}

/** One `key WITH op` element: its column or expression, operator class and operator. */
function element(rel: Relation, method: IndexMethod, node: ast.Node, scope: Scope): Element {
  const items = "List" in node ? node.List.items ?? [] : [];
  const elem = items[0] !== undefined && "IndexElem" in items[0] ? items[0].IndexElem : undefined;
  const opList = items[1] !== undefined && "List" in items[1] ? items[1].List.items ?? [] : [];
  if (elem === undefined) throw notSupported("this exclusion element");
  const opNames = opList.map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  const operator = opNames[opNames.length - 1] ?? "";
  if (opNames.length > 2 || (opNames.length === 2 && opNames[0] !== "pg_catalog")) {
    throw notSupported(`operator ${opNames.join(".")} in an exclusion constraint`);
  }
  let column = -1;
  let analyzed: Expr;
  if (elem.name !== undefined) {
    column = rel.columns.findIndex((col) => col.name === elem.name && !col.dropped);
    if (column < 0) {
      throw new SqlError(SqlState.undefinedColumn, `column "${elem.name}" named in key ` +
        "does not exist");
    }
    const col = rel.columns[column]!;
    analyzed = { kind: "var", index: column, type: col.type, typmod: col.typmod,
      name: `${rel.name}.${col.name}`, tableOid: rel.oid, attnum: column + 1 };
  } else {
    analyzed = analyzeExpr(elem.expr!, scope);
  }
  const classNames = (elem.opclass ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  const opclass = btreeGistClass(scope.statement.catalog, method, analyzed.type, classNames) ??
    resolveOpclass(method, analyzed.type, classNames);
  checkOperator(method, operator, analyzed.type, opclass, scope);
  return { column, expr: elem.name !== undefined ? null : elem.expr!, analyzed, operator,
    opclass };
}

/** The scalar types btree_gist gives a gist operator class (gist_int4_ops …), by typname. */
const btreeGistTypes = new Set(["int2", "int4", "int8", "float4", "float8", "numeric", "text",
  "bpchar", "bytea", "date", "time", "timetz", "timestamp", "timestamptz", "interval", "oid",
  "uuid", "bool", "inet", "cidr"]);

/** The family marker of btree_gist's classes: `=` and `<>` serve exclusion constraints. */
const btreeGistFamily = -1;

/**
 * With the btree_gist extension, a gist key of a scalar type takes its class: the default
 * one, or the one named (`gist_int4_ops`). Undefined otherwise (ResolveOpClass decides).
 */
export function btreeGistClass(catalog: Catalog, method: IndexMethod, type: number,
  names: readonly string[]): OperatorClass | undefined {
  if (method !== "gist" || !extensionsOf(catalog).some(([n]) => n === "btree_gist")) {
    return undefined;
  }
  const typname = type === Oid.varchar ? "text" : typeInfo(type).name;
  if (!btreeGistTypes.has(typname)) return undefined;
  const name = `gist_${typname}_ops`;
  if (names.length > 0 && names[names.length - 1] !== name) return undefined;
  return { oid: 0, method, name, family: btreeGistFamily, inputType: type, isDefault: true,
    keyType: 0 };
}

/** The operator's existence, commutativity and family (ComputeIndexAttrs's order). */
function checkOperator(method: IndexMethod, operator: string, type: number,
  opclass: OperatorClass, scope: Scope): void {
  const operand = (index: number): Expr => ({ kind: "var", index, type, typmod: -1,
    name: "x", tableOid: 0, attnum: 0 });
  makeOperator(operator, operand(0), operand(1), scope, undefined, false);
  const signature = operatorSignature(operator, type);
  if (!selfCommutators.has(operator)) {
    throw new SqlError(SqlState.wrongObjectType, `operator ${signature} is not commutative`,
      { detail: "Only commutative operators can be used in exclusion constraints." });
  }
  const members = familyMembers.get(opclass.family) ?? new Set(["="]);
  if (!members.has(operator)) {
    const family = familyNames.get(opclass.family) ?? opclass.name;
    throw new SqlError(SqlState.wrongObjectType,
      `operator ${signature} is not a member of operator family "${family}"`,
      { detail: "The exclusion operator must be related to the index operator class for " +
        "the constraint." });
  }
  if (method !== "btree" && method !== "hash" && !familyMembers.has(opclass.family)) {
    throw notSupported(`exclusion constraints with operator class ${opclass.name}`);
  }
}

/** format_operator's `&&(anyrange,anyrange)`: the declared operand types. */
function operatorSignature(operator: string, type: number): string {
  if (rangeTypes.has(type)) return `${operator}(anyrange,anyrange)`;
  const defs = operatorsNamed(operator);
  const def = defs.find((d) => d.left === type && d.right === type) ??
    defs.find((d) => isPolymorphic(d.left) && isPolymorphic(d.right));
  const left = def?.left ?? type;
  const right = def?.right ?? type;
  return `${operator}(${formatTypeName(left, -1)},${formatTypeName(right, -1)})`;
}

function operatorOid(operator: string, type: number): number {
  const key = `${operator}:${rangeTypes.has(type) ? "range" : String(type)}`;
  return operatorOidTable.get(key) ?? 0;
}

/**
 * Compiles `a[0] op0 b[0] AND …` over the row [...a, ...b], into one buffer reused by every
 * call (operators do not reenter). `columns` are the key's column positions when the key is
 * plain columns without WHERE, so a stored row's key is read in place.
 */
function compiledConflicts(elements: readonly Element[], scope: Scope,
  keyOf: ExclusionSpec["keyOf"], columns: readonly number[] | null):
  Pick<ExclusionSpec, "conflicts" | "conflictsRow"> {
  const n = elements.length;
  const buffer: Value[] = new Array<Value>(2 * n).fill(null);
  const tests = elements.map((e, k) => {
    const operand = (index: number): Expr => ({ kind: "var", index, type: e.analyzed.type,
      typmod: e.analyzed.typmod, name: "k", tableOid: 0, attnum: 0 });
    return compileExpr(makeOperator(e.operator, operand(k), operand(n + k), scope, undefined,
      false));
  });
  const run = (rt: Runtime): boolean => {
    for (const test of tests) if (test(buffer, rt) !== true) return false;
    return true;
  };
  const conflicts = (a: readonly Value[], b: readonly Value[], rt: Runtime): boolean => {
    for (let k = 0; k < n; k++) {
      buffer[k] = a[k]!;
      buffer[n + k] = b[k]!;
    }
    return run(rt);
  };
  const conflictsRow = (key: readonly Value[], row: Row, rt: Runtime): boolean => {
    if (columns === null) {
      const other = keyOf(row, rt);
      return other !== null && !other.includes(null) && conflicts(key, other, rt);
    }
    for (let k = 0; k < n; k++) {
      buffer[k] = key[k]!;
      buffer[n + k] = row[columns[k]!] ?? null;
    }
    return run(rt);
  };
  return { conflicts, conflictsRow };
}

/** PostgreSQL 15 has no exclusion constraints on partitioned tables. */
export function exclusionOnPartitioned(): SqlError {
  return new SqlError(SqlState.featureNotSupported,
    "exclusion constraints are not supported on partitioned tables");
}

/**
 * ChooseConstraintName(table, ChooseIndexColumnNames, "excl"): t_a_b_excl, t_a_b_excl1. The
 * coordinator names an unnamed constraint with it before sending it to shards, as Citus does.
 */
export function defaultExclusionName(catalog: Catalog, rel: Relation, c: ast.Constraint):
  string {
  const parts = (c.exclusions ?? []).map((node) => {
    const first = "List" in node ? node.List.items?.[0] : undefined;
    const elem = first !== undefined && "IndexElem" in first ? first.IndexElem : undefined;
    return elem?.name ?? exprName(elem?.expr ?? null);
  });
  const base = `${rel.name}_${parts.join("_")}_excl`;
  let name = base;
  for (let i = 1; catalog.nameTaken(rel.schema, name); i++) name = `${base}${i}`;
  return name;
}

function exprName(expr: ast.Node | null): string {
  if (expr !== null && "FuncCall" in expr) {
    const last = (expr.FuncCall.funcname ?? []).at(-1);
    if (last !== undefined && "String" in last) return last.String.sval ?? "expr";
  }
  return "expr";
}

/** The constraint as a parse tree (CREATE TABLE … LIKE … INCLUDING INDEXES copies it). */
export function exclusionConstraintNode(rel: Relation, index: Index): ast.Constraint {
  const spec = index.exclusion!;
  const exclusions: ast.Node[] = spec.columns.map((p, k) => ({ List: { items: [
    { IndexElem: p >= 0 ? { name: rel.columns[p]!.name } : { expr: spec.exprs[k]! } },
    { List: { items: [{ String: { sval: spec.operators[k]! } }] } }] } }));
  return { contype: "CONSTR_EXCLUSION", access_method: spec.method, exclusions,
    ...(spec.predicate !== null && { where_clause: spec.predicate }),
    ...(index.deferrable === true && { deferrable: true }),
    ...(index.initDeferred === true && { initdeferred: true }) };
}

/** The key elements' texts for DETAIL lines and definitions: "during", "tstzrange(a, b)". */
export function exclusionKeyNames(rel: Relation, spec: ExclusionSpec): string[] {
  return spec.columns.map((p, k) => (p >= 0 ? quoteIdent(rel.columns[p]!.name)
    : spec.exprTexts[k] ?? "?"));
}

/**
 * pg_get_constraintdef: `EXCLUDE USING gist (during WITH &&) WHERE ((id > 0))`. `render`
 * prints a stored expression (pretty for psql's \d); without it the texts kept at creation.
 */
export function exclusionConstraintDef(rel: Relation, index: Index,
  render?: (expr: ast.Node) => string): string {
  const spec = index.exclusion!;
  const keys = exclusionKeyNames(rel, spec).map((stored, k) => {
    const raw = spec.exprs[k] ?? null;
    const text = raw !== null && render !== undefined ? render(raw) : stored;
    const callLike = raw !== null && ("FuncCall" in raw || "CoalesceExpr" in raw ||
      "MinMaxExpr" in raw || "SQLValueFunction" in raw);
    return `${raw !== null && !callLike ? `(${text})` : text} WITH ${spec.operators[k]}`;
  });
  const predicate = spec.predicate !== null && render !== undefined ? render(spec.predicate)
    : spec.predicateText;
  const where = predicate === null ? "" : ` WHERE (${predicate})`;
  const timing = (index.deferrable === true ? " DEFERRABLE" : "") +
    (index.initDeferred === true ? " INITIALLY DEFERRED" : "");
  return `EXCLUDE USING ${spec.method} (${keys.join(", ")})${where}${timing}`;
}

function keyText(rel: Relation, spec: ExclusionSpec, key: readonly Value[]): string {
  const fmt = { setting: () => "" };
  const values = key.map((v, k) => (v === null ? "null" : outputValue(spec.types[k]!, v, fmt)));
  const names = spec.columns.map((p, k) => (p >= 0 ? quoteIdent(rel.columns[p]!.name)
    : spec.detailTexts[k] ?? "?"));
  return `(${names.join(", ")})=(${values.join(", ")})`;
}

/** 23P01 for a written row (check_exclusion_or_unique_constraint). */
export function exclusionViolation(rel: Relation, index: Index, key: readonly Value[],
  existing: readonly Value[]): SqlError {
  const spec = index.exclusion!;
  return new SqlError(SqlState.exclusionViolation,
    `conflicting key value violates exclusion constraint "${index.name}"`,
    { detail: `Key ${keyText(rel, spec, key)} conflicts with existing key ` +
      `${keyText(rel, spec, existing)}.`, schema: rel.schema, table: rel.name,
      constraint: index.name });
}

/** 23P01 while the constraint is built over stored rows (ALTER TABLE ADD CONSTRAINT). */
export function exclusionBuildViolation(rel: Relation, index: Index, key: readonly Value[],
  existing: readonly Value[]): SqlError {
  const spec = index.exclusion!;
  return new SqlError(SqlState.exclusionViolation,
    `could not create exclusion constraint "${index.name}"`,
    { detail: `Key ${keyText(rel, spec, key)} conflicts with key ${keyText(rel, spec, existing)}.`,
      schema: rel.schema, table: rel.name, constraint: index.name });
}
