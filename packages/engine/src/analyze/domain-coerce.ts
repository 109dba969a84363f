/**
 * Values becoming a domain and domains read as their base type, as Postgres's
 * parse_coerce.c does with CoerceToDomain and RelabelType:
 *
 *   '5'::posint      -> the text read as integer, then posint's constraints checked
 *   d + 1            -> d relabeled to integer; the operator resolves on integer
 *   int[] -> posint[] -> the array converted to integer[], each element checked
 *
 * A check is a call node of the domain's type (not strict: NOT NULL sees nulls) that runs the
 * domain's constraints, NOT NULL first, then each layer's CHECKs from the innermost base
 * domain out, by name within a layer (load_domaintype_info). CHECK expressions are analyzed
 * with the column reference `value` standing for the value (VALUE in CREATE DOMAIN), compiled
 * once per domain version, and evaluated in the running statement's runtime. Rows written to
 * a table are checked again (`domainColumnChecks`), which covers COPY and missing columns.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast, PgArray, Value } from "@tessera/sql";
import type { Catalog } from "../catalog/catalog.js";
import {
  anyDomains, baseTypeOf, domainChain, domainOf, domainOfArray, type DomainType,
} from "../catalog/domains.js";
import type { Relation } from "../catalog/relation.js";
import { Oid, typeInfo } from "../catalog/types.js";
import { compileExpr, type Compiled } from "../execute/compile.js";
import { evalContextOwner } from "../execute/eval-context.js";
import type { Runtime } from "../execute/runtime.js";
import type { CoercionContext, ParamTypes } from "./coerce.js";
import type { EvalLike, Expr } from "./expr.js";
import { analyzeExpr, asBoolean } from "./expr-analyze.js";
import { Scope, type StatementScope } from "./scope.js";

type TryCoerce = (expr: Expr, target: number, typmod: number, context: CoercionContext,
  params: ParamTypes) => Expr | undefined;

/** A domain's type, or a domain array's element domain, else undefined. */
function domainTarget(type: number): { domain: DomainType; array: boolean } | undefined {
  const domain = domainOf(type);
  if (domain !== undefined) return { domain, array: false };
  const element = domainOfArray(type);
  return element === undefined ? undefined : { domain: element, array: true };
}

/** The type a domain (or array of a domain) is read as: its base (array) type. */
export function smashedType(type: number): number {
  if (!anyDomains()) return type;
  const target = domainTarget(type);
  if (target === undefined) return type;
  const base = baseTypeOf(target.domain.oid).type;
  return target.array ? typeInfo(base).array || type : base;
}

/** True when a coercion from `source` to `target` involves a domain. */
export function involvesDomain(source: number, target: number): boolean {
  return anyDomains() && (smashedType(source) !== source || smashedType(target) !== target);
}

/** `expr` as its base type (RelabelType): the same values, typed as the base type. */
export function relabelToBase(expr: Expr): Expr {
  const type = smashedType(expr.type);
  if (type === expr.type) return expr;
  const typmod = domainOf(expr.type) === undefined ? -1 : baseTypeOf(expr.type).typmod;
  // A table column keeps its shape (index and pruning matches see the column); VALUE in a
  // CHECK and other expressions print as a cast, as Postgres's RelabelType does.
  if (expr.kind === "const" || expr.kind === "param" ||
    (expr.kind === "var" && expr.tableOid !== 0)) {
    return { ...expr, type, typmod };
  }
  return { kind: "cast", type, typmod, arg: expr, explicit: false, fn: (v) => v };
}

/**
 * Converts `expr` to `target` where a domain is involved: a domain source is relabeled to its
 * base type first; a domain target is reached through its base type, then checked.
 */
export function coerceWithDomains(expr: Expr, target: number, typmod: number,
  context: CoercionContext, params: ParamTypes, tryCoerce: TryCoerce): Expr | undefined {
  if (expr.type === target) return expr;
  const into = domainTarget(target);
  if (into === undefined) return tryCoerce(relabelToBase(expr), target, typmod, context, params);
  const base = baseTypeOf(into.domain.oid);
  const baseTarget = into.array ? typeInfo(base.type).array : base.type;
  let source = expr;
  if (source.kind === "param" && source.type === Oid.unknown) {
    // An untyped parameter takes the domain's type, as Postgres describes it.
    params.types[source.index] = target;
    source = { ...source, type: baseTarget };
  }
  const inner = tryCoerce(relabelToBase(source), baseTarget, into.array ? -1 : base.typmod,
    context, params);
  if (inner === undefined) return undefined;
  return domainCheck(inner, into.domain, into.array);
}

