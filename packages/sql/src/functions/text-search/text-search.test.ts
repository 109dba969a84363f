/**
 * Text search against PostgreSQL 15's answers: the English stemmer over a word list, the
 * default parser's token types (ts_debug), tsvector/tsquery text I/O, query builders,
 * matching and ranking. Expected values were produced by a real PostgreSQL 15.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { TsConfigOid } from "../../types/regconfig.js";
import { parseTsQuery, printTsQuery, tsQueryOf } from "../../types/tsquery.js";
import { parseTsVector, printTsVector, tsVectorOf } from "../../types/tsvector.js";
import { parseDocument } from "./default-parser.js";
import { headline } from "./headline.js";
import { stemEnglish } from "./english-stemmer.js";
import { englishStopWords } from "./english-stop-words.js";
import { englishStems } from "./testdata/english-stems.js";
import { tsMatch } from "./ts-match.js";
import { tsRank, tsRankCd, weightsOf } from "./ts-rank.js";
import {
  phraseToTsQuery, plainToTsQuery, toTsQuery, websearchToTsQuery,
} from "./tsquery-build.js";
import { documentVector } from "./tsvector-functions.js";

const english = TsConfigOid.english;

test("the English stemmer gives PostgreSQL's stems", () => {
  let checked = 0;
  for (const pair of englishStems.split(/\s+/)) {
    if (pair === "") continue;
    const [word, stem] = pair.split(":") as [string, string];
    assert.equal(englishStopWords.has(word) ? "" : stemEnglish(word), stem, word);
    checked++;
  }
  assert.ok(checked > 2000);
  assert.equal(stemEnglish("generously"), "generous");
  assert.equal(stemEnglish("skies"), "sky");
  assert.equal(stemEnglish("hoping"), "hope");
  assert.equal(englishStopWords.size, 127);
});

test("the default parser's token types", () => {
  const types = (text: string): string =>
    parseDocument(text).map((t) => `${t.type}:${t.text}`).join(" ");
  assert.equal(types("foo-bar-baz"), "asciihword:foo-bar-baz hword_asciipart:foo " +
    "hword_asciipart:bar hword_asciipart:baz");
  assert.equal(types("b2-c 1a-b"), "numhword:b2-c hword_numpart:b2 hword_asciipart:c " +
    "numhword:1a-b hword_numpart:1a hword_asciipart:b");
  assert.equal(types("CAFÉ naïve"), "word:CAFÉ word:naïve");
  assert.equal(types("3.14 -5 +6 1e5 1.2.3 12abc -12abc"), "float:3.14 int:-5 int:+6 " +
    "sfloat:1e5 version:1.2.3 numword:12abc int:-12 asciiword:abc");
  assert.equal(types("x@y.com a+b@cc.dd a@b.c"), "email:x@y.com asciiword:a email:b@cc.dd " +
    "asciiword:a file:b.c");
  assert.equal(types("http://ex.com/a/b?c=1"), "protocol:http:// url:ex.com/a/b?c=1 " +
    "host:ex.com url_path:/a/b?c=1");
  assert.equal(types("ab.cd ab.c a.co /usr/local/ a/b.txt x.1"), "host:ab.cd file:ab.c " +
    "host:a.co file:/usr/local file:a/b.txt file:x.1");
  assert.equal(types("<b>tag</b> &amp; don't a_b"), "tag:<b> asciiword:tag tag:</b> " +
    "entity:&amp; asciiword:don asciiword:t asciiword:a asciiword:b");
  assert.equal(types("a-1 5-x 2020-01-01"), "asciiword:a int:-1 uint:5 asciiword:x " +
    "uint:2020 int:-01 int:-01");
});

test("to_tsvector with english and simple", () => {
  const vector = (config: number, text: string): string =>
    printTsVector(documentVector(config, text));
  assert.equal(vector(english, "The quick brown foxes jumped over the lazy dogs"),
    "'brown':3 'dog':9 'fox':4 'jump':5 'lazi':8 'quick':2");
  assert.equal(vector(TsConfigOid.simple, "The the THE"), "'the':1,2,3");
  assert.equal(vector(english, "foo-bar CAFÉ"), "'bar':3 'cafÉ':4 'foo':2 'foo-bar':1");
});

test("tsvector and tsquery text I/O", () => {
  assert.equal(printTsVector(parseTsVector("b a a:3 a:1,2B")), "'a':1,2B,3 'b'");
  assert.equal(printTsVector(parseTsVector("x:3c,3b,2a a:20000")), "'a':16383 'x':2A,3B");
  assert.throws(() => parseTsVector("a:0"), /wrong position info in tsvector/);
  assert.throws(() => parseTsVector("a:b"), /syntax error in tsvector/);
  const query = (text: string): string => printTsQuery(parseTsQuery(text));
  assert.equal(query("(a | b) & c"), "( 'a' | 'b' ) & 'c'");
  assert.equal(query("a <-> (b <-> c)"), "'a' <-> ( 'b' <-> 'c' )");
  assert.equal(query("!a & !(b|c)"), "!'a' & !( 'b' | 'c' )");
  assert.equal(query("a:AB* & b<2>c"), "'a':*AB & 'b' <2> 'c'");
  assert.equal(query("a | (b | c)"), "'a' | 'b' | 'c'");
  assert.throws(() => parseTsQuery("a &"), /no operand in tsquery/);
  assert.throws(() => parseTsQuery("a b"), /syntax error in tsquery/);
  assert.throws(() => parseTsQuery("a <16385> b"), /distance in phrase operator/);
});

test("query builders drop stop words as PostgreSQL does", () => {
  assert.equal(printTsQuery(toTsQuery(english, "fox <-> the <-> the <-> dog")),
    "'fox' <3> 'dog'");
  assert.equal(printTsQuery(toTsQuery(english, "foo-bar")), "'foo-bar' <-> 'foo' <-> 'bar'");
  assert.equal(printTsQuery(toTsQuery(english, "the & a")), "");
  assert.equal(printTsQuery(plainToTsQuery(english, "The Fat Rats")), "'fat' & 'rat'");
  assert.equal(printTsQuery(phraseToTsQuery(english, "the cat of the house")),
    "'cat' <3> 'hous'");
  assert.equal(printTsQuery(websearchToTsQuery(english, "\"sad cat\" or \"fat rat\"")),
    "'sad' <-> 'cat' | 'fat' <-> 'rat'");
  assert.equal(printTsQuery(websearchToTsQuery(english, "signal -\"segmentation fault\"")),
    "'signal' & !( 'segment' <-> 'fault' )");
});

test("@@ with phrases, prefixes, weights and negation", () => {
  const match = (v: string, q: string): boolean => tsMatch(tsVectorOf(v), tsQueryOf(q));
  assert.equal(match("a:1 b:2", "a <-> b"), true);
  assert.equal(match("a:1 b:3", "a <-> b"), false);
  assert.equal(match("a:1 b:3", "a <2> b"), true);
  assert.equal(match("a b", "a <-> b"), false);
  assert.equal(match("a", "a:A"), true);
  assert.equal(match("a:1", "a:A"), false);
  assert.equal(match("b:1", "!a <-> b"), true);
  assert.equal(match("a:1 b:2", "!a <-> b"), false);
  assert.equal(match("a:1 c:2", "a <-> !b"), true);
  assert.equal(match("ab:1", "a:*"), true);
  assert.equal(match("a", "!a"), false);
});

test("ts_rank and ts_rank_cd", () => {
  const w = weightsOf(null);
  const rank = (v: string, q: string, m = 0): number =>
    tsRank(w, tsVectorOf(v), tsQueryOf(q), m);
  assert.equal(rank("a:1 b:2 c:3", "b").toPrecision(7), "0.06079271");
  assert.equal(rank("a:1,4 b:2A c:3", "a & c").toPrecision(8), "0.18784232");
  assert.equal(rank("a:1 b:2", "a <-> b").toPrecision(7), "0.09910322");
  const cd = (v: string, q: string, m = 0): number =>
    tsRankCd(w, tsVectorOf(v), tsQueryOf(q), m);
  assert.equal(cd("a:1 b:2 c:3", "a & c"), Math.fround(0.05));
  assert.equal(cd("x:1", "a"), 0);
});

test("ts_headline excerpts and highlights as PostgreSQL does", () => {
  const doc = "The most common type of search is to find all documents containing given query " +
    "terms and return them in order of their similarity to the query.";
  assert.equal(headline(english, doc, toTsQuery(english, "query & similarity"), null),
    "containing given <b>query</b> terms and return them in order of their " +
    "<b>similarity</b> to the <b>query</b>.");
  assert.equal(headline(english, "The quick brown fox-like dog visited http://ex.com/a and " +
    "<b>bold</b> x", toTsQuery(english, "fox"), "StartSel=<<, StopSel=>>, MaxWords=5, " +
    "MinWords=2"), "<<fox>>-like");
  assert.equal(headline(english, "<html><body>Some <b>bold</b> text about cats &amp; dogs" +
    "</body></html>", toTsQuery(english, "cat | dog"), null),
  "  Some  bold  text about <b>cats</b> &amp; <b>dogs</b>  ");
  assert.equal(headline(english, "fat cats and fat rats", toTsQuery(english, "fat:* & !dog"),
    "StartSel=\"[\", StopSel=\"]\""), "[fat] cats and [fat] rats");
  assert.throws(() => headline(english, "x", toTsQuery(english, "x"), "MinWords=5, MaxWords=5"),
    /MinWords should be less than MaxWords/);
  assert.throws(() => headline(english, "x", toTsQuery(english, "x"), "Foo=1"),
    /unrecognized headline parameter: "Foo"/);
});
