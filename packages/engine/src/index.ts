export * from "./api.js";
export * from "./session/index.js";
