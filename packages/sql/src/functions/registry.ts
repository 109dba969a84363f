/**
 * The built-in catalog: every function, aggregate, window function and operator this folder
 * defines, indexed by name for the analyzer's overload resolution (PostgreSQL's pg_proc and
 * pg_operator, in memory). Tables are built once, on first lookup, and frozen.
 */
import type { FunctionDef, OperatorDef } from "./defs.js";
import { basicAggregates } from "./aggregate-basic.js";
import { jsonAggregates } from "./aggregate-collect.js";
import { statsAggregates } from "./aggregate-stats.js";
import { orderedSetAggregates } from "./aggregate-ordered.js";
import { regressionAggregates } from "./aggregate-regr.js";
import { aggregateStateFunctions } from "./aggregate-state.js";
import { arrayFunctions, arrayOperators } from "./array.js";
import { arrayFillFunctions } from "./array-fill.js";
import { comparisonOperators } from "./comparison.js";
import { datePartFunctions } from "./date-part.js";
import { datetimeFunctions } from "./datetime.js";
import { datetimeOperators } from "./datetime-ops.js";
import { floatOperators } from "./float-ops.js";
import { intOperators } from "./int-ops.js";
import { jsonbFunctions } from "./jsonb.js";
import { jsonbRecordFunctions } from "./jsonb-record.js";
import { jsonFunctions, jsonOperators } from "./json-ops.js";
import { jsonFromArrayFunctions } from "./json-from-arrays.js";
import { jsonbOperators } from "./jsonb-ops.js";
import { jsonpathFunctions, jsonpathOperators } from "./jsonpath.js";
import { likeFunctions, likeOperators } from "./like.js";
import { mathFunctions } from "./math.js";
import { degreeTrigFunctions } from "./trig-degrees.js";
import { miscFunctions } from "./misc.js";
import { numericOperators } from "./numeric-ops.js";
import { overlapsFunctions } from "./overlaps.js";
import { regexFunctions, regexOperators } from "./regex-functions.js";
import { regexPositionFunctions } from "./regex-position.js";
import { similarFunctions } from "./similar.js";
import { seriesFunctions } from "./srf.js";
import { stringFunctions } from "./string.js";
import { stringOperators } from "./string-format.js";
import { toCharFunctions } from "./to-char.js";
import { toTimestampFunctions } from "./to-timestamp.js";
import { boolOperators } from "./bool-ops.js";
import { byteaFunctions } from "./bytea.js";
import { bitFunctions, bitOperators } from "./bit.js";
import { inetFunctions, inetOperators } from "./inet.js";
import { macaddrMoneyFunctions, macaddrMoneyOperators } from "./macaddr-money.js";
import { geometryFunctions } from "./geometry-functions.js";
import { geometryOperators } from "./geometry-operators.js";
import { rangeFunctions, rangeOperators } from "./range-functions.js";
import { multirangeFunctions, multirangeOperators } from "./multirange-functions.js";
import { extensionFunctions } from "./extension-functions.js";
import { windowFunctions } from "./window.js";
import { textSearchFunctions, textSearchOperators } from "./text-search/text-search.js";
import { txidAggregates, txidFunctions, txidOperators } from "./txid.js";
import { systemAdminFunctions } from "./system-admin.js";
import { normalizeFunctions } from "./normalize.js";

interface Catalog {
  functions: ReadonlyMap<string, readonly FunctionDef[]>;
  operators: ReadonlyMap<string, readonly OperatorDef[]>;
}

let catalog: Catalog | undefined;

/** Returns every definition named `name` (lowercase, unqualified), or none. */
export function lookupFunction(name: string): readonly FunctionDef[] {
  return load().functions.get(name) ?? [];
}

/** Returns every operator spelled `name` ('+', '||', '~~', '->>' …), or none. */
export function lookupOperator(name: string): readonly OperatorDef[] {
  return load().operators.get(name) ?? [];
}

/** Returns all function definitions, for catalog views such as pg_proc. */
export function allFunctions(): readonly FunctionDef[] {
  return [...load().functions.values()].flat();
}

export function allOperators(): readonly OperatorDef[] {
  return [...load().operators.values()].flat();
}

function load(): Catalog {
  if (catalog === undefined) catalog = build();
  return catalog;
}

function build(): Catalog {
  const functions: FunctionDef[] = [
    ...mathFunctions(),
    ...degreeTrigFunctions(),
    ...stringFunctions(),
    ...byteaFunctions(),
    ...bitFunctions(),
    ...inetFunctions(),
    ...macaddrMoneyFunctions(),
    ...geometryFunctions(),
    ...rangeFunctions(),
    ...multirangeFunctions(),
    ...extensionFunctions(),
    ...likeFunctions(),
    ...regexFunctions(),
    ...regexPositionFunctions(),
    ...similarFunctions(),
    ...datetimeFunctions(),
    ...datePartFunctions(),
    ...overlapsFunctions(),
    ...toCharFunctions(),
    ...toTimestampFunctions(),
    ...jsonbFunctions(),
    ...jsonbRecordFunctions(),
    ...jsonpathFunctions(),
    ...jsonFunctions(),
    ...jsonFromArrayFunctions(),
    ...arrayFunctions(),
    ...arrayFillFunctions(),
    ...seriesFunctions(),
    ...miscFunctions(),
    ...systemAdminFunctions(),
    ...normalizeFunctions(),
    ...basicAggregates(),
    ...jsonAggregates(),
    ...statsAggregates(),
    ...orderedSetAggregates(),
    ...regressionAggregates(),
    ...aggregateStateFunctions(),
    ...windowFunctions(),
    ...textSearchFunctions(),
    ...txidFunctions(),
    ...txidAggregates(),
  ];
  const operators: OperatorDef[] = [
    ...intOperators(),
    ...floatOperators(),
    ...numericOperators(),
    ...comparisonOperators(),
    ...boolOperators(),
    ...stringOperators(),
    ...likeOperators(),
    ...regexOperators(),
    ...datetimeOperators(),
    ...jsonbOperators(),
    ...jsonpathOperators(),
    ...jsonOperators(),
    ...inetOperators(),
    ...macaddrMoneyOperators(),
    ...geometryOperators(),
    ...rangeOperators(),
    ...multirangeOperators(),
    ...bitOperators(),
    ...arrayOperators(),
    ...textSearchOperators(),
    ...txidOperators(),
  ];
  return { functions: group(functions, (f) => f.name), operators: group(operators, (o) => o.name) };
}

function group<T>(
  items: readonly T[],
  key: (item: T) => string,
): ReadonlyMap<string, readonly T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list === undefined) map.set(k, [item]);
    else list.push(item);
  }
  for (const list of map.values()) Object.freeze(list);
  return map;
}
