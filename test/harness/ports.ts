import { createServer } from "node:net";

/**
 * Ports handed out here lie below the kernel's ephemeral range (32768–60999 on Linux): the
 * kernel gives those to every outgoing connection, so a port found free there can be taken a
 * moment later by any client's socket, and a cluster that restarts on its old ports (a worker
 * is known to the coordinator by its port) would find one in use.
 */
const lowestPort = 20_000;
const highestPort = 32_000;
const attemptsMax = 200;

/**
 * Returns the first of `count` consecutive TCP ports that were all free on `host` a moment
 * ago (a cluster takes its coordinator's port and the next ones for its workers). Another
 * process can still take one in between, so callers that start a server on it should retry
 * with a new port when the bind fails.
 */
export async function freePort(host = "127.0.0.1", count = 1): Promise<number> {
  for (let attempt = 0; attempt < attemptsMax; attempt++) {
    const first = lowestPort + Math.floor(Math.random() * (highestPort - lowestPort - count));
    let free = true;
    for (let port = first; free && port < first + count; port++) free = await bindable(host, port);
    if (free) return first;
  }
  throw new Error(`freePort: no ${count} free consecutive ports below ${highestPort} on ${host}`);
}

/** Whether a listening socket can bind `host:port` now (it is closed again at once). */
function bindable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}
