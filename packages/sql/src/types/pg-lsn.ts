/**
 * pg_lsn: a 64-bit WAL position printed as two hex halves, "16/B374D848", kept as a bigint.
 */
import { ByteReader, ByteWriter } from "./binary.js";
import { invalidInput } from "./errors.js";
import { bigintKey, compareBigints, type TypeIo } from "./type-io.js";

export const pgLsnIo: TypeIo = {
  input(text) {
    const match = /^([0-9a-fA-F]{1,8})\/([0-9a-fA-F]{1,8})$/.exec(text);
    if (match === null) throw invalidInput("pg_lsn", text);
    return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
  },
  output(value) {
    const lsn = value as bigint;
    const high = (lsn >> 32n).toString(16).toUpperCase();
    return `${high}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
  },
  receive(bytes) {
    const reader = new ByteReader(bytes);
    const value = BigInt.asUintN(64, reader.int64());
    reader.end();
    return value;
  },
  send: (value) => new ByteWriter(8).int64(BigInt.asIntN(64, value as bigint)).finish(),
  compare: (a, b) => compareBigints(a as bigint, b as bigint),
  hashKey: (value) => bigintKey(value as bigint),
};
