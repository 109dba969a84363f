/**
 * The English (Porter2) stemmer of the Snowball project, written from the published algorithm
 * description: the english_stem dictionary of PostgreSQL's 'english' text search
 * configuration. Input is one lowercase word; output its stem.
 *
 *   stemEnglish("jumping") -> "jump"    stemEnglish("generously") -> "generous"
 *
 * The word is worked on as an array of characters; `Y` marks a consonant y. R1 and R2 are the
 * regions the algorithm names (indexes where they begin).
 */

const exceptions1: ReadonlyMap<string, string> = new Map([
  ["skis", "ski"], ["skies", "sky"], ["dying", "die"], ["lying", "lie"], ["tying", "tie"],
  ["idly", "idl"], ["gently", "gentl"], ["ugly", "ugli"], ["early", "earli"],
  ["only", "onli"], ["singly", "singl"], ["sky", "sky"], ["news", "news"], ["howe", "howe"],
  ["atlas", "atlas"], ["cosmos", "cosmos"], ["bias", "bias"], ["andes", "andes"],
]);

const exceptions2: ReadonlySet<string> = new Set(["inning", "outing", "canning", "herring",
  "earring", "proceed", "exceed", "succeed"]);

const regionPrefixes = ["gener", "commun", "arsen"];

const doubles: ReadonlySet<string> = new Set(["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr",
  "tt"]);

const validLi = "cdeghkmnrt";

const step2Rules: readonly (readonly [string, string])[] = [
  ["tional", "tion"], ["enci", "ence"], ["anci", "ance"], ["abli", "able"], ["entli", "ent"],
  ["izer", "ize"], ["ization", "ize"], ["ational", "ate"], ["ation", "ate"], ["ator", "ate"],
  ["alism", "al"], ["aliti", "al"], ["alli", "al"], ["fulness", "ful"], ["ousli", "ous"],
  ["ousness", "ous"], ["iveness", "ive"], ["iviti", "ive"], ["biliti", "ble"], ["bli", "ble"],
  ["ogi", "og"], ["fulli", "ful"], ["lessli", "less"], ["li", ""],
];

const step3Rules: readonly (readonly [string, string])[] = [
  ["tional", "tion"], ["ational", "ate"], ["alize", "al"], ["icate", "ic"], ["iciti", "ic"],
  ["ical", "ic"], ["ful", ""], ["ness", ""], ["ative", ""],
];

const step4Suffixes = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment",
  "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion"];

function isVowel(c: string | undefined): boolean {
  return c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y";
}

/** The word being stemmed, with its regions. */
class Word {
  chars: string[];
  r1 = 0;
  r2 = 0;

  constructor(text: string) {
    this.chars = [...text];
  }

  get length(): number {
    return this.chars.length;
  }

  endsWith(suffix: string): boolean {
    const n = this.chars.length;
    if (suffix.length > n) return false;
    for (let i = 0; i < suffix.length; i++) {
      if (this.chars[n - suffix.length + i] !== suffix[i]) return false;
    }
    return true;
  }

  /** The longest of `suffixes` the word ends with, or undefined. */
  longest(suffixes: readonly string[]): string | undefined {
    let best: string | undefined;
    for (const s of suffixes) {
      if (this.endsWith(s) && (best === undefined || s.length > best.length)) best = s;
    }
    return best;
  }

  replace(suffixLength: number, by: string): void {
    this.chars.splice(this.chars.length - suffixLength, suffixLength, ...by);
  }

  /** True when some vowel lies in chars[0, end). */
  hasVowelBefore(end: number): boolean {
    for (let i = 0; i < end; i++) if (isVowel(this.chars[i])) return true;
    return false;
  }

  /** True when the word up to `end` ends in a short syllable. */
  shortSyllableAt(end: number): boolean {
    const c = this.chars;
    const last = c[end - 1];
    if (end >= 3 && !isVowel(c[end - 3]) && isVowel(c[end - 2]) && !isVowel(last) &&
      last !== "w" && last !== "x" && last !== "Y") return true;
    return end === 2 && isVowel(c[0]) && !isVowel(c[1]);
  }

  toString(): string {
    return this.chars.join("");
  }
}

const step2Suffixes = step2Rules.map(([s]) => s);
const step3Suffixes = step3Rules.map(([s]) => s);

/** Stems of recent words: documents repeat their words, and stemming is the costly part. */
const stemCache = new Map<string, string>();
const stemCacheMax = 20000;

/** Returns the Porter2 stem of a lowercase word. */
export function stemEnglish(text: string): string {
  const cached = stemCache.get(text);
  if (cached !== undefined) return cached;
  const stem = computeStem(text);
  if (stemCache.size >= stemCacheMax) stemCache.clear();
  stemCache.set(text, stem);
  return stem;
}

