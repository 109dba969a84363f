import { test } from "node:test";
import assert from "node:assert/strict";
import { editDistance, missingColumnHint, missingTableError } from "./column-hint.js";

const item = (alias: string, ...names: string[]) =>
  ({ alias, columns: names.map((name) => ({ name })) });

test("edit distance counts inserts, deletes and substitutions", () => {
  assert.equal(editDistance("nme", "name"), 1);
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("", "abc"), 3);
});

test("the closest column, two equally close ones, or none", () => {
  const t = item("t", "id", "name", "amount");
  const u = item("u", "id", "name", "bname");
  assert.equal(missingColumnHint([[t]], undefined, "nme"),
    'Perhaps you meant to reference the column "t.name".');
  assert.equal(missingColumnHint([[t, u]], undefined, "nam"),
    'Perhaps you meant to reference the column "t.name" or the column "u.name".');
  // Three at the same distance: no hint.
  assert.equal(missingColumnHint([[t, u, item("v", "name")]], undefined, "nam"), undefined);
  // More than half of the typed name differs.
  assert.equal(missingColumnHint([[t]], undefined, "zzzzzz"), undefined);
  // A qualifier prefers its own table.
  assert.equal(missingColumnHint([[t, u]], "u", "nme"),
    'Perhaps you meant to reference the column "u.name".');
  // Enclosing levels are searched too; unaliased joins are not.
  assert.equal(missingColumnHint([[item("", "amount")], [t]], undefined, "amout"),
    'Perhaps you meant to reference the column "t.amount".');
});

test("a table named by its name instead of its alias", () => {
  const levels = [{ seesParentItems: true, items: [{ ...item("tt", "id"), relationName: "t",
    visible: true }] }];
  const error = missingTableError(levels, "t", 7);
  assert.equal(error.message, 'invalid reference to FROM-clause entry for table "t"');
  assert.equal(error.hint, 'Perhaps you meant to reference the table alias "tt".');
  assert.equal(missingTableError(levels, "q", 7).message,
    'missing FROM-clause entry for table "q"');
});
