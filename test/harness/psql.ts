/**
 * Runs the real `psql` client against a server, as a user would: `-X` (no psqlrc),
 * `-v ON_ERROR_STOP=1`, unaligned and tuples-only when asked.
 */
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface PsqlOptions {
  readonly user?: string;
  readonly password?: string;
  readonly sslmode?: string;
  /** -A -t: values only, '|' between columns. */
  readonly tuplesOnly?: boolean;
  readonly input?: string;
  readonly extraArgs?: readonly string[];
}

export async function psql(port: number, sql: string, options: PsqlOptions = {}): Promise<string> {
  const conninfo =
    `host=127.0.0.1 port=${port} dbname=postgres user=${options.user ?? "postgres"}` +
    ` sslmode=${options.sslmode ?? "disable"}`;
  const args = [
    "-X",
    "-v",
    "ON_ERROR_STOP=1",
    ...(options.tuplesOnly === true ? ["-A", "-t"] : []),
    ...(options.extraArgs ?? []),
    "-c",
    sql,
    conninfo,
  ];
  const env = {
    ...process.env,
    ...(options.password !== undefined && { PGPASSWORD: options.password }),
  };
  const { stdout } = await run("psql", args, { env, timeout: 60_000 });
  return stdout;
}

/**
 * Runs `text` as the psql script file `dir/name`, without ON_ERROR_STOP (the script's errors are
 * part of its output), as `psql -X -f`; returns stdout, a `--- stderr` line and stderr with the
 * file's path written `script`, so outputs of different servers compare.
 */
export async function psqlScript(port: number, dir: string, name: string,
  text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  const conninfo = `host=127.0.0.1 port=${port} dbname=postgres user=postgres sslmode=disable`;
  try {
    const { stdout, stderr } = await run("psql", ["-X", "-f", file, conninfo],
      { timeout: 60_000 });
    return `${stdout}\n--- stderr\n${stderr.split(file).join("script")}`;
  } catch (error) {
    throw new Error(`psql failed on port ${port}: ${String(error)}`);
  }
}
