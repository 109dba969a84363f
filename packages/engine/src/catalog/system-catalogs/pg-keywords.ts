/**
 * pg_get_keywords(): the SQL keywords of PostgreSQL 15's grammar, with their category and
 * whether they may stand as a column label without AS. Clients ask for them: JDBC's
 * DatabaseMetaData.getSQLKeywords (Hibernate reads it at startup), pgAdmin and DBeaver for
 * quoting. The word lists are PostgreSQL 15's (`SELECT word FROM pg_get_keywords()` on a real
 * server), grouped by category; the rows come out in the same alphabetical order.
 */
import { Oid } from "../types.js";
import type { SrfDef } from "../builtins.js";

const unreserved =
  "abort absolute access action add admin after aggregate also alter always asensitive " +
  "assertion assignment at atomic attach attribute backward before begin breadth by cache " +
  "call called cascade cascaded catalog chain characteristics checkpoint class close cluster " +
  "columns comment comments commit committed compression configuration conflict connection " +
  "constraints content continue conversion copy cost csv cube current cursor cycle data " +
  "database day deallocate declare defaults deferred definer delete delimiter delimiters " +
  "depends depth detach dictionary disable discard document domain double drop each enable " +
  "encoding encrypted enum escape event exclude excluding exclusive execute explain " +
  "expression extension external family filter finalize first following force forward " +
  "function functions generated global granted groups handler header hold hour identity if " +
  "immediate immutable implicit import include including increment index indexes inherit " +
  "inherits inline input insensitive insert instead invoker isolation key label language " +
  "large last leakproof level listen load local location lock locked logged mapping match " +
  "matched materialized maxvalue merge method minute minvalue mode month move name names new " +
  "next nfc nfd nfkc nfkd no normalized nothing notify nowait nulls object of off oids old " +
  "operator option options ordinality others over overriding owned owner parallel parameter " +
  "parser partial partition passing password plans policy preceding prepare prepared preserve " +
  "prior privileges procedural procedure procedures program publication quote range read " +
  "reassign recheck recursive ref referencing refresh reindex relative release rename " +
  "repeatable replace replica reset restart restrict return returns revoke role rollback " +
  "rollup routine routines rows rule savepoint schema schemas scroll search second security " +
  "sequence sequences serializable server session set sets share show simple skip snapshot " +
  "sql stable standalone start statement statistics stdin stdout storage stored strict strip " +
  "subscription support sysid system tables tablespace temp template temporary text ties " +
  "transaction transform trigger truncate trusted type types uescape unbounded uncommitted " +
  "unencrypted unknown unlisten unlogged until update vacuum valid validate validator value " +
  "varying version view views volatile whitespace within without work wrapper write xml year " +
  "yes zone";

const unreservedNoFunctionOrType =
  "between bigint bit boolean char character coalesce dec decimal exists extract float " +
  "greatest grouping inout int integer interval least national nchar none normalize nullif " +
  "numeric out overlay position precision real row setof smallint substring time timestamp " +
  "treat trim values varchar xmlattributes xmlconcat xmlelement xmlexists xmlforest " +
  "xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable";

const reservedFunctionOrType =
  "authorization binary collation concurrently cross current_schema freeze full ilike inner " +
  "is isnull join left like natural notnull outer overlaps right similar tablesample verbose";

const reserved =
  "all analyse analyze and any array as asc asymmetric both case cast check collate column " +
  "constraint create current_catalog current_date current_role current_time current_timestamp " +
  "current_user default deferrable desc distinct do else end except false fetch for foreign " +
  "from grant group having in initially intersect into lateral leading limit localtime " +
  "localtimestamp not null offset on only or order placing primary references returning " +
  "select session_user some symmetric table then to trailing true union unique user using " +
  "variadic when where window with";

/** Keywords that need AS when used as a column label. */
const requiresAs =
  "array as char character create day except fetch filter for from grant group having hour " +
  "intersect into isnull limit minute month notnull offset on order over overlaps precision " +
  "returning second to union varying where window with within without year";

const categories: readonly (readonly [string, string, string])[] = [
  ["U", "unreserved", unreserved],
  ["C", "unreserved (cannot be function or type name)", unreservedNoFunctionOrType],
  ["T", "reserved (can be function or type name)", reservedFunctionOrType],
  ["R", "reserved", reserved],
];

/** (word, catcode, barelabel, catdesc, baredesc), alphabetically by word. */
function keywordRows(): (string | boolean)[][] {
  const needsAs = new Set(requiresAs.split(" "));
  const rows = categories.flatMap(([code, description, words]) => words.split(" ")
    .map((word) => [word, code, !needsAs.has(word), description,
      needsAs.has(word) ? "requires AS" : "can be bare label"]));
  return rows.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
}

/** The pg_get_keywords() function. */
export const pgGetKeywords: SrfDef = {
  kind: "srf", name: "pg_get_keywords", argTypes: [], returnType: Oid.record,
  volatility: "s", strict: true,
  outColumns: [{ name: "word", type: Oid.text }, { name: "catcode", type: Oid.char },
    { name: "barelabel", type: Oid.bool }, { name: "catdesc", type: Oid.text },
    { name: "baredesc", type: Oid.text }],
  impl: () => keywordRows(),
};