function computeStem(text: string): string {
  const exception = exceptions1.get(text);
  if (exception !== undefined) return exception;
  if ([...text].length < 3) return text;
  const word = prelude(text);
  markRegions(word);
  step1a(word);
  if (!exceptions2.has(word.toString())) {
    step1b(word);
    step1c(word);
    step2(word);
    step3(word);
    step4(word);
    step5(word);
  }
  return word.toString().replace(/Y/g, "y");
}

function prelude(text: string): Word {
  const word = new Word(text.startsWith("'") ? text.slice(1) : text);
  const c = word.chars;
  if (c[0] === "y") c[0] = "Y";
  for (let i = 1; i < c.length; i++) {
    if (c[i] === "y" && isVowel(c[i - 1])) c[i] = "Y";
  }
  return word;
}

function regionAfter(c: readonly string[], from: number): number {
  let i = from;
  while (i < c.length && !isVowel(c[i])) i++;
  while (i < c.length && isVowel(c[i])) i++;
  return Math.min(i + 1, c.length);
}

function markRegions(word: Word): void {
  const text = word.toString();
  const prefix = regionPrefixes.find((p) => text.startsWith(p));
  word.r1 = prefix !== undefined ? prefix.length : regionAfter(word.chars, 0);
  word.r2 = regionAfter(word.chars, word.r1);
}

function step1a(word: Word): void {
  const apostrophe = word.longest(["'", "'s", "'s'"]);
  if (apostrophe !== undefined) word.replace(apostrophe.length, "");
  const suffix = word.longest(["sses", "ied", "ies", "s", "us", "ss"]);
  if (suffix === "sses") word.replace(4, "ss");
  else if (suffix === "ied" || suffix === "ies") {
    word.replace(3, word.length - 3 >= 2 ? "i" : "ie");
  } else if (suffix === "s") {
    if (word.hasVowelBefore(word.length - 2)) word.replace(1, "");
  }
}

function step1b(word: Word): void {
  const suffix = word.longest(["eed", "eedly", "ed", "edly", "ing", "ingly"]);
  if (suffix === undefined) return;
  const start = word.length - suffix.length;
  if (suffix === "eed" || suffix === "eedly") {
    if (start >= word.r1) word.replace(suffix.length, "ee");
    return;
  }
  if (!word.hasVowelBefore(start)) return;
  word.replace(suffix.length, "");
  if (word.endsWith("at") || word.endsWith("bl") || word.endsWith("iz")) {
    word.replace(0, "e");
  } else if (word.length >= 2 && doubles.has(word.chars.slice(-2).join(""))) {
    word.replace(1, "");
  } else if (word.length <= word.r1 && word.shortSyllableAt(word.length)) {
    word.replace(0, "e");
  }
}

function step1c(word: Word): void {
  const n = word.length;
  const last = word.chars[n - 1];
  if ((last === "y" || last === "Y") && n > 2 && !isVowel(word.chars[n - 2])) {
    word.chars[n - 1] = "i";
  }
}

function step2(word: Word): void {
  const suffix = word.longest(step2Suffixes);
  if (suffix === undefined || word.length - suffix.length < word.r1) return;
  const before = word.chars[word.length - suffix.length - 1];
  if (suffix === "ogi" && before !== "l") return;
  if (suffix === "li" && (before === undefined || !validLi.includes(before))) return;
  const rule = step2Rules.find(([s]) => s === suffix);
  if (rule !== undefined) word.replace(suffix.length, rule[1]);
}

function step3(word: Word): void {
  const suffix = word.longest(step3Suffixes);
  if (suffix === undefined) return;
  const start = word.length - suffix.length;
  if (start < word.r1) return;
  if (suffix === "ative" && start < word.r2) return;
  const rule = step3Rules.find(([s]) => s === suffix);
  if (rule !== undefined) word.replace(suffix.length, rule[1]);
}

function step4(word: Word): void {
  const suffix = word.longest(step4Suffixes);
  if (suffix === undefined) return;
  const start = word.length - suffix.length;
  if (start < word.r2) return;
  if (suffix === "ion") {
    const before = word.chars[start - 1];
    if (before !== "s" && before !== "t") return;
  }
  word.replace(suffix.length, "");
}

function step5(word: Word): void {
  const n = word.length;
  const last = word.chars[n - 1];
  if (last === "e") {
    const start = n - 1;
    if (start >= word.r2 || (start >= word.r1 && !word.shortSyllableAt(start))) {
      word.replace(1, "");
    }
  } else if (last === "l") {
    if (n - 1 >= word.r2 && word.chars[n - 2] === "l") word.replace(1, "");
  }
}
