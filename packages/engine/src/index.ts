export * from "./api.js";
export * from "./session/index.js";
export { Engine, type EngineOptions } from "./engine.js";
