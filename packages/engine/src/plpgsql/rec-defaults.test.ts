import { test } from "node:test";
import assert from "node:assert/strict";
import { initParser } from "@tessera/sql";
import { recordDefaultFinder } from "./rec-defaults.js";

const create = (body: string): string =>
  `create function f() returns void language plpgsql as $body$${body}$body$`;

test("a record variable's default is read from its declaration", async () => {
  await initParser();
  const find = recordDefaultFinder(create(`
declare
  a int := f(1,
    2); r t := row(a, 'x;y');  -- r t := wrong
  "Q" t DEFAULT (1, $q$;$q$);
  s t%rowtype
    = row(2, 'z');
  u t;
begin
end`));
  assert.equal(find("r", 4), "row(a, 'x;y')");
  assert.equal(find("Q", 5), "(1, $q$;$q$)");
  assert.equal(find("s", 6), "row(2, 'z')");
  assert.equal(find("u", 8), undefined);
  assert.equal(find("r", 99), undefined);
});
