/**
 * The text search objects behind Tessera's two configurations (`simple` and `english`,
 * packages/sql text-search/ts-config.ts), as PostgreSQL 15 numbers them: the `default`
 * parser, the `simple` and `snowball` templates and the `simple` and `english_stem`
 * dictionaries, with their built-in descriptions, so `\dFp`, `\dFt`, `\dFd` and `\dF` list
 * what Tessera has. PostgreSQL's other configurations, dictionaries and templates (ispell,
 * synonym, thesaurus, the other languages' stemmers) are not listed: Tessera has none.
 * The default parser's token types (ts_token_type) and the two configurations' token to
 * dictionary maps (pg_ts_config_map) are PostgreSQL's, so `\dF+` and `\dFp+` read them.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Row } from "@tessera/sql";
import type { ObjectComment } from "../catalog.js";
import type { SrfDef } from "../builtins.js";
import type { SystemRelationDef } from "../system-relations.js";
import { Oid } from "../types.js";

const oid = Oid.oid;
const name = Oid.name;
const regproc = Oid.regproc;
const pgCatalog = 11;
const bootstrapSuperuser = 10;

/** The catalogs' own OIDs, which are also pg_description.classoid of their objects. */
const TextSearchClass = { dict: 3600, parser: 3601, config: 3602, template: 3764 } as const;

const parserDefault = 3722;
const templateSimple = 3727;
const templateSnowball = 13150;
const dictSimple = 3765;
const dictEnglishStem = 13163;
const configSimple = 3748;
const configEnglish = 13164;

/** The default parser's token types in its numbering: alias and description. */
const tokenTypes: readonly (readonly [string, string])[] = [
  ["asciiword", "Word, all ASCII"], ["word", "Word, all letters"],
  ["numword", "Word, letters and digits"], ["email", "Email address"], ["url", "URL"],
  ["host", "Host"], ["sfloat", "Scientific notation"], ["version", "Version number"],
  ["hword_numpart", "Hyphenated word part, letters and digits"],
  ["hword_part", "Hyphenated word part, all letters"],
  ["hword_asciipart", "Hyphenated word part, all ASCII"], ["blank", "Space symbols"],
  ["tag", "XML tag"], ["protocol", "Protocol head"],
  ["numhword", "Hyphenated word, letters and digits"],
  ["asciihword", "Hyphenated word, all ASCII"], ["hword", "Hyphenated word, all letters"],
  ["url_path", "URL path"], ["file", "File or path name"], ["float", "Decimal notation"],
  ["int", "Signed integer"], ["uint", "Unsigned integer"], ["entity", "XML entity"],
];

/** The token types `english` stems (the others go to `simple`, but for the unmapped ones). */
const stemmedTokens = new Set(["asciiword", "word", "hword_part", "hword_asciipart",
  "asciihword", "hword"]);
const unmappedTokens = new Set(["blank", "tag", "entity", "protocol"]);

function configMapRows(): Row[] {
  const rows: Row[] = [];
  for (const config of [configEnglish, configSimple]) {
    tokenTypes.forEach(([alias], i) => {
      if (unmappedTokens.has(alias)) return;
      const stem = config === configEnglish && stemmedTokens.has(alias);
      rows.push([config, i + 1, 1, stem ? dictEnglishStem : dictSimple]);
    });
  }
  return rows;
}

function tokenTypeRows(parser: number | string): Row[] {
  if (parser !== parserDefault && parser !== "default" && parser !== "pg_catalog.default") {
    throw new SqlError(SqlState.undefinedObject,
      `text search parser ${typeof parser === "number" ? `with OID ${parser}`
        : `"${parser}"`} does not exist`);
  }
  return tokenTypes.map(([alias, description], i): Row => [i + 1, alias, description]);
}

/** ts_token_type(parser oid) and ts_token_type(parser name). */
export const textSearchFunctions: readonly SrfDef[] = [Oid.oid, Oid.text].map((argType) => ({
  kind: "srf", name: "ts_token_type", argTypes: [argType], returnType: Oid.record,
  volatility: "s", strict: true,
  outColumns: [{ name: "tokid", type: Oid.int4 }, { name: "alias", type: Oid.text },
    { name: "description", type: Oid.text }],
  impl: ([parser]) => tokenTypeRows(parser as number | string),
}));

/** pg_ts_parser, pg_ts_template and pg_ts_dict with the rows Tessera's configurations use. */
export const textSearchCatalogs: readonly SystemRelationDef[] = [
  { oid: 3603, schema: "pg_catalog", name: "pg_ts_config_map",
    columns: [["mapcfg", oid], ["maptokentype", Oid.int4], ["mapseqno", Oid.int4],
      ["mapdict", oid]],
    rows: () => configMapRows() },
  { oid: TextSearchClass.parser, schema: "pg_catalog", name: "pg_ts_parser",
    columns: [["oid", oid], ["prsname", name], ["prsnamespace", oid], ["prsstart", regproc],
      ["prstoken", regproc], ["prsend", regproc], ["prsheadline", regproc],
      ["prslextype", regproc]],
    rows: () => [[parserDefault, "default", pgCatalog, 3717, 3718, 3719, 3720, 3721]] },
  { oid: TextSearchClass.template, schema: "pg_catalog", name: "pg_ts_template",
    columns: [["oid", oid], ["tmplname", name], ["tmplnamespace", oid], ["tmplinit", regproc],
      ["tmpllexize", regproc]],
    rows: () => [[templateSimple, "simple", pgCatalog, 3725, 3726],
      [templateSnowball, "snowball", pgCatalog, 13148, 13149]] },
  { oid: TextSearchClass.dict, schema: "pg_catalog", name: "pg_ts_dict",
    columns: [["oid", oid], ["dictname", name], ["dictnamespace", oid], ["dictowner", oid],
      ["dicttemplate", oid], ["dictinitoption", Oid.text]],
    rows: () => [[dictSimple, "simple", pgCatalog, bootstrapSuperuser, templateSimple, null],
      [dictEnglishStem, "english_stem", pgCatalog, bootstrapSuperuser, templateSnowball,
        "language = 'english', stopwords = 'english'"]] },
];

const simpleDictionary = "simple dictionary: just lower case and check for stopword";

function described(classoid: number, objoid: number, description: string): ObjectComment {
  return { classoid, objoid, objsubid: 0, description };
}

/** The built-in descriptions of those objects (and of the two configurations). */
export const textSearchDescriptions: readonly ObjectComment[] = [
  described(TextSearchClass.parser, parserDefault, "default word parser"),
  described(TextSearchClass.template, templateSimple, simpleDictionary),
  described(TextSearchClass.template, templateSnowball, "snowball stemmer"),
  described(TextSearchClass.dict, dictSimple, simpleDictionary),
  described(TextSearchClass.dict, dictEnglishStem, "snowball stemmer for english language"),
  described(TextSearchClass.config, configSimple, "simple configuration"),
  described(TextSearchClass.config, configEnglish, "configuration for english language"),
];
