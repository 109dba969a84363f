/**
 * CREATE FUNCTION … LANGUAGE sql and DROP FUNCTION (work in progress).
 */
import { notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { StatementScope } from "../analyze/scope.js";
import type { Engine } from "../engine.js";

export function createFunction(_engine: Engine, _stmt: ast.CreateFunctionStmt,
  _statement: StatementScope): string {
  throw notSupported("CREATE FUNCTION");
}

export function dropFunctions(_engine: Engine, _stmt: ast.DropStmt, _statement: StatementScope,
  _notice: (message: string) => void): string {
  throw notSupported("DROP FUNCTION");
}
