/**
 * ts_headline with MaxFragments > 0 (PostgreSQL's mark_hl_fragments): every cover is cut into
 * pieces of at most MaxWords words that begin and end on query words; the pieces with the
 * most query words (then the fewest words) are taken, up to MaxFragments of them, each
 * stretched towards MaxWords on both sides to good end points without overlapping another.
 */
import type { TsQuery } from "../../types/tsquery.js";
import {
  markFragment, nextCover, noEnd, nonWord, type HeadlineWord, type Options,
} from "./headline.js";

interface Piece {
  start: number;
  end: number;
  curlen: number;
  poslen: number;
  chosen: boolean;
  excluded: boolean;
}

/** get_next_fragment: the piece of [start, end] from its first query word, MaxWords long. */
function nextPiece(words: readonly HeadlineWord[], start: number, end: number,
  maxWords: number, interesting: (i: number) => boolean): Piece {
  let s = start;
  for (let i = start; i <= end; i++) {
    s = i;
    if (interesting(i)) break;
  }
  let curlen = 0;
  let poslen = 0;
  let i = s;
  for (; i <= end && curlen < maxWords; i++) {
    if (!nonWord((words[i] as HeadlineWord).type)) curlen++;
    if (interesting(i)) poslen++;
  }
  let e = end;
  if (e > i) {
    e = i;
    for (i = e; i >= s; i--) {
      e = i;
      if (interesting(i)) break;
      if (!nonWord((words[i] as HeadlineWord).type)) curlen--;
    }
  }
  return { start: s, end: e, curlen, poslen, chosen: false, excluded: false };
}

function allPieces(words: readonly HeadlineWord[], query: TsQuery, o: Options,
  interesting: (i: number) => boolean): Piece[] {
  const pieces: Piece[] = [];
  const maxCover = Math.max(o.maxWords * 10, 100);
  for (let p = 0; query !== null;) {
    const cover = nextCover(words, query, maxCover, p);
    if (cover === null) break;
    const [cp, cq] = cover;
    let start = cp;
    while (start <= cq) {
      const piece = nextPiece(words, start, cq, o.maxWords, interesting);
      pieces.push(piece);
      start = piece.end + 1;
    }
    p = cp + 1;
  }
  return pieces;
}

/** Widens a chosen piece towards MaxWords, stopping at words already shown. */
function stretch(words: readonly HeadlineWord[], piece: Piece, o: Options,
  badEnd: (i: number) => boolean): void {
  const counts = (i: number): boolean => !nonWord((words[i] as HeadlineWord).type);
  let { start, end, curlen } = piece;
  if (curlen < o.maxWords) {
    const maxStretch = Math.trunc((o.maxWords - curlen) / 2);
    let stretched = 0;
    let marker = start;
    for (let i = start - 1; i >= 0 && stretched < maxStretch && !(words[i] as HeadlineWord).in;
      i--) {
      if (counts(i)) { curlen++; stretched++; }
      marker = i;
    }
    let i = marker;
    for (; i < start && badEnd(i); i++) if (counts(i)) curlen--;
    start = i;
    marker = end;
    for (i = end + 1; i < words.length && curlen < o.maxWords && !(words[i] as HeadlineWord).in;
      i++) {
      if (counts(i)) curlen++;
      marker = i;
    }
    for (i = marker; i > end && badEnd(i); i--) if (counts(i)) curlen--;
    end = i;
  }
  piece.start = start;
  piece.end = end;
  piece.curlen = curlen;
}

/** mark_hl_fragments. */
export function markFragments(words: HeadlineWord[], query: TsQuery, o: Options): void {
  const w = (i: number): HeadlineWord => words[i] as HeadlineWord;
  const interesting = (i: number): boolean => w(i).item !== null && !w(i).repeated;
  const badEnd = (i: number): boolean =>
    (noEnd(w(i).type) || w(i).bytes <= o.shortWord) && !interesting(i);
  const pieces = allPieces(words, query, o, interesting);
  let marked = 0;
  for (let f = 0; f < o.maxFragments; f++) {
    let maxItems = 0;
    let minWords = Number.MAX_SAFE_INTEGER;
    let best: Piece | undefined;
    for (const piece of pieces) {
      if (piece.chosen || piece.excluded) continue;
      if (maxItems < piece.poslen || (maxItems === piece.poslen && minWords > piece.curlen)) {
        maxItems = piece.poslen;
        minWords = piece.curlen;
        best = piece;
      }
    }
    if (best === undefined) break;
    best.chosen = true;
    stretch(words, best, o, badEnd);
    markFragment(words, best.start, best.end, o.highlightAll);
    marked++;
    const { start, end } = best;
    for (const piece of pieces) {
      if (piece !== best && ((piece.start >= start && piece.start <= end) ||
        (piece.end >= start && piece.end <= end) || (piece.start < start && piece.end > end))) {
        piece.excluded = true;
      }
    }
  }
  if (marked > 0) return;
  let curlen = 0;
  let end = -1;
  for (let i = 0; i < words.length && curlen < o.minWords; i++) {
    if (!nonWord(w(i).type)) curlen++;
    end = i;
  }
  markFragment(words, 0, end, o.highlightAll);
}
