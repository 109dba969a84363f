import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, createHmac, pbkdf2Sync } from "node:crypto";
import { SqlError } from "@tessera/base";
import { ScramExchange, mockVerifier, scramVerifier } from "./scram.js";

const salt = Buffer.from("W22ZaJ0SNY7soEsUEjb6gQ==", "base64");
const clientNonce = "rOprNGfwEbeRWgbNEkqO";
const serverNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
const nonce = clientNonce + serverNonce;

test("RFC 7677's example exchange verifies and signs", () => {
  const exchange = new ScramExchange(scramVerifier("pencil", salt), true, serverNonce);
  const serverFirst = exchange.first(`n,,n=user,r=${clientNonce}`);
  assert.equal(serverFirst, `r=${nonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096`);
  const serverFinal = exchange.final(
    `c=biws,r=${nonce},p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=`);
  assert.equal(serverFinal, "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
});

/** Computes a client proof the way a client does, independently of the server code. */
function clientProof(password: string, serverFirst: string, first: string, finalBare: string) {
  const s = /s=([^,]+)/.exec(serverFirst)?.[1] ?? "";
  const salted = pbkdf2Sync(password, Buffer.from(s, "base64"), 4096, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const stored = createHash("sha256").update(clientKey).digest();
  const authMessage = `${first},${serverFirst},${finalBare}`;
  const signature = createHmac("sha256", stored).update(authMessage).digest();
  return Buffer.from(clientKey.map((b, i) => b ^ (signature[i] ?? 0))).toString("base64");
}

function run(exchange: ScramExchange, password: string): string | undefined {
  const serverFirst = exchange.first("n,,n=,r=abc");
  const r = /r=([^,]+)/.exec(serverFirst)?.[1] ?? "";
  const bare = `c=biws,r=${r}`;
  return exchange.final(`${bare},p=${clientProof(password, serverFirst, "n=,r=abc", bare)}`);
}

test("a wrong password and an unknown user fail the same way", () => {
  const verifier = scramVerifier("secret");
  assert.match(run(new ScramExchange(verifier, true), "secret") ?? "", /^v=/);
  assert.equal(run(new ScramExchange(verifier, true), "wrong"), undefined);
  const secret = Buffer.from("mock");
  const mock = mockVerifier("ghost", secret);
  assert.equal(run(new ScramExchange(mock, false), "secret"), undefined);
  assert.deepEqual(mockVerifier("ghost", secret).salt, mock.salt, "a mock salt is stable");
});

test("malformed SCRAM messages are protocol violations", () => {
  const firsts = ["", "x,,n=,r=a", "n,,", "n,,n=,r=", "n,,n=,r=a,b",
    "p=tls-server-end-point,,n=,r=a",
    "n,a=admin,n=,r=a", "n,,m=ext,n=,r=a", "n,,n=,r=a b"];
  for (const first of firsts) {
    const exchange = new ScramExchange(scramVerifier("x"), true);
    assert.throws(() => exchange.first(first), SqlError, first);
  }
  const finals = ["", "c=biws", "c=eSws,r=abcN,p=AAAA", "c=biws,r=wrong,p=" + "A".repeat(44),
    "c=biws,r=abcN,p=AAAA"];
  for (const final of finals) {
    const exchange = new ScramExchange(scramVerifier("x"), true, "N");
    exchange.first("n,,n=,r=abc");
    assert.throws(() => exchange.final(final), SqlError, final);
  }
});
