/**
 * Name resolution for one query level (Postgres's ParseState and its namespace): the FROM
 * items visible here, with their columns as expressions over the FROM clause's row, and the
 * link to the enclosing query for correlated references.
 *
 * A reference that only an enclosing query can resolve becomes an `outer` expression reading
 * a slot; the slot and the expression that fills it, in the enclosing query's terms, go into
 * `outerParams`, which the sublink (or lateral join) evaluates before each run of this level.
 * A reference two levels up passes through the middle level the same way.
 */
import type { ast, ResultColumn, Value } from "@tessera/sql";
import { SqlError, SqlState } from "@tessera/base";
import type { StatementContext } from "../api.js";
import type { Catalog } from "../catalog/catalog.js";
import type { Plan } from "../plan/plan.js";
import type { ParamTypes } from "./coerce.js";
import type { AggCall, EvalLike, Expr, WindowCall } from "./expr.js";
import { systemColumn } from "./system-columns.js";
import { withReferenceLocation } from "./reference-location.js";
import { missingColumnHint, missingTableError, type TableHintLevel } from "./column-hint.js";

export interface ScopeColumn {
  readonly name: string;
  readonly expr: Expr;
  /** Hidden from unqualified lookups (the inputs of a USING join column). */
  readonly hidden?: boolean;
}

/** A set-returning function call with its result shape. */
export interface SrfCall {
  /** A call expression whose `impl` returns an iterable (cast through Value). */
  readonly call: Expr;
  readonly type: number;
  readonly outColumns: readonly { name: string; type: number }[] | null;
}

export interface RangeItem {
  /** The alias, or the table name; "" for an unaliased join. */
  readonly alias: string;
  readonly columns: readonly ScopeColumn[];
  readonly relationOid: number;
  /** False for items only reachable through LATERAL or not yet joined. */
  readonly visible: boolean;
  /** Set on a join's alias (`(a JOIN b) AS j`, `USING (id) AS u`): FOR UPDATE refuses it. */
  readonly join?: boolean;
  /** Set on a reference to a WITH query, which FOR UPDATE OF refuses too. */
  readonly cte?: boolean;
  /** Where a table scan's system columns start in the row, when it carries them. */
  readonly systemOffset?: number;
  /** ON CONFLICT's EXCLUDED: a proposed row, not a stored one, has no system columns. */
  readonly proposed?: boolean;
  /**
   * A function in FROM returning a scalar, without ordinality: its whole-row reference is the
   * value itself (`SELECT e ->> 'k' FROM jsonb_array_elements(j) e`), as makeWholeRowVar.
   */
  readonly scalarRow?: boolean;
  /**
   * The composite type of the whole row when it is not `record`: a function in FROM
   * returning a composite type or a table's row type (`whole-row.ts`).
   */
  readonly rowType?: number;
  /** On the nullable side of an outer join: its whole row is NULL when null-extended. */
  readonly nullable?: boolean;
  /**
   * A derived table's presence column, always true in its rows, so NULL only when the row
   * is null-extended: its FROM-row position, or -1 when this pass does not carry one.
   */
  readonly presence?: number;
  /** Set on the alias of a join's USING columns (`USING (id) AS u`). */
  readonly usingAlias?: boolean;
  /** The UPDATE/DELETE target while its FROM list is analyzed: LATERAL may not read it. */
  readonly targetOnly?: boolean;
}

/** A WITH query visible to this level and those below it. */
export interface CteDef {
  readonly name: string;
  readonly id: number;
  readonly columns: readonly { name: string; type: number; typmod: number }[];
  /** Null while a recursive CTE's non-recursive term is being analyzed. */
  plan: Plan | null;
  readonly recursive: boolean;
  refCount: number;
  /** A data-modifying CTE without RETURNING: it runs, but nothing may read it. */
  readonly noReturning?: boolean;
  /**
   * Whether the query reads values of an enclosing query level: it is then recomputed each
   * time its level runs, and so must be every subquery that reads it.
   */
  correlated?: boolean;
}

