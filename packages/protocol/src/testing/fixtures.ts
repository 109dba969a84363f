/**
 * Byte fixtures for the protocol's tests: frontend messages built by hand, byte by byte, so a
 * test never relies on the code under test to make its input.
 */
export function int16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value & 0xffff);
  return b;
}

export function int32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(value | 0);
  return b;
}

export function cstr(value: string): Buffer {
  return Buffer.concat([Buffer.from(value, "utf8"), Buffer.from([0])]);
}

/** Returns a typed message: the type letter, the int32 length (counting itself), the body. */
export function message(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from(type, "latin1"), int32(body.length + 4), body]);
}

/** Returns a StartupMessage for protocol 3.0 (or `version`) with the given parameters. */
export function startupMessage(parameters: Record<string, string>, version = 3 << 16): Buffer {
  const pairs = Object.entries(parameters).flatMap(([k, v]) => [cstr(k), cstr(v)]);
  const body = Buffer.concat([int32(version), ...pairs, Buffer.from([0])]);
  return Buffer.concat([int32(body.length + 4), body]);
}

export const sslRequest = Buffer.concat([int32(8), int32((1234 << 16) | 5679)]);
export const gssRequest = Buffer.concat([int32(8), int32((1234 << 16) | 5680)]);

export function cancelRequest(processId: number, secretKey: number): Buffer {
  return Buffer.concat([int32(16), int32((1234 << 16) | 5678), int32(processId), int32(secretKey)]);
}

export const query = (sql: string): Buffer => message("Q", cstr(sql));
export const sync = (): Buffer => message("S");
export const flush = (): Buffer => message("H");
export const terminate = (): Buffer => message("X");

export function parse(name: string, sql: string, types: number[]): Buffer {
  return message("P", cstr(name), cstr(sql), int16(types.length), ...types.map(int32));
}

export function bind(portal: string, statement: string, formats: number[],
  params: (Buffer | null)[], resultFormats: number[]): Buffer {
  const cells = params.map((p) => (p === null ? int32(-1) : Buffer.concat([int32(p.length), p])));
  return message("B", cstr(portal), cstr(statement), int16(formats.length),
    ...formats.map(int16), int16(params.length), ...cells, int16(resultFormats.length),
    ...resultFormats.map(int16));
}

export const describe = (kind: "S" | "P", name: string): Buffer =>
  message("D", Buffer.from(kind), cstr(name));
export const execute = (portal: string, maxRows: number): Buffer =>
  message("E", cstr(portal), int32(maxRows));
export const close = (kind: "S" | "P", name: string): Buffer =>
  message("C", Buffer.from(kind), cstr(name));
export const copyData = (data: Buffer): Buffer => message("d", data);
export const copyDone = (): Buffer => message("c");
export const copyFail = (why: string): Buffer => message("f", cstr(why));
export const functionCall = (oid: number): Buffer =>
  message("F", int32(oid), int16(0), int16(0), int16(0));

/** Returns a seeded pseudo-random generator (mulberry32), so fuzz runs replay with SEED. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
