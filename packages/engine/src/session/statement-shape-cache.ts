/**
 * The statement-shape cache: parses a simple-protocol statement without the parser when a
 * statement of the same shape (the same text up to its literals' values) was parsed before.
 * Clients that send their values inline (pgbench -M simple, ORMs without prepared statements)
 * repeat a few shapes with changing literals, and libpg-query's parse is a large share of such
 * a statement's cost.
 *
 *   UPDATE pgbench_accounts SET abalance = abalance + -4012 WHERE aid = 48213;
 *   shape:  UPDATE pgbench_accounts SET abalance = abalance + -\0I WHERE aid = \0I;
 *
 * `literal-scanner.ts` finds the shape. On a miss the text is parsed normally and a template is
 * made: the tree with each A_Const that a literal token produced tied to that literal (an
 * A_Const at a `-` just before the literal is the negated literal, gram.y's doNegate). On a hit
 * the template is copied with the new literals' A_Const values, and every `location` after a
 * literal moves by the change in the literals' lengths. The result is the tree the parser would
 * build: the tokens are the same up to the literals' values and their classes (ICONST, FCONST,
 * SCONST) are in the key, so the grammar takes the same path. The template is checked before
 * it is kept: it is made from a variant of the text whose literals have other values and
 * lengths, and copying it with the original literals must give exactly the original text's
 * parse. A shape that fails any check (a literal the grammar turned into something other than
 * an A_Const, say `float(24)`) is remembered as uncacheable and always parses normally.
 *
 * The cache answers the parse: analysis and planning see exactly the parser's tree, so the
 * literals keep their types (int4, int8 or numeric, unknown for strings) and every error.
 * Some shapes may also share one plan per session with their literals bound as parameters:
 * `literal-parameters.ts` says which, and `literal-plans.ts` checks and keeps those plans.
 */
import { parseStatements, type ParsedStatement, type ast } from "@tessera/sql";
import { scanShape, type ScannedLiteral, type StatementShape } from "./literal-scanner.js";
import { bindableConstants } from "./literal-parameters.js";
import { Oid } from "../catalog/types.js";

/** Shapes kept per process; past it the oldest is dropped (a Map keeps insertion order). */
export const shapeCacheEntriesMax = 1_000;
/** Trees nested deeper than this are not cached (the copy recurses). */
const templateDepthMax = 200;

/** Statement kinds whose shapes are cached: the ones clients repeat with new values. */
const cachedKinds = new Set(["SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt",
  "TransactionStmt"]);

/** Which literal an A_Const of the template comes from. */
interface Slot {
  readonly literal: number;
  readonly negated: boolean;
}

interface Template {
  readonly stmt: ast.Node;
  readonly location: number;
  readonly length: number;
  /** The literals of the text the template was parsed from. */
  readonly literals: readonly ScannedLiteral[];
  /** Keyed by the A_Const objects (the value of an `A_Const` key) of `stmt`. */
  readonly slots: ReadonlyMap<object, Slot>;
  /** The A_Const objects bound as $1, $2 … when a plan may be shared; else null. */
  readonly bound: ReadonlyMap<object, number> | null;
}

/** What the session needs to run a statement with its literals bound as parameters. */
export interface BindableShape {
  /** The shape: equal keys share a plan. */
  readonly key: string;
  /** The types of $1, $2 …: int4, as the literals (ICONST) are. */
  readonly paramTypes: readonly number[];
  /** The literals' values, in parameter order. */
  readonly values: readonly number[];
  /** The statement with $1, $2 … in place of the literals. */
  paramStatement(): ast.Node;
}

/** A simple query's statements, and its bindable shape when it has one. */
export interface SimpleParse {
  readonly statements: ParsedStatement[];
  readonly bindable?: BindableShape;
}

const shapes = new Map<string, Template | null>();
let hits = 0;

/**
 * Parses the text of a simple Query message as `parseStatements` does, from the shape cache
 * when it can. Syntax errors come from the parser, as before.
 */
export function parseSimpleQuery(sql: string): ParsedStatement[] {
  return parseSimpleQueryShaped(sql).statements;
}

