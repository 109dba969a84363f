/**
 * Overload resolution for functions and operators, following Postgres's parse_func.c
 * (func_match_argtypes, func_select_candidate) and parse_oper.c (binary_oper_exact).
 *
 * Given the input types of a call (705 `unknown` for untyped literals and parameters), the
 * steps narrow the candidates of the right arity: an exact match wins; otherwise keep those
 * every input converts to implicitly; then those with the most exact matches; then the most
 * preferred-type matches; then resolve unknown inputs by category (string wins, else one
 * category and its preferred type); last, treat unknowns as the known inputs' common type.
 * One survivor is the answer; none is 42883, several are 42725.
 */
import { Oid, isPolymorphic, typeInfo } from "../catalog/types.js";
import { canCoerce } from "./coerce.js";
import { smashedType } from "./domain-coerce.js";
import { anyDomains } from "../catalog/domains.js";

export interface Candidate<T> {
  /** Declared argument types, expanded to the call's arity (variadics repeated). */
  readonly argTypes: readonly number[];
  readonly def: T;
}

export type Selection<T> =
  | { readonly kind: "one"; readonly candidate: Candidate<T> }
  | { readonly kind: "none" }
  | { readonly kind: "ambiguous" };

/** Chooses the candidate a call with `inputs` resolves to. */
export function selectCandidate<T>(candidates: readonly Candidate<T>[],
  given: readonly number[], isOperator: boolean): Selection<T> {
  // Domains are read as their base types (func_select_candidate).
  const inputs = anyDomains() ? given.map(smashedType) : given;
  if (inputs !== given && inputs.some((t, i) => t !== given[i])) {
    const declared = candidates.find((c) => sameTypes(c.argTypes, given));
    if (declared !== undefined) return one(declared);
  }
  const exact = candidates.filter((c) => sameTypes(c.argTypes, inputs));
  if (exact.length >= 1) return one(exact[0]!);
  if (isOperator) {
    const assumed = assumeUnknownsAsKnown(inputs);
    if (assumed !== undefined) {
      const match = candidates.find((c) => sameTypes(c.argTypes, assumed));
      if (match !== undefined) return one(match);
    }
  }
  let survivors = candidates.filter((c) =>
    c.argTypes.every((t, i) => canCoerce(inputs[i]!, t, "i")) &&
    polymorphicConsistent(c.argTypes, inputs));
  if (survivors.length <= 1) return survivors.length === 1 ? one(survivors[0]!) : { kind: "none" };
  survivors = keepBest(survivors, (c) => countExact(c.argTypes, inputs));
  if (survivors.length === 1) return one(survivors[0]!);
  survivors = keepBest(survivors, (c) => countPreferred(c.argTypes, inputs));
  if (survivors.length === 1) return one(survivors[0]!);
  survivors = resolveUnknownCategories(survivors, inputs);
  if (survivors.length === 1) return one(survivors[0]!);
  const assumed = assumeUnknownsAsKnown(inputs);
  if (assumed !== undefined) {
    const fitting = survivors.filter((c) => c.argTypes.every((t, i) =>
      inputs[i] !== Oid.unknown || canCoerce(assumed[i]!, t, "i")) &&
      polymorphicConsistent(c.argTypes, assumed));
    if (fitting.length === 1) return one(fitting[0]!);
  }
  return { kind: "ambiguous" };
}

/**
 * enforce_generic_type_consistency, in short: the element types a candidate's polymorphic
 * arguments imply must agree. anyelement's family must match exactly; anycompatible's must at
 * least share a category, so `text[] || text[]` is array_cat, not array_append of a text[].
 */
export function polymorphicConsistent(declared: readonly number[], inputs: readonly number[]):
  boolean {
  const families: { element: readonly number[]; array: number; exact: boolean }[] = [
    { element: [Oid.anyelement, Oid.anynonarray], array: Oid.anyarray, exact: true },
    { element: [Oid.anycompatible, Oid.anycompatiblenonarray], array: Oid.anycompatiblearray,
      exact: false },
  ];
  for (const family of families) {
    const implied = new Set<number>();
    declared.forEach((t, i) => {
      const input = inputs[i]!;
      if (input === Oid.unknown) return;
      if (t === family.array) implied.add(typeInfo(input).elem);
      else if (family.element.includes(t)) implied.add(input);
    });
    const types = [...implied];
    if (types.length <= 1) continue;
    if (family.exact) return false;
    const category = typeInfo(types[0]!).category;
    if (types.some((t) => typeInfo(t).category !== category)) return false;
  }
  return true;
}

function one<T>(candidate: Candidate<T>): Selection<T> {
  return { kind: "one", candidate };
}

function sameTypes(declared: readonly number[], inputs: readonly number[]): boolean {
  return declared.length === inputs.length && declared.every((t, i) => t === inputs[i]);
}

/** If the known inputs share one type, returns the inputs with unknowns replaced by it. */
function assumeUnknownsAsKnown(inputs: readonly number[]): number[] | undefined {
  const known = inputs.filter((t) => t !== Oid.unknown);
  if (known.length === 0 || known.length === inputs.length) return undefined;
  if (!known.every((t) => t === known[0])) return undefined;
  return inputs.map(() => known[0]!);
}

function keepBest<T>(list: readonly Candidate<T>[], score: (c: Candidate<T>) => number):
  Candidate<T>[] {
  const scores = list.map(score);
  const best = Math.max(...scores);
  return list.filter((_c, i) => scores[i] === best);
}

function countExact(declared: readonly number[], inputs: readonly number[]): number {
  return declared.filter((t, i) => inputs[i] !== Oid.unknown && t === inputs[i]).length;
}

function countPreferred(declared: readonly number[], inputs: readonly number[]): number {
  let count = 0;
  declared.forEach((t, i) => {
    const input = inputs[i]!;
    if (input === Oid.unknown) return;
    const info = typeInfo(t);
    if (t === input || (info.preferred && info.category === typeInfo(input).category)) count++;
  });
  return count;
}

/** For each unknown input, keeps candidates of the winning category (string first). */
function resolveUnknownCategories<T>(list: readonly Candidate<T>[],
  inputs: readonly number[]): Candidate<T>[] {
  let survivors = [...list];
  inputs.forEach((input, i) => {
    if (input !== Oid.unknown || survivors.length <= 1) return;
    let category: string | undefined;
    let conflict = false;
    let sawPreferred = false;
    for (const c of survivors) {
      const info = typeInfo(c.argTypes[i]!);
      if (isPolymorphic(info.oid)) continue;
      if (category === undefined || info.category === "S" && category !== "S") {
        category = info.category;
        sawPreferred = info.preferred;
      } else if (info.category === category) {
        sawPreferred ||= info.preferred;
      } else if (category !== "S") {
        conflict = true;
      }
    }
    // A conflict between other categories does not matter once a string candidate is seen.
    if ((conflict && category !== "S") || category === undefined) return;
    const narrowed = survivors.filter((c) => {
      const info = typeInfo(c.argTypes[i]!);
      return info.category === category && (!sawPreferred || info.preferred);
    });
    if (narrowed.length > 0) survivors = narrowed;
  });
  return survivors;
}
