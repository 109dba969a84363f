/**
 * How far a match reaches: PostgreSQL's regex engine (Spencer's) and JavaScript's agree on
 * where the leftmost match starts but not on where it ends. JavaScript takes the first match
 * its backtracking finds; PostgreSQL takes the longest match at that start when the RE as a
 * whole is greedy and the shortest when it is not (regex docs 9.7.3.5):
 *
 *   regexp_match('abcd', 'a|ab')           PG {ab}        JavaScript {a}
 *   regexp_match('<a><b>', '<(.*?)>(.*)')  PG {a,""}      JavaScript {a,<b>}
 *
 * The RE's greediness is its first quantified atom's (a group's is its own first one's); any
 * RE with a top-level `|` is greedy. Patterns with neither `|` nor a non-greedy quantifier
 * keep JavaScript's match. Otherwise, at the match's start:
 *   - a non-greedy RE is rerun with every quantifier non-greedy, which gives the shortest end;
 *   - a greedy RE is rerun once per top-level alternative with every quantifier greedy, and
 *     the longest end wins;
 * and the groups are those of the run that found the extent. What this does not reproduce:
 * a longer match that only a non-first alternative inside a group allows (`(a|ab)(c|bcd)?`),
 * and PostgreSQL's choice among group splits of an equal extent (`(foo|foobar)(bar)?`).
 */

interface Quantifier {
  /** Index just past the quantifier (before a `?` that makes it non-greedy). */
  readonly end: number;
  readonly lazy: boolean;
  /** `{m}`: repeats a fixed number of times, so it has no greediness of its own. */
  readonly fixed: boolean;
}

interface Item {
  readonly group?: Alternatives;
  readonly lookaround: boolean;
  quantifier?: Quantifier;
}

type Alternatives = Item[][];

interface Shape {
  readonly greedy: boolean;
  /** Top-level alternatives as source text; one entry when there is no top-level `|`. */
  readonly branches: readonly string[];
  readonly quantifiers: readonly Quantifier[];
  readonly refine: boolean;
}

const shapes = new Map<string, Shape>();

/** Parses a translated (JavaScript) pattern source; results are cached by source. */
function shapeOf(source: string): Shape {
  let shape = shapes.get(source);
  if (shape === undefined) {
    const quantifiers: Quantifier[] = [];
    const cuts: number[] = [];
    const top = parseAlternatives(source, { i: 0 }, quantifiers, cuts);
    const greedy = greediness(top) !== "lazy";
    const refine = top.length > 1 || quantifiers.some((q) => q.lazy && !q.fixed);
    const bounds = [-1, ...cuts, source.length];
    const branches = bounds.slice(1).map((end, k) => source.slice((bounds[k] ?? 0) + 1, end));
    shape = { greedy, branches, quantifiers, refine };
    if (shapes.size >= 1000) shapes.clear();
    shapes.set(source, shape);
  }
  return shape;
}

function parseAlternatives(
  s: string,
  at: { i: number },
  quantifiers: Quantifier[],
  topCuts: number[] | null,
): Alternatives {
  const alternatives: Alternatives = [[]];
  while (at.i < s.length) {
    const c = s[at.i] ?? "";
    if (c === ")") return alternatives;
    if (c === "|") {
      topCuts?.push(at.i);
      alternatives.push([]);
      at.i++;
      continue;
    }
    const item = parseAtom(s, at, quantifiers);
    const q = parseQuantifier(s, at);
    if (q !== undefined) {
      item.quantifier = q;
      quantifiers.push(q);
    }
    alternatives[alternatives.length - 1]?.push(item);
  }
  return alternatives;
}

