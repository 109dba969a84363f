/**
 * Text search configurations: which dictionary handles each token type of the default parser,
 * and what the dictionaries make of a token. 'simple' lowercases every token; 'english' sends
 * words to english_stem (stop words dropped, the rest stemmed) and the other tokens to simple.
 * `parseText` is PostgreSQL's parsetext: tokens become lexemes with positions, a stop word
 * takes a position but yields no lexeme, and tokens no dictionary handles (tags, entities,
 * protocols) take none.
 *
 *   parseText(english, "The quick foxes") -> quick@2, fox@3
 */
import { SqlError, SqlState } from "@tessera/base";
import { TsConfigOid, tsConfigByName } from "../../types/regconfig.js";
import { MAX_LEXEME_BYTES, MAX_POSITION } from "../../types/tsvector.js";
import type { EvalContext } from "../defs.js";
import { parseDocument, type TokenType } from "./default-parser.js";
import { stemEnglish } from "./english-stemmer.js";
import { englishStopWords } from "./english-stop-words.js";

export interface ParsedWord {
  readonly word: string;
  readonly pos: number;
}

const wordTokens: ReadonlySet<TokenType> = new Set(["asciiword", "word", "asciihword", "hword",
  "hword_asciipart", "hword_part"]);

const unmapped: ReadonlySet<TokenType> = new Set(["tag", "entity", "protocol"]);

/** Lowercases ASCII letters only, as Postgres's lowercasing under the C locale. */
export function lowerAscii(text: string): string {
  return /[A-Z]/.test(text) ? text.replace(/[A-Z]+/g, (s) => s.toLowerCase()) : text;
}

/**
 * What configuration `config` makes of one token: undefined when no dictionary handles its
 * type, an empty list for a stop word, else the lexemes.
 */
export function lexize(config: number, type: TokenType, token: string): string[] | undefined {
  if (unmapped.has(type)) return undefined;
  const lower = lowerAscii(token);
  if (config === TsConfigOid.english && wordTokens.has(type)) {
    if (englishStopWords.has(lower)) return [];
    return [stemEnglish(lower)];
  }
  return [lower];
}

/** Checks that `config` names a configuration Tessera has. */
export function checkConfig(config: number): number {
  if (config !== TsConfigOid.simple && config !== TsConfigOid.english) {
    throw new SqlError(SqlState.undefinedObject,
      `cache lookup failed for text search configuration ${config}`);
  }
  return config;
}

/** The configuration default_text_search_config names. */
export function currentConfig(ctx: EvalContext): number {
  return tsConfigByName(ctx.setting("default_text_search_config"));
}

/** Tokens longer than this are skipped with a notice in Postgres (and here, silently). */
function tooLong(token: string): boolean {
  return token.length > MAX_LEXEME_BYTES / 4 && Buffer.byteLength(token, "utf8") > MAX_LEXEME_BYTES;
}

/** parsetext: the lexemes of `text` and their positions, in document order. */
export function parseText(config: number, text: string): ParsedWord[] {
  return parseTextCounted(config, text).words;
}

/** parseText, and how many positions the text took (stop words included). */
export function parseTextCounted(config: number, text: string):
  { words: ParsedWord[]; positions: number } {
  checkConfig(config);
  const words: ParsedWord[] = [];
  let pos = 0;
  for (const token of parseDocument(text)) {
    if (tooLong(token.text)) continue;
    const lexemes = lexize(config, token.type, token.text);
    if (lexemes === undefined) continue;
    pos++;
    for (const word of lexemes) words.push({ word, pos: Math.min(pos, MAX_POSITION) });
  }
  return { words, positions: pos };
}
