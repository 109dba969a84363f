/**
 * Trigonometry in degrees (PostgreSQL's float.c dsind, dcosd, dtand, dcotd, dasind, dacosd,
 * datand, datan2d). Inputs are folded into the first quadrant and scaled against the value at
 * a known angle, so the well-known angles come out exact: sind(30) is 0.5, tand(45) is 1 and
 * asind(0.5) is 30, where sin(radians(30)) gives 0.49999999999999994.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ScalarFunction } from "./defs.js";
import { fn, num } from "./builders.js";
import { T } from "./type-oids.js";

const radiansPerDegree = Math.PI / 180;
const sin30 = Math.sin(30 * radiansPerDegree);
const oneMinusCos60 = 1 - Math.cos(60 * radiansPerDegree);
const asin05 = Math.asin(0.5);
const acos05 = Math.acos(0.5);
const atan10 = Math.atan(1);

export function degreeTrigFunctions(): ScalarFunction[] {
  const one = (name: string, f: (x: number) => number): ScalarFunction =>
    fn(name, [T.float8], T.float8, (a) => {
      const x = num(a[0] ?? 0);
      return Number.isNaN(x) ? NaN : f(x);
    });
  return [
    one("sind", sind),
    one("cosd", cosd),
    one("tand", (x) => tangent(x, false)),
    one("cotd", (x) => tangent(x, true)),
    one("asind", (x) => (x >= 0 ? asindQ1(inUnitRange(x)) : -asindQ1(-inUnitRange(x)))),
    one("acosd", (x) => (x >= 0 ? acosdQ1(inUnitRange(x)) : 90 + asindQ1(-inUnitRange(x)))),
    one("atand", (x) => (Math.atan(x) / atan10) * 45),
    fn("atan2d", [T.float8, T.float8], T.float8,
      (a) => (Math.atan2(num(a[0] ?? 0), num(a[1] ?? 0)) / atan10) * 45),
  ];
}

function outOfRange(): SqlError {
  return new SqlError(SqlState.numericValueOutOfRange, "input is out of range");
}

function inUnitRange(x: number): number {
  if (x < -1 || x > 1) throw outOfRange();
  return x;
}

function finite(x: number): number {
  if (!Number.isFinite(x)) throw outOfRange();
  return x;
}

const sind0To30 = (x: number): number => (Math.sin(x * radiansPerDegree) / sin30) * 0.5;
const cosd0To60 = (x: number): number =>
  1 - (1 - Math.cos(x * radiansPerDegree)) / oneMinusCos60 / 2;
const sindQ1 = (x: number): number => (x <= 30 ? sind0To30(x) : cosd0To60(90 - x));
const cosdQ1 = (x: number): number => (x <= 60 ? cosd0To60(x) : sind0To30(90 - x));

function sind(input: number): number {
  let x = finite(input) % 360;
  let sign = 1;
  if (x < 0) {
    x = -x;
    sign = -sign;
  }
  if (x > 180) {
    x = 360 - x;
    sign = -sign;
  }
  if (x > 90) x = 180 - x;
  return sign * sindQ1(x);
}

function cosd(input: number): number {
  let x = Math.abs(finite(input) % 360);
  let sign = 1;
  if (x > 180) x = 360 - x;
  if (x > 90) {
    x = 180 - x;
    sign = -sign;
  }
  return sign * cosdQ1(x);
}

/** tand, or cotd when `cotangent`; a zero result is +0, never -0. */
function tangent(input: number, cotangent: boolean): number {
  let x = finite(input) % 360;
  let sign = 1;
  if (x < 0) {
    x = -x;
    sign = -sign;
  }
  if (x > 180) {
    x = 360 - x;
    sign = -sign;
  }
  if (x > 90) {
    x = 180 - x;
    sign = -sign;
  }
  const ratio = (y: number): number =>
    cotangent ? cosdQ1(y) / sindQ1(y) : sindQ1(y) / cosdQ1(y);
  const result = sign * (ratio(x) / ratio(45));
  return result === 0 ? 0 : result;
}

function asindQ1(x: number): number {
  if (x <= 0.5) return (Math.asin(x) / asin05) * 30;
  return 90 - (Math.acos(x) / acos05) * 60;
}

function acosdQ1(x: number): number {
  if (x <= 0.5) return 90 - (Math.asin(x) / asin05) * 30;
  return (Math.acos(x) / acos05) * 60;
}
