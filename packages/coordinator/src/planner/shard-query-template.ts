/**
 * Shard query texts for many tasks from one deparse. A multi-shard query's tasks differ only
 * in their shard names, yet rewriting and deparsing the tree per task costs more than the
 * rest of planning (32 walks and deparses per execution). Instead the tree is rewritten once
 * with a placeholder shard id per relation reference, printed once, and each task's text is
 * that print with the placeholders' digits replaced by the task's shard ids:
 *
 *     template:  SELECT count(*) FROM public.events_7700000000001 events WHERE …
 *     task 0:    SELECT count(*) FROM public.events_102008 events WHERE …
 *     task 1:    SELECT count(*) FROM public.events_102009 events WHERE …
 *
 * Replacing digits never changes quoting (a quoted name stays quoted, an unquoted one needs
 * no quotes with other digits). The first task's text is also made the long way and compared:
 * when they differ (a placeholder also spelled elsewhere in the query, a name long enough to
 * be shortened with a hash), every task is made the long way.
 */
import type { ShardId } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { shardQueryText, type ShardQueryOptions, type ShardRelation } from "./shard-query.js";

/** Returns the shard relation a reference stands for in task `index`. */
export type IndexedResolver = (index: number) =>
  (rangeVar: ast.RangeVar) => ShardRelation | undefined;

/** Placeholder shard ids start here: 13 digits, beyond any real shard id. */
const placeholderBase = 7_700_000_000_000;

/** Below this many tasks the template saves nothing. */
const tasksForTemplate = 3;

/**
 * The SQL text of `stmt` for each task index in `indexes`, in order; `options` go to every
 * rewrite (an INSERT target's alias).
 */
export function shardQueryTexts(stmt: ast.Node, indexes: readonly number[],
  resolverFor: IndexedResolver,
  options: Omit<ShardQueryOptions, "resolveRelation"> = {}): string[] {
  const direct = (index: number): string =>
    shardQueryText(stmt, { ...options, resolveRelation: resolverFor(index) });
  if (indexes.length < tasksForTemplate) return indexes.map(direct);
  const template = templateOf(stmt, resolverFor(indexes[0]!), options);
  if (template === undefined) return indexes.map(direct);
  const first = direct(indexes[0]!);
  if (template.fill(resolverFor(indexes[0]!)) !== first) return indexes.map(direct);
  return indexes.map((index, i) => i === 0 ? first : template.fill(resolverFor(index)));
}

interface Template {
  fill(resolve: (rangeVar: ast.RangeVar) => ShardRelation | undefined): string;
}

/** Prints `stmt` with a placeholder shard id per Citus table reference. */
function templateOf(stmt: ast.Node,
  sample: (rangeVar: ast.RangeVar) => ShardRelation | undefined,
  options: Omit<ShardQueryOptions, "resolveRelation">): Template | undefined {
  const references: ast.RangeVar[] = [];
  const text = shardQueryText(stmt, {
    ...options,
    resolveRelation: (rangeVar) => {
      const shard = sample(rangeVar);
      if (shard === undefined) return undefined;
      references.push(rangeVar);
      const placeholder = placeholderBase + references.length;
      return { ...shard, shardId: placeholder as ShardId };
    },
  });
  if (references.length === 0) return undefined;
  // Split the text at every placeholder; pieces between them stay as printed.
  const pattern = new RegExp(`_(${placeholderBase / 1e9 | 0}\\d{9})(?!\\d)`, "g");
  const pieces: string[] = [];
  const slots: number[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const slot = Number(match[1]) - placeholderBase - 1;
    if (slot < 0 || slot >= references.length) return undefined;
    pieces.push(text.slice(last, match.index! + 1));
    slots.push(slot);
    last = match.index! + match[0].length;
  }
  pieces.push(text.slice(last));
  return {
    fill(resolve) {
      const ids = references.map((rangeVar) => resolve(rangeVar)?.shardId);
      let out = pieces[0]!;
      for (let i = 0; i < slots.length; i++) out += String(ids[slots[i]!]) + pieces[i + 1]!;
      return out;
    },
  };
}
