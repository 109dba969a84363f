export { initParser, parseStatements, type ParsedStatement } from "./parse/parse.js";
export * from "./types/value.js";
export type * as ast from "@pgsql/types";
