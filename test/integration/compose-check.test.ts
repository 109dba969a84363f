/**
 * Keeps the multi-host test in step with docker/docker-compose.yml: the commands and the
 * environment variables it starts daemons with are the ones the compose services use.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { composeServices, multiHostSpec, readCompose } from "./compose-file.js";

describe("docker-compose.yml and the multi-host test", () => {
  const services = composeServices();

  test("the compose file has a coordinator and a worker service", () => {
    assert.deepEqual([...services.keys()].sort(), ["coordinator", "worker"]);
  });

  test("the commands are the compose commands", () => {
    for (const role of ["coordinator", "worker"] as const) {
      assert.deepEqual(services.get(role)?.command, [...multiHostSpec.commands[role]], role);
    }
  });

  test("the environment variables are the compose variables", () => {
    for (const role of ["coordinator", "worker"] as const) {
      const names = [...(services.get(role)?.environment.keys() ?? [])].sort();
      assert.deepEqual(names, [...multiHostSpec.environment[role]].sort(), role);
    }
  });

  test("the fixed values are the compose values", () => {
    for (const role of ["coordinator", "worker"] as const) {
      const env = services.get(role)?.environment;
      for (const [name, value] of Object.entries(multiHostSpec.fixed)) {
        assert.equal(env?.get(name), value, `${role} ${name}`);
      }
    }
    assert.equal(services.get("worker")?.environment.get("TESSERA_COORDINATOR"),
      multiHostSpec.commands.worker[2]);
  });

  test("the reader merges anchors and lets a service's own keys win", () => {
    const text = ["x: &base", "  environment: &env", "    A: \"1\"", "    B: two",
      "services:", "  s:", "    <<: *base", "    command: [\"run\"]",
      "  t:", "    <<: *base", "    environment:", "      <<: *env", "      B: \"3\"  # note",
      "    ports:", "      - \"1:1\""].join("\n");
    const read = readCompose(text);
    assert.deepEqual(read.get("s")?.command, ["run"]);
    assert.deepEqual([...read.get("s")!.environment], [["A", "1"], ["B", "two"]]);
    assert.deepEqual(read.get("t")?.command, []);
    assert.deepEqual([...read.get("t")!.environment], [["A", "1"], ["B", "3"]]);
  });
});
