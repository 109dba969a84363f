/**
 * The single-byte character sets convert_to, convert_from and convert translate besides UTF8:
 * for each, the code point of every byte (-1 where the set defines none). PostgreSQL names
 * further encodings (multi-byte EUC_*, SJIS, BIG5, the other WIN and ISO sets); those are
 * refused with 0A000 by name.
 *
 *   LATIN1  ISO 8859-1: byte = code point
 *   LATIN9  ISO 8859-15: LATIN1 with eight letters and the euro sign in place of symbols
 *   WIN1252 Windows Latin 1: LATIN1 with printable characters at 0x80-0x9F (five unset)
 */

export type SingleByteCharset = "LATIN1" | "LATIN9" | "WIN1252";

const latin9Changes: readonly [number, number][] = [
  [0xa4, 0x20ac], [0xa6, 0x0160], [0xa8, 0x0161], [0xb4, 0x017d],
  [0xb8, 0x017e], [0xbc, 0x0152], [0xbd, 0x0153], [0xbe, 0x0178],
];

/** WIN1252 at 0x80-0x9F; -1 for 0x81, 0x8D, 0x8F, 0x90 and 0x9D. */
const win1252High: readonly number[] = [
  0x20ac, -1, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
  0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, -1, 0x017d, -1,
  -1, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
  0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, -1, 0x017e, 0x0178,
];

function buildTable(charset: SingleByteCharset): number[] {
  const table = Array.from({ length: 256 }, (_, i) => i);
  if (charset === "LATIN9") for (const [byte, cp] of latin9Changes) table[byte] = cp;
  if (charset === "WIN1252") win1252High.forEach((cp, i) => (table[0x80 + i] = cp));
  return table;
}

const decodeTables = new Map<SingleByteCharset, number[]>();
const encodeTables = new Map<SingleByteCharset, Map<number, number>>();

/** The code point of each byte of `charset` (-1: none). */
export function charsetDecodeTable(charset: SingleByteCharset): readonly number[] {
  let table = decodeTables.get(charset);
  if (table === undefined) {
    table = buildTable(charset);
    decodeTables.set(charset, table);
  }
  return table;
}

/** The byte of each code point `charset` holds. */
export function charsetEncodeTable(charset: SingleByteCharset): ReadonlyMap<number, number> {
  let table = encodeTables.get(charset);
  if (table === undefined) {
    table = new Map();
    charsetDecodeTable(charset).forEach((cp, byte) => {
      if (cp >= 0) table!.set(cp, byte);
    });
    encodeTables.set(charset, table);
  }
  return table;
}

/**
 * The encodings PostgreSQL 15 knows beyond those converted here, keyed as pg_char_to_encoding
 * compares names (lower case, letters and digits only).
 */
const otherNames: readonly string[] = [
  "EUC_JP", "EUC_CN", "EUC_KR", "EUC_TW", "EUC_JIS_2004", "MULE_INTERNAL", "LATIN2", "LATIN3",
  "LATIN4", "LATIN5", "LATIN6", "LATIN7", "LATIN8", "LATIN10", "WIN1256", "WIN1258", "WIN866",
  "WIN874", "KOI8R", "WIN1251", "ISO_8859_5", "ISO_8859_6", "ISO_8859_7", "ISO_8859_8",
  "WIN1250", "WIN1253", "WIN1254", "WIN1255", "WIN1257", "KOI8U", "SJIS", "BIG5", "GBK", "UHC",
  "GB18030", "JOHAB", "SHIFT_JIS_2004",
];

const otherAliases: readonly (readonly [string, string])[] = [
  ["iso88592", "LATIN2"], ["iso88593", "LATIN3"], ["iso88594", "LATIN4"],
  ["iso88599", "LATIN5"], ["iso885910", "LATIN6"], ["iso885913", "LATIN7"],
  ["iso885914", "LATIN8"], ["iso885916", "LATIN10"], ["koi8", "KOI8R"],
  ["win", "WIN1251"], ["alt", "WIN866"], ["abc", "WIN1258"], ["tcvn", "WIN1258"],
  ["tcvn5712", "WIN1258"], ["vscii", "WIN1258"], ["mskanji", "SJIS"], ["shiftjis", "SJIS"],
  ["win932", "SJIS"], ["windows932", "SJIS"], ["win936", "GBK"], ["windows936", "GBK"],
  ["win949", "UHC"], ["windows949", "UHC"], ["win950", "BIG5"], ["windows950", "BIG5"],
  ["windows866", "WIN866"], ["windows874", "WIN874"],
  ...[1250, 1251, 1253, 1254, 1255, 1256, 1257, 1258].map((n) =>
    [`windows${n}`, `WIN${n}`] as const),
];

export const otherEncodings: Readonly<Record<string, string>> = Object.fromEntries([
  ...otherNames.map((name) => [name.toLowerCase().replace(/[^a-z0-9]/g, ""), name] as const),
  ...otherAliases,
]);