/** Statement-wide analysis state: catalog, settings, parameter types, id counters. */
export interface StatementScope {
  readonly catalog: Catalog;
  readonly path: readonly string[];
  readonly ctx: StatementContext;
  readonly params: ParamTypes;
  nextSlot: number;
  nextSubplanId: number;
  nextCteId: number;
  /** Calls of functions that must wait (pg_sleep), awaited before the plan runs. */
  asyncCalls?: AsyncCall[];
  /** Set when a SELECT writes (an INSERT, UPDATE or DELETE in its WITH clause). */
  writes?: boolean;
  /**
   * Table scans carry system columns (`system-columns.ts`, the second pass); "named" where
   * expressions are only printed (view definitions): they stand as their names.
   */
  systemColumns?: boolean | "named";
  /** Derived tables carry a presence column (`RangeItem.presence`), the second pass too. */
  presenceColumns?: boolean;
  /**
   * A trigger function's transition tables (REFERENCING OLD / NEW TABLE), by name: read like
   * WITH queries whose rows the runtime holds (`plpgsql/transition-tables.ts`).
   */
  transitionTables?: ReadonlyMap<string, CteDef>;
}

/**
 * A call of an asynchronous function (pg_sleep). The executor is synchronous, so such a call
 * runs before the plan starts, once per execution, when its arguments are constants or
 * parameters; the call expression then reads the result from `cell`.
 */
export interface AsyncCall {
  readonly args: readonly Expr[];
  readonly run: (values: Value[], ctx: EvalLike) => Promise<Value>;
  readonly cell: { value: Value };
}

export class Scope {
  items: RangeItem[] = [];
  /** Aggregates found in this level's expressions; null where aggregates are not allowed. */
  aggs: AggCall[] | null = null;
  /** The clause being analyzed, for "aggregate functions are not allowed in WHERE". */
  clause = "";
  windows: WindowCall[] | null = null;
  readonly outerParams: { slot: number; expr: Expr; key: string }[] = [];
  /**
   * Whether this level reads a value passed down from two or more levels out: it then has
   * no param of its own for it, yet must rerun whenever the enclosing level reruns.
   */
  readsPassedThrough = false;
  /** Whether this level reads a correlated WITH query of an enclosing level (`CteDef`). */
  readsCorrelatedCte = false;
  readonly ctes = new Map<string, CteDef>();
  /** A FROM function's column definition list, for the call it belongs to (`AS t(a int)`). */
  expectedColumns: { readonly call: ast.FuncCall; readonly columns: readonly ResultColumn[] }
    | null = null;
  /** Set-returning calls of the select list (or a FROM function); null where not allowed. */
  srfs: SrfCall[] | null = null;
  /** WINDOW clause definitions by name. */
  namedWindows: Map<string, import("@tessera/sql").ast.WindowDef> | null = null;
  /**
   * Whether select-list literals of unknown type become text (p_resolve_unknowns). A set
   * operation's branches keep them unknown, so `select 1 union select '2'` resolves to integer.
   */
  resolveUnknowns = true;

  constructor(readonly statement: StatementScope, readonly parent: Scope | undefined,
    /** A non-LATERAL derived table sees its parent's CTEs and outer levels, not its items. */
    readonly skipParentItems = false) {}

  /** Resolves a column reference, or raises 42703/42702/42P01 as Postgres does. */
  resolveColumn(fields: readonly string[], location: number | undefined): Expr {
    const found = this.tryResolve(fields, location);
    if (found !== undefined) return withReferenceLocation(found, location);
    const loc = location === undefined ? {} : { location };
    if (fields.length >= 2) {
      const table = fields[fields.length - 2]!;
      if (!this.hasVisibleAlias(table)) throw this.missingTable(table, location);
      throw new SqlError(SqlState.undefinedColumn,
        `column ${table}.${fields[fields.length - 1]} does not exist`,
        { ...loc, ...this.columnHint(table, fields[fields.length - 1]!) });
    }
    throw new SqlError(SqlState.undefinedColumn, `column "${fields[0]}" does not exist`,
      { ...loc, ...this.columnHint(undefined, fields[0]!) });
  }

