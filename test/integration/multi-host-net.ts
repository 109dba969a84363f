/**
 * The docker-compose topology without Docker: one network namespace per node, each joined to
 * a bridge in the root namespace by a veth pair, and daemons started inside them with
 * `ip netns exec`. Everything is named with the `tsr` prefix so that a run first removes what
 * an aborted earlier run left behind.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";

export const bridge = { name: "tsrbr0", address: "10.231.0.1" };
export interface HostSpec {
  readonly ns: string;
  /** The root-namespace end of the veth pair; setting it down cuts the host's link. */
  readonly rootVeth: string;
  readonly address: string;
}
export const hosts: readonly HostSpec[] = [
  { ns: "tsr-coord", rootVeth: "tsr-coord-h", address: "10.231.0.10" },
  { ns: "tsr-w1", rootVeth: "tsr-w1-h", address: "10.231.0.11" },
  { ns: "tsr-w2", rootVeth: "tsr-w2-h", address: "10.231.0.12" },
];

export function ip(...args: string[]): string {
  return execFileSync("ip", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function tryIp(...args: string[]): void {
  try {
    ip(...args);
  } catch {
    // already gone
  }
}

/** Whether this machine can build the topology (root with iproute2). */
export function canUseNamespaces(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    ip("netns", "list");
    return true;
  } catch {
    return false;
  }
}

/** Removes the namespaces (after killing what runs in them), veths and bridge. */
export function teardownNetwork(): void {
  for (const host of hosts) {
    let pids: string[] = [];
    try {
      pids = ip("netns", "pids", host.ns).split("\n").filter((p) => p !== "");
    } catch {
      // no such namespace
    }
    for (const pid of pids) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // exited meanwhile
      }
    }
    tryIp("link", "del", host.rootVeth);
    tryIp("netns", "del", host.ns);
  }
  tryIp("link", "del", bridge.name);
}

export function setupNetwork(): void {
  ip("link", "add", bridge.name, "type", "bridge");
  ip("addr", "add", `${bridge.address}/24`, "dev", bridge.name);
  ip("link", "set", bridge.name, "up");
  for (const host of hosts) {
    const inner = `${host.ns}-n`;
    ip("netns", "add", host.ns);
    ip("link", "add", host.rootVeth, "type", "veth", "peer", "name", inner);
    ip("link", "set", inner, "netns", host.ns);
    ip("link", "set", host.rootVeth, "master", bridge.name);
    ip("link", "set", host.rootVeth, "up");
    ip("-n", host.ns, "addr", "add", `${host.address}/24`, "dev", inner);
    ip("-n", host.ns, "link", "set", inner, "up");
    ip("-n", host.ns, "link", "set", "lo", "up");
  }
}

/** A daemon running in a namespace, with its output kept for failure reports. */
export interface Daemon {
  readonly name: string;
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export function startDaemon(name: string, ns: string, args: readonly string[],
  env: Record<string, string>): Daemon {
  const child = spawn("ip", ["netns", "exec", ns, process.execPath, ...args], {
    env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    name, child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
