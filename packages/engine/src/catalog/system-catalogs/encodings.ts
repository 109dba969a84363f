/**
 * Character set encodings by number and name, as PostgreSQL 15's encnames.c numbers them:
 * pg_encoding_to_char(6) is 'UTF8', pg_char_to_encoding('latin1') is 8 (names match without
 * case or punctuation, and the common aliases such as 'unicode' and 'iso-8859-1' too),
 * unknown ones give '' and -1. The database is UTF8; the client's is client_encoding.
 */
import type { ScalarDef } from "../builtins.js";
import { Oid } from "../types.js";

const encodingNames: readonly string[] = ["SQL_ASCII", "EUC_JP", "EUC_CN", "EUC_KR", "EUC_TW",
  "EUC_JIS_2004", "UTF8", "MULE_INTERNAL", "LATIN1", "LATIN2", "LATIN3", "LATIN4", "LATIN5",
  "LATIN6", "LATIN7", "LATIN8", "LATIN9", "LATIN10", "WIN1256", "WIN1258", "WIN866", "WIN874",
  "KOI8R", "WIN1251", "WIN1252", "ISO_8859_5", "ISO_8859_6", "ISO_8859_7", "ISO_8859_8",
  "WIN1250", "WIN1253", "WIN1254", "WIN1255", "WIN1257", "KOI8U", "SJIS", "BIG5", "GBK", "UHC",
  "GB18030", "JOHAB", "SHIFT_JIS_2004"];

/** Aliases beyond the names themselves, keyed as `clean` leaves them. */
const aliases: Readonly<Record<string, string>> = {
  unicode: "UTF8", iso88591: "LATIN1", iso88592: "LATIN2", iso88593: "LATIN3",
  iso88594: "LATIN4", iso88599: "LATIN5", iso885910: "LATIN6", iso885913: "LATIN7",
  iso885914: "LATIN8", iso885915: "LATIN9", iso885916: "LATIN10", win: "WIN1251",
  alt: "WIN866", koi8: "KOI8R", mskanji: "SJIS", shiftjis: "SJIS", abc: "WIN1258",
  tcvn: "WIN1258", tcvn5712: "WIN1258", vscii: "WIN1258", windows1250: "WIN1250",
  windows1251: "WIN1251", windows1252: "WIN1252", windows1253: "WIN1253",
  windows1254: "WIN1254", windows1255: "WIN1255", windows1256: "WIN1256",
  windows1257: "WIN1257", windows1258: "WIN1258", windows866: "WIN866",
  windows874: "WIN874", shiftjis2004: "SHIFT_JIS_2004", sjis: "SJIS",
};

function clean(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

const byCleanName = new Map<string, number>(encodingNames.map((n, i) => [clean(n), i]));
for (const [alias, name] of Object.entries(aliases)) {
  byCleanName.set(alias, encodingNames.indexOf(name));
}

/** The number of encoding `name`, or -1. */
export function encodingNumber(name: string): number {
  return byCleanName.get(clean(name)) ?? -1;
}

export function encodingFunctions(): ScalarDef[] {
  const scalar = (name: string, argTypes: number[], returnType: number,
    impl: ScalarDef["impl"]): ScalarDef =>
    ({ kind: "scalar", name, argTypes, returnType, volatility: "s", strict: true, impl });
  return [
    scalar("pg_encoding_to_char", [Oid.int4], Oid.name,
      ([n]) => encodingNames[n as number] ?? ""),
    scalar("pg_char_to_encoding", [Oid.name], Oid.int4,
      ([name]) => encodingNumber(name as string)),
    scalar("getdatabaseencoding", [], Oid.name, () => "UTF8"),
    scalar("pg_client_encoding", [], Oid.name,
      (_a, ctx) => encodingNames[encodingNumber(ctx.setting("client_encoding"))] ?? "UTF8"),
  ];
}
