/**
 * Runs the real `psql` client against a server, as a user would: `-X` (no psqlrc),
 * `-v ON_ERROR_STOP=1`, unaligned and tuples-only when asked.
 */
import { execFile } from "node:child_process";
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
