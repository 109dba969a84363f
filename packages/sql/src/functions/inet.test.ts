/** inet/cidr functions and operators, against PostgreSQL 15's printed results. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseInet } from "../types/inet.js";
import { opText, text } from "./test-util.js";
import { T } from "./type-oids.js";

const inet = (s: string) => parseInet(s, false);

test("address parts of an inet", () => {
  const a = inet("192.168.1.5/24");
  assert.equal(text("host", [T.inet], [a]), "192.168.1.5");
  assert.equal(text("masklen", [T.inet], [a]), "24");
  assert.equal(text("network", [T.inet], [a]), "192.168.1.0/24");
  assert.equal(text("broadcast", [T.inet], [a]), "192.168.1.255/24");
  assert.equal(text("netmask", [T.inet], [a]), "255.255.255.0");
  assert.equal(text("hostmask", [T.inet], [inet("10.0.0.0/8")]), "0.255.255.255");
  assert.equal(text("family", [T.inet], [inet("::1")]), "6");
  assert.equal(text("abbrev", [T.cidr], [parseInet("10.1.0.0/16", true)]), "10.1/16");
  assert.equal(text("set_masklen", [T.inet, T.int4], [inet("10.1.2.3"), 16]), "10.1.2.3/16");
});

test("containment, ordering and arithmetic", () => {
  assert.equal(opText("<<", T.inet, T.inet, inet("192.168.1.5"), inet("192.168.1.0/24")), "t");
  assert.equal(opText(">>=", T.inet, T.inet, inet("192.168.1.0/24"), inet("192.168.1.0/24")),
    "t");
  assert.equal(opText(">>", T.inet, T.inet, inet("192.168.1.0/24"), inet("192.168.1.0/24")),
    "f");
  assert.equal(opText("<", T.inet, T.inet, inet("10.0.0.1"), inet("10.0.0.2")), "t");
  assert.equal(opText("+", T.inet, T.int8, inet("10.0.0.1"), 255n), "10.0.1.0");
  assert.equal(opText("-", T.inet, T.inet, inet("10.0.1.0"), inet("10.0.0.0")), "256");
});
