/**
 * docker/docker-compose.yml, read without a YAML dependency, and the commands and variables
 * the multi-host test runs its daemons with. The reader understands the subset the file uses:
 * nested `key: value` mappings by indentation, `&anchor` on a mapping, `<<: *alias` merges,
 * and flow arrays (`command: ["worker", …]`); sequence items (`- …`) and comments are skipped.
 * compose-check.test.ts asserts the spec below matches the file, so the two stay in step.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");
export const composePath = join(repoRoot, "docker/docker-compose.yml");

interface YamlNode {
  value: string;
  readonly children: Map<string, YamlNode>;
}

/** A service as compose sees it: its command and its environment after merges. */
export interface ComposeService {
  readonly command: readonly string[];
  readonly environment: ReadonlyMap<string, string>;
}

/** Reads the services of a compose file: command arrays and environment keys with values. */
export function readCompose(text: string): Map<string, ComposeService> {
  const anchors = new Map<string, YamlNode>();
  const root: YamlNode = { value: "", children: new Map() };
  const stack: { indent: number; node: YamlNode }[] = [{ indent: -1, node: root }];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\s+#.*$/, "");
    const match = /^( *)([A-Za-z_<][\w.<-]*):(?:\s+(.*))?$/.exec(line);
    if (match === null) continue;
    const indent = match[1]!.length;
    while (stack.at(-1)!.indent >= indent) stack.pop();
    const node: YamlNode = { value: (match[3] ?? "").trim(), children: new Map() };
    const anchor = /^&(\w+)$/.exec(node.value);
    if (anchor !== null) {
      anchors.set(anchor[1]!, node);
      node.value = "";
    }
    stack.at(-1)!.node.children.set(match[2]!, node);
    stack.push({ indent, node });
  }
  const services = new Map<string, ComposeService>();
  for (const [name, raw] of root.children.get("services")?.children ?? []) {
    const service = merged(raw, anchors);
    const command = service.children.get("command")?.value ?? "[]";
    const environment = new Map<string, string>();
    const env = service.children.get("environment");
    for (const [key, value] of env === undefined ? [] : merged(env, anchors).children) {
      environment.set(key, unquote(value.value));
    }
    services.set(name, { command: JSON.parse(command) as string[], environment });
  }
  return services;
}

/** A mapping with its `<<: *alias` keys merged in (its own keys win). */
function merged(node: YamlNode, anchors: Map<string, YamlNode>): YamlNode {
  const out: YamlNode = { value: node.value, children: new Map() };
  const alias = /^\*(\w+)$/.exec(node.children.get("<<")?.value ?? "");
  if (alias !== null) {
    const base = anchors.get(alias[1]!);
    if (base === undefined) throw new Error(`unknown YAML alias *${alias[1]}`);
    for (const [key, value] of merged(base, anchors).children) out.children.set(key, value);
  }
  for (const [key, value] of node.children) if (key !== "<<") out.children.set(key, value);
  return out;
}

function unquote(value: string): string {
  return /^".*"$/.test(value) ? (JSON.parse(value) as string) : value;
}

export function composeServices(): Map<string, ComposeService> {
  return readCompose(readFileSync(composePath, "utf8"));
}

/** The compose service name of the coordinator, which workers use as its host name. */
export const coordinatorHostName = "coordinator";

/** What the multi-host test runs, word for word as in the compose file. */
export const multiHostSpec = {
  commands: {
    coordinator: ["coordinator"],
    worker: ["worker", "--coordinator", `${coordinatorHostName}:5432`],
  },
  /** Variables and, for those the compose file fixes, their values. */
  environment: {
    coordinator: ["TESSERA_HOST", "TESSERA_PORT", "TESSERA_DATA_DIR", "TESSERA_USERS",
      "PGPASSWORD", "TESSERA_CLUSTER_PASSWORD"],
    worker: ["TESSERA_HOST", "TESSERA_PORT", "TESSERA_DATA_DIR", "TESSERA_USERS",
      "PGPASSWORD", "TESSERA_CLUSTER_PASSWORD", "TESSERA_COORDINATOR"],
  },
  fixed: { TESSERA_HOST: "*", TESSERA_PORT: "5432" },
} as const;

export type Role = keyof typeof multiHostSpec.commands;

/** The environment of a daemon: the compose variables with this run's values. */
export function daemonEnvironment(role: Role, values: {
  dataDir: string; password: string; clusterPassword: string; coordinatorIp: string;
}): Record<string, string> {
  const all: Record<string, string> = {
    ...multiHostSpec.fixed,
    TESSERA_DATA_DIR: values.dataDir,
    TESSERA_USERS: `postgres:${values.password}`,
    PGPASSWORD: values.password,
    TESSERA_CLUSTER_PASSWORD: values.clusterPassword,
    TESSERA_COORDINATOR: `${values.coordinatorIp}:5432`,
  };
  const env: Record<string, string> = {};
  for (const name of multiHostSpec.environment[role]) env[name] = all[name]!;
  return env;
}

/** The compose command with the coordinator's host name replaced by its address (no DNS). */
export function daemonCommand(role: Role, coordinatorIp: string): string[] {
  return multiHostSpec.commands[role].map((word) =>
    word.replace(new RegExp(`^${coordinatorHostName}:`), `${coordinatorIp}:`));
}