/** `parseSimpleQuery`, with the statement's bindable shape when it has one. */
export function parseSimpleQueryShaped(sql: string): SimpleParse {
  const shape = scanShape(sql);
  if (shape === undefined) return { statements: parseStatements(sql) };
  let template = shapes.get(shape.key);
  if (template === null) return { statements: parseStatements(sql) };
  let statements: ParsedStatement[];
  if (template !== undefined) {
    hits++;
    statements = [instantiate(template, sql, shape, null)];
  } else {
    statements = parseStatements(sql);
    if (shapes.size >= shapeCacheEntriesMax) shapes.delete(shapes.keys().next().value!);
    template = checkedTemplate(sql, shape, statements);
    shapes.set(shape.key, template ?? null);
  }
  if (template === undefined || template.bound === null) return { statements };
  return { statements, bindable: bindableShape(template, template.bound, sql, shape) };
}

function bindableShape(template: Template, bound: ReadonlyMap<object, number>, sql: string,
  shape: StatementShape): BindableShape {
  const values = new Array<number>(bound.size);
  for (const [constant, index] of bound) {
    const slot = template.slots.get(constant)!;
    const literal = shape.literals[slot.literal]!;
    const value = Number(sql.slice(literal.start, literal.end));
    values[index] = slot.negated ? 0 - value : value;
  }
  return {
    key: shape.key,
    paramTypes: values.map(() => Oid.int4),
    values,
    paramStatement: () => instantiate(template, sql, shape, bound).stmt,
  };
}

/** Counts for tests: how many shapes are kept, how many parses the cache answered. */
export function shapeCacheStats(): { readonly shapes: number; readonly hits: number } {
  return { shapes: shapes.size, hits };
}

/** Makes the template of a statement just parsed, or undefined when it cannot be trusted. */
function checkedTemplate(sql: string, shape: StatementShape,
  statements: readonly ParsedStatement[]): Template | undefined {
  if (statements.length !== 1) return undefined;
  const parsed = statements[0]!;
  if (!cachedKinds.has(Object.keys(parsed.stmt)[0] ?? "")) return undefined;
  const variantSql = variantText(sql, shape.literals);
  const variantShape = scanShape(variantSql);
  if (variantShape === undefined || variantShape.key !== shape.key) return undefined;
  let variant: ParsedStatement[];
  try {
    variant = parseStatements(variantSql);
  } catch {
    return undefined;
  }
  if (variant.length !== 1) return undefined;
  const template = makeTemplate(variantSql, variantShape.literals, variant[0]!);
  if (template === undefined) return undefined;
  const again = instantiate(template, sql, shape, null);
  const same = again.location === parsed.location && again.length === parsed.length &&
    again.text === parsed.text && sameJson(again.stmt, parsed.stmt);
  if (!same) return undefined;
  const bound = bindableConstants(template.stmt, template.literals, template.slots);
  return { ...template, bound: bound === null ? null : new Map(bound.map((c, i) => [c, i])) };
}

/** The text with every literal replaced by another of its class, of another length. */
function variantText(sql: string, literals: readonly ScannedLiteral[]): string {
  let text = "";
  let from = 0;
  for (const literal of literals) {
    const length = literal.end - literal.start;
    const other = literal.kind === "iconst" ? (length === 1 ? "42" : "7")
      : literal.kind === "fconst" ? (length === 3 ? "12.25" : "2.5")
      : (length === 3 ? "'v''w'" : "'v'");
    text += sql.slice(from, literal.start) + other;
    from = literal.end;
  }
  return text + sql.slice(from);
}

/**
 * Ties each A_Const of the tree to the literal it was made from. Fails when a literal made no
 * A_Const, or an A_Const sits inside a literal or does not hold the literal's value.
 */
function makeTemplate(sql: string, literals: readonly ScannedLiteral[],
  parsed: ParsedStatement): Template | undefined {
  const byStart = new Map(literals.map((l, i) => [l.start, i]));
  const slots = new Map<object, Slot>();
  const covered = new Set<number>();
  let ok = true;
  const visit = (value: unknown, depth: number): void => {
    if (!ok || typeof value !== "object" || value === null) return;
    if (depth > templateDepthMax) {
      ok = false;
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      if (key === "A_Const" && typeof item === "object" && item !== null) {
        const slot = slotOf(sql, literals, byStart, item as ast.A_Const);
        if (slot === null) ok = false;
        if (slot === null || slot === undefined) continue;
        slots.set(item, slot);
        covered.add(slot.literal);
      } else {
        visit(item, depth + 1);
      }
    }
  };
  visit(parsed.stmt, 0);
  if (!ok || covered.size !== literals.length) return undefined;
  return { stmt: parsed.stmt, location: parsed.location, length: parsed.length, literals,
    slots, bound: null };
}

/**
 * The literal an A_Const comes from: undefined when it comes from no literal (TRUE, a keyword
 * the grammar turns into a constant), null when it cannot be trusted.
 */
