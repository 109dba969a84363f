import { createServer } from "node:net";

/**
 * Returns a TCP port that was free on `host` a moment ago: the kernel picks it when we bind
 * port 0, and we release it at once. Another process can take it in between, so callers that
 * start a server on it should retry with a new port when the bind fails.
 */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        server.close();
        reject(new Error(`freePort: unexpected address ${String(address)}`));
        return;
      }
      const port = address.port;
      server.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}
