/**
 * A TCP proxy in its own Node.js process that forwards bytes both ways and does nothing else:
 * no parsing, no routing, no state. Put in front of PostgreSQL, it measures what a single
 * extra Node.js hop costs on this machine, the least a coordinator written in Node.js can
 * add to a point query (two more socket reads and writes per query, and two more processes
 * to wake). The distributed section reports PostgreSQL behind it next to the distributed
 * pgbench -S figure, so a run shows how much of the gap is the hop itself.
 *
 * Run as a module it is the proxy: `node forwarding-proxy.js <target port>` listens on a
 * free loopback port and prints it.
 */
import { fork, type ChildProcess } from "node:child_process";
import net from "node:net";
import { fileURLToPath } from "node:url";

export interface ForwardingProxy {
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts the proxy process in front of 127.0.0.1:`targetPort`. */
export function startForwardingProxy(targetPort: number): Promise<ForwardingProxy> {
  const child = fork(fileURLToPath(import.meta.url), [String(targetPort)],
    { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the forwarding proxy exited with ${code}`)));
    child.once("message", (port) => resolve({ port: Number(port), stop: () => stopChild(child) }));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

function serve(targetPort: number): void {
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: "127.0.0.1", port: targetPort });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    if (address !== null && typeof address === "object") process.send?.(address.port);
  });
  process.on("disconnect", () => process.exit(0));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) serve(Number(process.argv[2]));