  /** The "Perhaps you meant ..." hint of a missing column, over this level and those above. */
  columnHint(qualifier: string | undefined, name: string): { hint?: string } {
    const levels: RangeItem[][] = [];
    for (let s: Scope | undefined = this; s !== undefined; s = s.parent) levels.push(s.items);
    const hint = missingColumnHint(levels, qualifier, name);
    return hint === undefined ? {} : { hint };
  }

  private hasVisibleAlias(alias: string): boolean {
    let skip = false;
    for (let s: Scope | undefined = this; s !== undefined; s = s.parent) {
      if (!skip && s.items.some((i) => i.visible && i.alias === alias)) return true;
      skip = s.skipParentItems;
    }
    return false;
  }

  /** The 42P01 error for a qualifier no visible FROM item answers to, with Postgres's hints. */
  missingTable(name: string, location: number | undefined): SqlError {
    const levels: TableHintLevel[] = [];
    for (let s: Scope | undefined = this; s !== undefined; s = s.parent) {
      const catalog = s.statement.catalog;
      levels.push({ seesParentItems: !s.skipParentItems, items: s.items.map((i) => ({
        alias: i.alias, columns: i.columns, visible: i.visible,
        relationName: i.relationOid === 0 ? undefined : catalog.relation(i.relationOid)?.name,
      })) });
    }
    return missingTableError(levels, name, location);
  }

  /** Resolves here or in an enclosing level; undefined when no level knows the name. */
  tryResolve(fields: readonly string[], location: number | undefined): Expr | undefined {
    const local = this.resolveLocal(fields, location);
    if (local !== undefined) return local;
    if (this.parent === undefined) return undefined;
    if (!this.skipParentItems) this.parent.refuseTargetReference(fields, location);
    const outer = this.skipParentItems ? this.parent.tryResolveAbove(fields, location)
      : this.parent.tryResolve(fields, location);
    if (outer === undefined) return undefined;
    return this.outerRef(outer, fields.join("."));
  }

  /** Resolves in enclosing levels only, passing the value through this level. */
  tryResolveAbove(fields: readonly string[], location: number | undefined): Expr | undefined {
    if (this.parent === undefined) return undefined;
    const outer = this.parent.tryResolve(fields, location);
    return outer === undefined ? undefined : this.outerRef(outer, fields.join("."));
  }

  /**
   * LATERAL reading the target of the UPDATE or DELETE whose FROM list it is in (42P10), as
   * Postgres's check_lateral_ref_ok: the target's rows are not there yet.
   */
  refuseTargetReference(fields: readonly string[], location: number | undefined): void {
    const target = this.items.find((i) => i.targetOnly === true);
    if (target === undefined) return;
    const name = fields[fields.length - 1]!;
    const named = fields.length >= 2 ? fields[fields.length - 2] === target.alias
      : target.columns.some((c) => c.name === name);
    if (!named) return;
    throw new SqlError(SqlState.invalidColumnReference,
      `invalid reference to FROM-clause entry for table "${target.alias}"`,
      { ...(location === undefined ? {} : { location }), hint: `There is an entry for table ` +
        `"${target.alias}", but it cannot be referenced from this part of the query.` });
  }

  /** Returns an `outer` expression passing `expr` (in the parent's terms) into this level. */
  outerRef(expr: Expr, name: string): Expr {
    // A value already passed down from further out keeps its slot: it is set before this
    // whole level runs.
    if (expr.kind === "outer") {
      this.readsPassedThrough = true;
      return expr;
    }
    // An outer-level aggregate (`expr-call.ts`) is passed once per call; its definition is
    // no key material.
    const key = expr.kind === "aggref" ? `aggref ${this.statement.nextSlot}`
      : JSON.stringify(expr, (_k, v: unknown) =>
        (typeof v === "function" ? undefined : typeof v === "bigint" ? String(v) : v));
    let param = this.outerParams.find((p) => p.key === key);
    if (param === undefined) {
      param = { slot: this.statement.nextSlot++, expr, key };
      this.outerParams.push(param);
    }
    return { kind: "outer", slot: param.slot, type: expr.type, typmod: expr.typmod, name };
  }

