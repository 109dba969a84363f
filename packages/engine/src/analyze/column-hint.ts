/**
 * The HINT of "column ... does not exist" (42703), as Postgres words it: the closest column
 * names of the FROM items in scope, by edit distance (errorMissingColumn's fuzzy search).
 *
 *   select nme from t             HINT:  Perhaps you meant to reference the column "t.name".
 *   two equally close candidates  HINT:  Perhaps you meant to reference the column "a.x" or
 *                                        the column "b.x".
 *   an exact name that only a     HINT:  There is a column named "x" in table "t", but it
 *   different query part may see         cannot be referenced from this part of the query.
 *
 * A candidate counts when at most 3 edits away (plus, for a qualified reference, the edits
 * between the qualifier and the item's name) and when no more than half of the typed name's
 * characters differ. Three or more equally close candidates give no hint.
 *
 * A qualifier naming no FROM item this part of the query sees (errorMissingRTE):
 *
 *   select a.id from a as aa      invalid reference to FROM-clause entry for table "a"
 *                                 HINT:  Perhaps you meant to reference the table alias "aa".
 *   an item out of reach          ... HINT:  There is an entry for table "x", but it cannot
 *                                 be referenced from this part of the query. (PostgreSQL 15)
 *   otherwise                     missing FROM-clause entry for table "a"
 */
import { SqlError, SqlState } from "@tessera/base";

/** What the search needs of a FROM item: its name and its column names. */
export interface HintItem {
  /** The alias or table name; "" for an unaliased join, which is not searched. */
  readonly alias: string;
  readonly columns: readonly { readonly name: string }[];
}

/** The largest distance that still makes a suggestion. */
const maxDistance = 3;

interface Candidate {
  readonly table: string;
  readonly column: string;
}

interface SearchState {
  distance: number;
  first: Candidate | null;
  second: Candidate | null;
  /** An exact match in an item the reference cannot see. */
  invisible: string | null;
}

/** Levenshtein distance with unit costs for insert, delete and substitute. */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let previous = Array.from({ length: y.length + 1 }, (_v, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const substitute = previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitute));
    }
    previous = current;
  }
  return previous[y.length]!;
}

function consider(state: SearchState, penalty: number, table: string, actual: string,
  typed: string): void {
  if (penalty > state.distance || actual === "") return;
  const columnDistance = editDistance(actual, typed);
  if (columnDistance > Math.floor([...typed].length / 2)) return;
  const distance = columnDistance + penalty;
  const candidate = { table, column: actual };
  if (distance < state.distance) {
    state.distance = distance;
    state.first = candidate;
    state.second = null;
  } else if (distance === state.distance) {
    if (state.second !== null) {
      // Three at the same distance: no hint at this distance or any larger one.
      state.first = null;
      state.second = null;
      state.distance = distance - 1;
    } else if (state.first !== null) {
      state.second = candidate;
    } else if (state.distance <= maxDistance) {
      state.first = candidate;
    }
  }
}

/**
 * Returns the hint for a missing column `name` (qualified by `qualifier` when given), searching
 * `levels` from the innermost query outwards; undefined when nothing is close enough.
 */
export function missingColumnHint(levels: readonly (readonly HintItem[])[],
  qualifier: string | undefined, name: string): string | undefined {
  const state: SearchState = { distance: maxDistance + 1, first: null, second: null,
    invisible: null };
  search: for (const items of levels) {
    for (const item of items) {
      if (item.alias === "") continue;
      const penalty = qualifier === undefined ? 0 : editDistance(qualifier, item.alias);
      let exact = false;
      for (const column of item.columns) {
        if (column.name === name) exact = true;
        consider(state, penalty, item.alias, column.name, name);
      }
      if (exact && penalty === 0) {
        state.invisible = item.alias;
        break search;
      }
    }
  }
  if (state.invisible !== null) {
    return `There is a column named "${name}" in table "${state.invisible}", but it cannot` +
      " be referenced from this part of the query.";
  }
  const { first, second } = state;
  if (first === null) return undefined;
  const quote = (c: Candidate): string => `"${c.table}.${c.column}"`;
  if (second === null) return `Perhaps you meant to reference the column ${quote(first)}.`;
  return `Perhaps you meant to reference the column ${quote(first)} or the column ` +
    `${quote(second)}.`;
}

/** A FROM item as the missing-table search sees it. */
export interface TableHintItem extends HintItem {
  /** The table's own name when the item is a table, else undefined. */
  readonly relationName: string | undefined;
  readonly visible: boolean;
}

/** One query level: its items, and whether it may see its parent's items (not a plain
 * derived table, which would need LATERAL). */
export interface TableHintLevel {
  readonly items: readonly TableHintItem[];
  readonly seesParentItems: boolean;
}

/** The 42P01 error for a qualifier `name` that no visible FROM item answers to. */
export function missingTableError(levels: readonly TableHintLevel[], name: string,
  location: number | undefined): SqlError {
  const loc = location === undefined ? {} : { location };
  let lateralOnly = false;
  for (const level of levels) {
    const item = level.items.find((i) => i.alias === name || i.relationName === name);
    if (item !== undefined) {
      const message = `invalid reference to FROM-clause entry for table "${name}"`;
      if (item.alias !== name && item.visible && !lateralOnly) {
        return new SqlError(SqlState.undefinedTable, message,
          { ...loc, hint: `Perhaps you meant to reference the table alias "${item.alias}".` });
      }
      return new SqlError(SqlState.undefinedTable, message, { ...loc,
        hint: `There is an entry for table "${item.alias}", but it cannot be referenced` +
          " from this part of the query." });
    }
    lateralOnly = !level.seesParentItems;
  }
  return new SqlError(SqlState.undefinedTable, `missing FROM-clause entry for table "${name}"`,
    loc);
}