/** The call node checking `arg` (of the base type) against `domain`'s constraints. */
function domainCheck(arg: Expr, domain: DomainType, array: boolean): Expr {
  const check = (v: Value, ctx: EvalLike): void => {
    const rt = (evalContextOwner(ctx) as { rt?: Runtime } | undefined)?.rt;
    if (rt === undefined) throw new SqlError(SqlState.internalError, "domain check outside a run");
    checkDomainValue(domain, v, rt);
  };
  const impl = array
    ? (values: Value[], ctx: EvalLike): Value => {
      const a = values[0] as PgArray | null;
      if (a !== null) for (const item of a.items) check(item, ctx);
      return a;
    }
    : (values: Value[], ctx: EvalLike): Value => {
      check(values[0] ?? null, ctx);
      return values[0] ?? null;
    };
  const type = array ? domain.arrayOid : domain.oid;
  const shown = array ? `${domain.name}[]` : domain.name;
  return { kind: "call", name: shown, operator: false, args: [arg], strict: false,
    volatile: false, type, typmod: -1, impl, deparse: (args) => `${args[0] ?? ""}::${shown}` };
}

/** One domain CHECK compiled over a one-value row. */
interface CompiledCheck {
  readonly name: string;
  readonly test: Compiled;
}

const compiled = new WeakMap<DomainType, { version: number; checks: CompiledCheck[] }>();

/** A statement scope for a domain's stored expressions, resolving in its schema. */
export function domainStatement(catalog: Catalog, domain: DomainType,
  ctx: StatementScope["ctx"]): StatementScope {
  return { catalog, path: [domain.schema, "pg_catalog"], ctx, params: { types: [] },
    nextSlot: 0, nextSubplanId: 0, nextCteId: 0 };
}

/** Analyzes a CHECK expression of a domain layer, VALUE being the value (of its base type). */
export function analyzeDomainCheck(expr: ast.Node, baseType: number, baseTypmod: number,
  statement: StatementScope): Expr {
  const scope = new Scope(statement, undefined);
  scope.items.push({ alias: "", relationOid: 0, visible: true, columns: [{ name: "value",
    expr: { kind: "var", index: 0, type: baseType, typmod: baseTypmod, name: "VALUE",
      tableOid: 0, attnum: 1 } }] });
  scope.clause = "check constraints";
  refuseSubqueries(expr, "check constraint");
  return asBoolean(analyzeExpr(expr, scope), "CHECK", scope);
}

/** transformSubLink's 0A000: a stored expression (CHECK, DEFAULT) may hold no subquery. */
export function refuseSubqueries(expr: ast.Node, what: string): void {
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== "object") return;
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if ("SubLink" in node) {
      throw new SqlError(SqlState.featureNotSupported, `cannot use subquery in ${what}`);
    }
    Object.values(node).forEach(visit);
  };
  visit(expr);
}

function checksOf(domain: DomainType, rt: Runtime): CompiledCheck[] {
  const known = compiled.get(domain);
  if (known !== undefined && known.version === domain.version) return known.checks;
  const checks = [...domain.constraints].sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((c) => ({ name: c.name, test: compileExpr(analyzeDomainCheck(c.expr, domain.baseType,
      domain.baseTypmod, domainStatement(rt.catalog, domain, rt.ctx))) }));
  compiled.set(domain, { version: domain.version, checks });
  return checks;
}

/** Raises 23502 or 23514 as Postgres's domain_check when `v` may not be of `domain`. */
export function checkDomainValue(domain: DomainType, v: Value, rt: Runtime): void {
  const chain = domainChain(domain.oid);
  if (v === null) {
    if (chain.some((d) => d.notNull)) {
      throw new SqlError(SqlState.notNullViolation,
        `domain ${domain.name} does not allow null values`,
        { schema: domain.schema, dataType: domain.name });
    }
  }
  for (let i = chain.length - 1; i >= 0; i--) {
    const layer = chain[i]!;
    const row = [v];
    for (const check of checksOf(layer, rt)) {
      if (check.test(row, rt) !== false) continue;
      throw new SqlError(SqlState.checkViolation,
        `value for domain ${domain.name} violates check constraint "${check.name}"`,
        { schema: domain.schema, dataType: domain.name, constraint: check.name });
    }
  }
}

/** The domain columns of `rel` with their checks, for rows written to it. */
export function domainColumnChecks(rel: Relation): ((row: readonly Value[], rt: Runtime) =>
  void) | undefined {
  if (!anyDomains()) return undefined;
  const checks: { index: number; domain: DomainType; array: boolean }[] = [];
  rel.columns.forEach((c, index) => {
    if (c.dropped) return;
    const target = domainTarget(c.type);
    if (target !== undefined) checks.push({ index, ...target });
  });
  if (checks.length === 0) return undefined;
  return (row, rt) => {
    for (const { index, domain, array } of checks) {
      const v = row[index] ?? null;
      if (!array) checkDomainValue(domain, v, rt);
      else if (v !== null) {
        for (const item of (v as PgArray).items) checkDomainValue(domain, item, rt);
      }
    }
  };
}