function parseAtom(s: string, at: { i: number }, quantifiers: Quantifier[]): Item {
  const c = s[at.i] ?? "";
  if (c === "\\") {
    const close = s[at.i + 1] === "u" && s[at.i + 2] === "{" ? s.indexOf("}", at.i) : -1;
    at.i = close < 0 ? at.i + 2 : close + 1;
    return { lookaround: false };
  }
  if (c === "[") {
    let j = at.i + 1;
    while (j < s.length && s[j] !== "]") j += s[j] === "\\" ? 2 : 1;
    at.i = j + 1;
    return { lookaround: false };
  }
  if (c === "(") {
    const head = /^\(\?(?:<=|<!|=|!|:)?/.exec(s.slice(at.i, at.i + 4))?.[0] ?? "(";
    const lookaround = head !== "(" && head !== "(?:";
    at.i += head.length;
    const group = parseAlternatives(s, at, quantifiers, null);
    at.i++;
    return { group, lookaround };
  }
  at.i++;
  return { lookaround: false };
}

function parseQuantifier(s: string, at: { i: number }): Quantifier | undefined {
  const m = /^(?:[*+?]|\{(\d+)(,\d*)?\})/.exec(s.slice(at.i, at.i + 24));
  if (m === null) return undefined;
  const end = at.i + m[0].length;
  const lazy = s[end] === "?";
  at.i = end + (lazy ? 1 : 0);
  return { end, lazy, fixed: m[1] !== undefined && m[2] === undefined };
}

function greediness(alternatives: Alternatives): "greedy" | "lazy" | undefined {
  if (alternatives.length > 1) return "greedy";
  for (const item of alternatives[0] ?? []) {
    if (item.lookaround) continue;
    const q = item.quantifier;
    if (q !== undefined && !q.fixed) return q.lazy ? "lazy" : "greedy";
    const inner = item.group === undefined ? undefined : greediness(item.group);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

/** The source with every quantifier made non-greedy (`lazy`) or greedy. */
function withQuantifiers(source: string, quantifiers: readonly Quantifier[], lazy: boolean,
  from = 0): string {
  let out = "";
  let last = 0;
  for (const q of quantifiers) {
    const end = q.end - from;
    if (end <= 0 || end > source.length || q.lazy === lazy) continue;
    out += source.slice(last, end) + (lazy ? "?" : "");
    last = end + (q.lazy ? 1 : 0);
  }
  return out + source.slice(last);
}

function stickyFlags(re: RegExp): string {
  return re.flags.replace(/[gy]/g, "") + "y";
}

/** The sticky RegExps a refinement runs, compiled once per pattern and flags. */
const variants = new Map<string, readonly RegExp[]>();

function variantsOf(re: RegExp, shape: Shape): readonly RegExp[] {
  const flags = stickyFlags(re);
  const key = `${flags}/${re.source}`;
  let found = variants.get(key);
  if (found === undefined) {
    try {
      found = variantSources(re.source, shape).map((source) => new RegExp(source, flags));
    } catch {
      // A rewrite JavaScript refuses (not expected): keep JavaScript's own extent.
      found = [];
    }
    if (variants.size >= 1000) variants.clear();
    variants.set(key, found);
  }
  return found;
}

/**
 * A non-greedy RE: itself with every quantifier non-greedy. A greedy one: one variant per
 * top-level branch, every quantifier greedy, the other branches kept but disabled so the
 * group numbers do not move.
 */
function variantSources(source: string, shape: Shape): string[] {
  if (!shape.greedy) return [withQuantifiers(source, shape.quantifiers, true)];
  let offset = 0;
  const branches = shape.branches.map((b) => {
    const greedy = withQuantifiers(b, shape.quantifiers, false, offset);
    offset += b.length + 1;
    return greedy;
  });
  return branches.map((_b, k) => branches.map((b, j) => (j === k ? b : `(?!)${b}`)).join("|"));
}

/**
 * `re.exec(text)` with PostgreSQL's match extent (and the groups of the variant that found
 * it). Advances `re.lastIndex` as exec does for a global or sticky RegExp.
 */
export function execRegex(re: RegExp, text: string): RegExpExecArray | null {
  const m = re.exec(text);
  if (m === null) return m;
  const shape = shapeOf(re.source);
  if (!shape.refine) return m;
  let best = m;
  for (const variant of variantsOf(re, shape)) {
    variant.lastIndex = m.index;
    const found = variant.exec(text);
    if (found === null) continue;
    const better = shape.greedy ? found[0].length > best[0].length
      : found[0].length < best[0].length;
    if (better) best = found;
  }
  if (best !== m && (re.global || re.sticky)) re.lastIndex = best.index + best[0].length;
  return best;
}
