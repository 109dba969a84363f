/**
 * COPY to and from a file on the server (`COPY t FROM '/path'`, `COPY t TO '/path'`), which
 * arrives through `prepare` like any statement: its cursor's first fetch streams the file
 * through the same loader and printer COPY STDIN / STDOUT use. PROGRAM is not supported.
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { isAbsolute } from "node:path";
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { PreparedStatement, StatementContext } from "../api.js";
import type { Engine } from "../engine.js";
import { startCopyIn } from "./copy-in.js";
import { startCopyOut } from "./copy-out.js";
import { onceCursor } from "../execute/command-cursor.js";

/** Bytes read from the file per chunk. */
const readChunkBytes = 1024 * 1024;

export function prepareCopyFile(engine: Engine, stmt: ast.CopyStmt): PreparedStatement {
  if (stmt.is_program === true) throw notSupported("COPY with PROGRAM");
  const path = stmt.filename ?? "";
  if (stmt.is_from !== true && !isAbsolute(path)) {
    throw new SqlError(SqlState.invalidName, "relative path not allowed for COPY to file");
  }
  return {
    paramTypes: [],
    columns: null,
    open: (_params, ctx) => onceCursor(() => stmt.is_from === true
      ? copyFromFile(engine, stmt, path, ctx) : copyToFile(engine, stmt, path, ctx)),
  };
}


async function copyFromFile(engine: Engine, stmt: ast.CopyStmt, path: string,
  ctx: StatementContext): Promise<string> {
  const loader = startCopyIn(engine, stmt, ctx);
  try {
    const stream = createReadStream(path, { highWaterMark: readChunkBytes });
    for await (const chunk of stream) loader.accept(chunk as Buffer);
    return await loader.finish();
  } catch (error) {
    loader.abort();
    throw fileError(error, path, "reading",
      "COPY FROM instructs the PostgreSQL server process to read a file. You may want a " +
      "client-side facility such as psql's \\copy.");
  }
}

async function copyToFile(engine: Engine, stmt: ast.CopyStmt, path: string,
  ctx: StatementContext): Promise<string> {
  const source = startCopyOut(engine, stmt, ctx);
  let file;
  try {
    file = await open(path, "w", 0o644);
  } catch (error) {
    throw fileError(error, path, "writing",
      "COPY TO instructs the PostgreSQL server process to write a file. You may want a " +
      "client-side facility such as psql's \\copy.");
  }
  try {
    for await (const chunk of source.chunks()) await file.write(chunk.bytes);
  } finally {
    await file.close();
  }
  return source.commandTag();
}

const systemMessages: Readonly<Record<string, string>> = {
  ENOENT: "No such file or directory", EACCES: "Permission denied", EISDIR: "Is a directory",
  ENOTDIR: "Not a directory",
};

/** Turns a file-system error into Postgres's "could not open file" error. */
function fileError(error: unknown, path: string, mode: string, hint: string): unknown {
  if (error instanceof SqlError) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "string") return error;
  const text = systemMessages[code] ?? code;
  return new SqlError(code === "ENOENT" ? SqlState.undefinedFile : SqlState.ioError,
    `could not open file "${path}" for ${mode}: ${text}`, { hint });
}
