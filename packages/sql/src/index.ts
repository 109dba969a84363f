export { initParser, parsePlpgsql, parseStatements, type ParsedStatement } from "./parse/parse.js";
export * from "./types/index.js";
export type * as ast from "@pgsql/types";
export * from "./functions/defs.js";
export {
  lookupFunction,
  lookupOperator,
  allFunctions,
  allOperators,
} from "./functions/registry.js";
export { arraySubscript } from "./functions/array.js";
export { rangeFunctionsFor, rangeOperatorsFor } from "./functions/range-functions.js";
export { multirangeDefsFor } from "./functions/multirange-functions.js";
export { accumulateArrays } from "./functions/array-util.js";
export { arraySlice, type SliceBounds } from "./functions/array-slice.js";
export { arraySetElement, arraySetSlice } from "./functions/array-assign.js";
export { jsonbSubscriptAssign } from "./functions/jsonb-subscript-assign.js";
export { compareValues, equalValues } from "./functions/compare.js";
export { isDistinct } from "./functions/bool-ops.js";
export { like, likeEscape } from "./functions/like.js";
export { versionString } from "./functions/misc.js";
export { isKeyword } from "./functions/keywords.js";
