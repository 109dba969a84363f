export * from "./postgres.js";
export * from "./ports.js";
export * from "./cluster.js";
export * from "./psql.js";
export * from "./compare.js";
export * from "./crash-runs.js";
export * from "./binary-rows.js";
