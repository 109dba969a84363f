import { test } from "node:test";
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { parse } from "pg-protocol";
import { AssertionError } from "@tessera/base";
import type { BackendMessage, ErrorFields } from "./backend.js";
import { BackendSerializer } from "./serialize-backend.js";

/** Serializes `messages`, then parses the bytes with node-postgres's own client parser. */
async function roundTrip(messages: BackendMessage[]): Promise<Record<string, unknown>[]> {
  const serializer = new BackendSerializer();
  for (const message of messages) serializer.write(message);
  const bytes = serializer.writer.take();
  const parsed: Record<string, unknown>[] = [];
  const stream = new PassThrough();
  const done = parse(stream, (message) => {
    const record = message as unknown as Record<string, unknown>;
    parsed.push({ ...record, message: record["message"] }); // An Error's message is not enumerable.
  });
  // Split at every third byte, so the client parser also reassembles our frames.
  for (let i = 0; i < bytes.length; i += 3) stream.write(bytes.subarray(i, i + 3));
  stream.end();
  await done;
  return parsed;
}

const allFields: ErrorFields = {
  severity: "ERROR", code: "23505", message: "duplicate key value violates unique constraint",
  detail: "Key (id)=(1) already exists.", hint: "Hint.", position: 7, internalPosition: 2,
  internalQuery: "select 1", where: "SQL function", schema: "public", table: "t", column: "id",
  dataType: "int4", constraint: "t_pkey", file: "nbtinsert.c", line: 666,
  routine: "_bt_check_unique",
};

test("node-postgres's parser reads every backend message we write", async () => {
  const cell = (text: string): Buffer => Buffer.from(text);
  const parsed = await roundTrip([
    { type: "authenticationOk" },
    { type: "authenticationSasl", mechanisms: ["SCRAM-SHA-256"] },
    { type: "authenticationSaslContinue", data: cell("r=abc,s=c2FsdA==,i=4096") },
    { type: "authenticationSaslFinal", data: cell("v=xyz") },
    { type: "parameterStatus", name: "server_version", value: "15.0" },
    { type: "backendKeyData", processId: 10001, secretKey: -5 },
    { type: "readyForQuery", status: "T" },
    { type: "rowDescription", fields: [{ name: "a", tableOid: 16384, columnNumber: 1,
      typeOid: 23, typeSize: 4, typeModifier: -1, format: 0 }, { name: "bé", tableOid: 0,
      columnNumber: 0, typeOid: 25, typeSize: -1, typeModifier: -1, format: 1 }] },
    { type: "dataRow", cells: [cell("1"), null] },
    { type: "dataRow", cells: [cell(""), cell("ü")] },
    { type: "commandComplete", tag: "SELECT 2" },
    { type: "emptyQueryResponse" },
    { type: "errorResponse", fields: allFields },
    { type: "noticeResponse", fields: { ...allFields, severity: "NOTICE" } },
    { type: "parseComplete" }, { type: "bindComplete" }, { type: "closeComplete" },
    { type: "noData" }, { type: "portalSuspended" }, { type: "copyDone" },
    { type: "parameterDescription", typeOids: [23, 4294967295] },
    { type: "copyInResponse", format: 0, columnFormats: [0, 0] },
    { type: "copyOutResponse", format: 1, columnFormats: [1] },
    { type: "copyData", data: cell("1\t2\n") },
    { type: "notificationResponse", processId: 10001, channel: "ch", payload: "hi" },
  ]);
  const names = parsed.map((m) => m["name"]);
  assert.deepEqual(names, ["authenticationOk", "authenticationSASL",
    "authenticationSASLContinue", "authenticationSASLFinal", "parameterStatus",
    "backendKeyData", "readyForQuery", "rowDescription", "dataRow", "dataRow",
    "commandComplete", "emptyQuery", "error", "notice", "parseComplete", "bindComplete",
    "closeComplete", "noData", "portalSuspended", "copyDone", "parameterDescription",
    "copyInResponse", "copyOutResponse", "copyData", "notification"]);
  const at = (i: number): Record<string, unknown> => parsed[i] ?? {};
  assert.deepEqual(at(1)["mechanisms"], ["SCRAM-SHA-256"]);
  assert.equal(at(2)["data"], "r=abc,s=c2FsdA==,i=4096");
  assert.equal(at(4)["parameterValue"], "15.0");
  assert.equal(at(5)["processID"], 10001);
  assert.equal(at(5)["secretKey"], -5);
  assert.equal(at(6)["status"], "T");
  const fields = at(7)["fields"] as Record<string, unknown>[];
  assert.equal(fields[1]?.["name"], "bé");
  assert.equal(fields[0]?.["tableID"], 16384);
  assert.equal(fields[1]?.["format"], "binary");
  assert.deepEqual(at(8)["fields"], ["1", null]);
  assert.deepEqual(at(9)["fields"], ["", "ü"]);
  assert.equal(at(10)["text"], "SELECT 2");
  const error = at(12);
  for (const key of ["severity", "code", "detail", "hint", "internalQuery", "where", "schema",
    "table", "column", "dataType", "constraint", "file", "routine"] as const) {
    assert.equal(error[key], allFields[key], key);
  }
  assert.equal(error["message"], allFields.message);
  assert.equal(error["position"], "7");
  assert.equal(error["line"], "666");
  assert.equal(at(13)["severity"], "NOTICE");
  assert.deepEqual(at(20)["dataTypeIDs"], [23, 4294967295]);
  assert.equal(at(22)["binary"], true);
  assert.equal(Buffer.from(at(23)["chunk"] as Buffer).toString(), "1\t2\n");
  assert.equal(at(24)["payload"], "hi");
});

