/**
 * The builders of jsonb trees, shared by the full parser (`jsonb.ts`), its fast path
 * (`jsonb-scan.ts`) and the jsonb functions: numbers keep their numeric text's scale, and
 * objects are sorted in jsonb key order (shorter keys first in UTF-8 bytes, then bytewise)
 * with the last of duplicate keys kept.
 */
import type { Decimal } from "decimal.js";
import { parseNumeric } from "./numeric.js";
import { compareText } from "./text.js";
import type { Jsonb, JsonbNumber, JsonbObject } from "./value.js";

export function makeNumber(text: string): JsonbNumber {
  return { kind: "number", value: parseNumeric(text) };
}

export function makeJsonbNumber(value: Decimal): JsonbNumber {
  return { kind: "number", value };
}

/** Sorts entries in jsonb key order and keeps the last of each duplicate key. */
export function makeObject(entries: readonly (readonly [string, Jsonb])[]): JsonbObject {
  if (entries.length <= smallObjectMax) return { kind: "object", entries: sortSmall(entries) };
  const indexed = entries.map((entry, index) => ({ entry, index, bytes: utf8Length(entry[0]) }));
  indexed.sort((a, b) =>
    a.bytes - b.bytes || compareText(a.entry[0], b.entry[0]) || b.index - a.index);
  const result: (readonly [string, Jsonb])[] = [];
  for (const item of indexed) {
    const previous = result[result.length - 1];
    if (previous !== undefined && previous[0] === item.entry[0]) continue;
    result.push(item.entry);
  }
  return { kind: "object", entries: result };
}

/**
 * `makeObject` for an entries array the caller hands over (a parser's fresh array): a small
 * one is sorted in place, by the same insertion as `sortSmall`, without copying it.
 * `asciiKeys` says every key is ASCII, so lengths and comparisons need no UTF-8 view.
 */
export function makeObjectOwned(entries: [string, Jsonb][], asciiKeys: boolean): JsonbObject {
  if (entries.length > smallObjectMax) return makeObject(entries);
  let n = 0;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const key = entry[0];
    const bytes = asciiKeys ? key.length : utf8Length(key);
    let at = n;
    let order = 1;
    while (at > 0) {
      const previous = entries[at - 1]![0];
      // ASCII: a character is a byte, and `<` orders code units as bytes.
      order = asciiKeys
        ? previous.length - bytes || (previous === key ? 0 : previous < key ? -1 : 1)
        : utf8Length(previous) - bytes || (previous === key ? 0 : compareText(previous, key));
      if (order <= 0) break;
      at--;
    }
    if (at > 0 && order === 0) {
      entries[at - 1] = entry;
      continue;
    }
    for (let k = n; k > at; k--) entries[k] = entries[k - 1]!;
    entries[at] = entry;
    n++;
  }
  entries.length = n;
  return { kind: "object", entries };
}

/** Objects up to this many keys sort by insertion: no wrappers, no comparator closure. */
const smallObjectMax = 12;

/** Sorts a few entries by insertion, a later duplicate key replacing the earlier entry. */
function sortSmall(entries: readonly (readonly [string, Jsonb])[]): (readonly [string, Jsonb])[] {
  const result: (readonly [string, Jsonb])[] = [];
  const lengths: number[] = [];
  for (const entry of entries) {
    const key = entry[0];
    const bytes = utf8Length(key);
    let at = result.length;
    let order = 1;
    while (at > 0) {
      const previous = result[at - 1]![0];
      order = lengths[at - 1]! - bytes || (previous === key ? 0 : compareText(previous, key));
      if (order <= 0) break;
      at--;
    }
    if (at > 0 && order === 0) {
      result[at - 1] = entry;
    } else if (at === result.length) {
      result.push(entry);
      lengths.push(bytes);
    } else {
      result.splice(at, 0, entry);
      lengths.splice(at, 0, bytes);
    }
  }
  return result;
}

export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) bytes += code >= 0x800 && (code < 0xd800 || code > 0xdfff) ? 2 : 1;
  }
  return bytes;
}