function slotOf(sql: string, literals: readonly ScannedLiteral[],
  byStart: ReadonlyMap<number, number>, constant: ast.A_Const): Slot | null | undefined {
  const location = constant.location ?? -1;
  let slot: Slot | undefined;
  const direct = byStart.get(location);
  if (direct !== undefined) {
    slot = { literal: direct, negated: false };
  } else if (sql[location] === "-") {
    let next = location + 1;
    while (/\s/.test(sql[next] ?? "")) next++;
    const negated = byStart.get(next);
    if (negated !== undefined) slot = { literal: negated, negated: true };
  }
  if (slot === undefined) {
    const inside = literals.some((l) => location >= l.start && location < l.end);
    return inside ? null : undefined;
  }
  const expected = constantOf(sql, literals[slot.literal]!, slot.negated, location);
  return sameJson(expected, constant) ? slot : null;
}

/** The A_Const the grammar makes of a literal (negated: gram.y's doNegate). */
function constantOf(sql: string, literal: ScannedLiteral, negated: boolean,
  location: number): ast.A_Const {
  const text = sql.slice(literal.start, literal.end);
  if (literal.kind === "iconst") {
    const value = negated ? -Number(text) : Number(text);
    // libpg-query leaves out zero fields, as its JSON output of an Integer 0 shows.
    return { ival: value === 0 ? {} : { ival: value }, location };
  }
  if (literal.kind === "fconst") return { fval: { fval: negated ? `-${text}` : text }, location };
  return { sval: { sval: text.slice(1, -1).replaceAll("''", "'") }, location };
}

/**
 * Copies the template for `sql`, whose literals are `shape.literals`; the A_Consts in `params`
 * become ParamRefs ($1 is 0).
 */
function instantiate(template: Template, sql: string, shape: StatementShape,
  params: ReadonlyMap<object, number> | null): ParsedStatement {
  const from = template.literals;
  const to = shape.literals;
  const starts: number[] = [];
  const deltas: number[] = [];
  let total = 0;
  for (let i = 0; i < from.length; i++) {
    const delta = (to[i]!.end - to[i]!.start) - (from[i]!.end - from[i]!.start);
    starts.push(from[i]!.start);
    deltas.push(delta);
    total += delta;
  }
  const copier = new TemplateCopier(template, sql, to, starts, deltas, params);
  const location = copier.shift(template.location);
  const length = template.length + total;
  return { stmt: copier.copy(template.stmt) as ast.Node, location, length,
    text: sql.slice(location, location + length).trim() };
}

/** One copy of a template: moves locations, puts in the new literals. */
class TemplateCopier {
  constructor(
    private readonly template: Template,
    private readonly sql: string,
    private readonly literals: readonly ScannedLiteral[],
    private readonly starts: readonly number[],
    private readonly deltas: readonly number[],
    private readonly params: ReadonlyMap<object, number> | null,
  ) {}

  /** Moves a location of the template's text to the same token of `sql`. */
  shift(location: number): number {
    let moved = location;
    const starts = this.starts;
    for (let i = 0; i < starts.length && starts[i]! < location; i++) moved += this.deltas[i]!;
    return moved;
  }

  copy(value: unknown): unknown {
    if (typeof value !== "object" || value === null) return value;
    if (Array.isArray(value)) {
      const out = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) out[i] = this.copy(value[i]);
      return out;
    }
    const record = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key in record) {
      const item = record[key];
      if (typeof item === "object" && item !== null) {
        if (key === "A_Const") return this.constant(item as ast.A_Const);
        out[key] = this.copy(item);
      } else {
        out[key] = key === "location" && typeof item === "number" && item >= 0
          ? this.shift(item) : item;
      }
    }
    return out;
  }

  /** The node in place of `{ A_Const: constant }` (an A_Const is the only key of its node). */
  private constant(constant: ast.A_Const): unknown {
    const location = this.shift(constant.location ?? -1);
    const slot = this.template.slots.get(constant);
    if (slot === undefined) return { A_Const: this.copy(constant) };
    const param = this.params?.get(constant);
    if (param !== undefined) return { ParamRef: { number: param + 1, location } };
    return { A_Const: constantOf(this.sql, this.literals[slot.literal]!, slot.negated, location) };
  }
}

/** Deep equality of JSON values, ignoring key order. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  const recordB = b as Record<string, unknown>;
  const recordA = a as Record<string, unknown>;
  return keysA.every((k) => Object.hasOwn(recordB, k) && sameJson(recordA[k], recordB[k]));
}