test("consecutive DataRows with different cell counts are a bug", () => {
  const serializer = new BackendSerializer();
  serializer.write({ type: "dataRow", cells: [null] });
  assert.throws(() => serializer.write({ type: "dataRow", cells: [null, null] }), AssertionError);
  const fresh = new BackendSerializer();
  fresh.write({ type: "dataRow", cells: [null] });
  fresh.write({ type: "commandComplete", tag: "SELECT 1" });
  fresh.write({ type: "dataRow", cells: [null, null] });
});

test("large results grow the buffer and keep every byte", () => {
  const serializer = new BackendSerializer();
  const cell = Buffer.alloc(1000, 0x61);
  for (let i = 0; i < 200; i++) serializer.write({ type: "dataRow", cells: [cell, cell] });
  const bytes = serializer.writer.take();
  assert.equal(bytes.length, 200 * (1 + 4 + 2 + 2 * (4 + 1000)));
  assert.equal(serializer.writer.length, 0);
});

test("a RowDescription written again is copied; another message object is serialized anew", () => {
  const field = { name: "a", tableOid: 16384, columnNumber: 1, typeOid: 23, typeSize: 4,
    typeModifier: -1, format: 0 as const };
  const first: BackendMessage = { type: "rowDescription", fields: [field] };
  const other: BackendMessage = { type: "rowDescription",
    fields: [{ ...field, name: "longer_name", format: 1 }] };
  const bytesOf = (serializer: BackendSerializer, message: BackendMessage): Buffer => {
    serializer.write(message);
    return serializer.writer.take();
  };
  const cached = new BackendSerializer();
  const once = bytesOf(cached, first);
  assert.deepEqual(bytesOf(cached, first), once);
  const fresh = bytesOf(new BackendSerializer(), other);
  assert.deepEqual(bytesOf(cached, other), fresh);
  assert.notDeepEqual(fresh, once);
  // Between other messages, as a Describe before each Execute writes it.
  cached.write({ type: "bindComplete" });
  cached.write(first);
  cached.write({ type: "readyForQuery", status: "I" });
  const mixed = cached.writer.take();
  assert.deepEqual(mixed.subarray(5, 5 + once.length), once);
});