  private resolveLocal(fields: readonly string[], location: number | undefined):
    Expr | undefined {
    const loc = location === undefined ? {} : { location };
    if (fields.length === 1) {
      const name = fields[0]!;
      const matches: Expr[] = [];
      for (const item of this.items) {
        if (!item.visible) continue;
        for (const column of item.columns) {
          if (column.name === name && column.hidden !== true) matches.push(column.expr);
        }
      }
      if (matches.length === 0) {
        for (const item of this.items) {
          const system = item.visible ? systemColumn(this.statement, item, name)
            : undefined;
          if (system !== undefined) matches.push(system);
        }
      }
      if (matches.length > 1) {
        throw new SqlError(SqlState.ambiguousColumn, `column reference "${name}" is ambiguous`,
          loc);
      }
      return matches[0];
    }
    const alias = fields[fields.length - 2]!;
    const name = fields[fields.length - 1]!;
    const items = this.items.filter((i) => i.visible && i.alias === alias);
    if (items.length > 1) {
      throw new SqlError(SqlState.ambiguousAlias, `table reference "${alias}" is ambiguous`, loc);
    }
    const item = items[0];
    if (item === undefined) return undefined;
    const column = item.columns.find((c) => c.name === name)
      ?? systemColumnRef(this.statement, item, name);
    if (column === undefined) {
      throw new SqlError(SqlState.undefinedColumn, `column ${alias}.${name} does not exist`,
        { ...loc, ...this.columnHint(alias, name) });
    }
    return column.expr;
  }

  /** Makes the WITH queries `from` sees visible in this fresh scope too (nearest first). */
  inheritCtes(from: Scope): this {
    for (let s: Scope | undefined = from; s !== undefined; s = s.parent) {
      for (const [name, def] of s.ctes) if (!this.ctes.has(name)) this.ctes.set(name, def);
    }
    return this;
  }

  /** Finds a CTE by name here or in an enclosing level. */
  findCte(name: string): CteDef | undefined {
    let level: Scope | undefined = this;
    while (level !== undefined) {
      const cte = level.ctes.get(name);
      // A level below the WITH reading a correlated CTE reruns whenever the WITH's level does.
      if (cte?.correlated === true) markCorrelatedCteReaders(this, level);
      if (cte !== undefined) return cte;
      level = level.parent;
    }
    return undefined;
  }

  /** Whether this level reads anything from enclosing levels (Postgres's extParam). */
  readsOuter(): boolean {
    return this.outerParams.length > 0 || this.readsPassedThrough || this.readsCorrelatedCte;
  }
}

/** Marks the levels from `reader` up to (not including) `owner`, the CTE's own level. */
function markCorrelatedCteReaders(reader: Scope, owner: Scope): void {
  for (let r: Scope | undefined = reader; r !== undefined && r !== owner; r = r.parent) {
    r.readsCorrelatedCte = true;
  }
}

/** Builds the columns of a FROM item whose row starts at `offset`. */
export function columnsAt(offset: number, alias: string,
  columns: readonly { name: string; type: number; typmod: number; attnum?: number }[],
  tableOid: number): ScopeColumn[] {
  return columns.map((c, i) => ({
    name: c.name,
    expr: { kind: "var", index: offset + i, type: c.type, typmod: c.typmod,
      name: alias === "" ? c.name : `${alias}.${c.name}`, tableOid, attnum: c.attnum ?? 0 },
  }));
}

function systemColumnRef(statement: StatementScope, item: RangeItem, name: string):
  ScopeColumn | undefined {
  const expr = systemColumn(statement, item, name);
  return expr === undefined ? undefined : { name, expr };
}
