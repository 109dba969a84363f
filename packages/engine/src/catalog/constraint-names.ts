/**
 * Names of a table's constraints, and PostgreSQL's way (ChooseConstraintName) of naming a new
 * one the user left unnamed: the base name, else the base with 1, 2, … appended until no
 * constraint of the table has it.
 */
import type { Relation } from "./relation.js";

/** Every constraint name of `rel`: keys, CHECKs, foreign keys and their partitions' rows. */
export function constraintNamesOf(rel: Relation): Set<string> {
  const names = new Set<string>();
  for (const index of rel.indexes) {
    if (index.constraintName !== null) names.add(index.constraintName);
  }
  for (const check of rel.checks) names.add(check.name);
  for (const fk of rel.foreignKeys) {
    names.add(fk.name);
    for (const p of fk.refPartitions ?? []) names.add(p.name);
  }
  return names;
}

/** `base`, or `base` with the first number appended that no constraint of `rel` uses. */
export function unusedConstraintName(rel: Relation, base: string): string {
  const used = constraintNamesOf(rel);
  let name = base;
  for (let i = 1; used.has(name); i++) name = `${base}${i}`;
  return name;
}
