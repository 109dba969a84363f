import { test } from "node:test";
import assert from "node:assert/strict";
import { ChurnMap } from "./churn-map.js";

test("ChurnMap behaves as a Map through adds, replaces and deletes", () => {
  const map = new ChurnMap<object | number, string>();
  const reference = new Map<object | number, string>();
  const keys: (object | number)[] = [1, 2, 3, {}, {}, 0, -1];
  let seed = 3;
  for (let step = 0; step < 5000; step++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const key = keys[seed % keys.length]!;
    const op = (seed >> 8) % 3;
    if (op === 0) {
      map.set(key, `v${step}`);
      reference.set(key, `v${step}`);
    } else if (op === 1) {
      assert.equal(map.delete(key), reference.delete(key));
    }
    assert.equal(map.get(key), reference.get(key));
    assert.equal(map.has(key), reference.has(key));
    assert.equal(map.size, reference.size);
    assert.deepEqual([...map.values()], [...reference.values()]);
  }
  for (const value of map.values()) map.delete(keys.find((k) => map.get(k) === value)!);
  assert.equal(map.size, 0);
});
