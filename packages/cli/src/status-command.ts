/**
 * `tessera status`: prints the cluster's nodes, shards per node and their sizes as a table.
 */
import { clusterStatus } from "@tessera/coordinator";

export interface StatusFlags {
  host?: string;
  port?: string;
  user?: string;
  password?: string;
}

export async function runStatusCommand(flags: StatusFlags): Promise<void> {
  const nodes = await clusterStatus({
    host: flags.host ?? process.env["TESSERA_HOST_CONNECT"] ?? "127.0.0.1",
    port: Number(flags.port ?? process.env["TESSERA_PORT"] ?? 5432),
    user: flags.user ?? "postgres",
    ...(flags.password !== undefined && { password: flags.password }),
  });
  const header = ["node", "host", "port", "active", "shards", "size"];
  const rows = nodes.map((n) => [String(n.nodeid), n.host, String(n.port), n.active ? "yes" : "no",
    String(n.shards), prettyBytes(n.bytes)]);
  process.stdout.write(table(header, rows));
}

/** Aligns columns like psql's aligned format. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]): string =>
    ` ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")}\n`;
  const rule = `${widths.map((w) => "-".repeat(w + 2)).join("+")}\n`;
  return line(header) + rule + rows.map(line).join("") + `(${rows.length} nodes)\n`;
}

function prettyBytes(bytes: number): string {
  const units = ["bytes", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 10_240 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Math.round(value)} ${units[unit]}`;
}
