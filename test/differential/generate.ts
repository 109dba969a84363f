/**
 * Seeded random cases: typed expression trees over int4, int8, numeric, float8, text and bool
 * literals, and filters, projections and groupings over a generated table. The same seed gives
 * the same statements, so a failure replays with `SEED=<seed>`.
 */
import type { CaseFile } from "./run-file.js";
import type { Statement } from "./splitter.js";

type Kind = "int" | "big" | "num" | "float" | "text" | "bool";

/** mulberry32: small, fast, good enough for test generation. */
export function makeRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Gen {
  constructor(
    private readonly random: () => number,
    /** Column names by kind when generating over gen_t; empty for pure literals. */
    private readonly columns: Readonly<Partial<Record<Kind, readonly string[]>>>,
  ) {}

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.random() * (hi - lo + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  literal(kind: Kind): string {
    switch (kind) {
      case "int":
        return this.chance(0.1)
          ? this.pick(["2147483647", "0", "(-2147483647)", "1", "(-1)"])
          : String(this.int(-1000, 1000));
      case "big":
        return this.chance(0.1)
          ? this.pick(["9223372036854775807", "(-9223372036854775807)", "4294967296"])
          : `${this.int(-100000, 100000)}::int8`;
      case "num":
        return `${this.int(-99999, 99999) / 100}::numeric`;
      case "float":
        return this.chance(0.1)
          ? this.pick(["'Infinity'::float8", "'-Infinity'::float8", "'NaN'::float8", "0.1::float8"])
          : `${this.int(-5000, 5000) / 8}::float8`;
      case "text":
        return `'${this.pick(["alpha", "Beta", "gamma delta", "", " x ", "ÄÖü", "a_b%c", "42"])}'`;
      case "bool":
        return this.pick(["true", "false", "null::bool"]);
    }
  }

  leaf(kind: Kind): string {
    const cols = this.columns[kind];
    if (cols && cols.length > 0 && this.chance(0.6)) return this.pick(cols);
    if (kind !== "bool" && this.chance(0.05)) return `null::${sqlType(kind)}`;
    return this.literal(kind);
  }

  expr(kind: Kind, depth: number): string {
    if (depth <= 0 || this.chance(0.3)) return this.leaf(kind);
    const sub = (k: Kind): string => this.expr(k, depth - 1);
    switch (kind) {
      case "int":
      case "big":
      case "num":
      case "float":
        return this.numeric(kind, sub);
      case "text":
        return this.pick([
          () => `(${sub("text")} || ${sub("text")})`,
          () => `upper(${sub("text")})`,
          () => `lower(${sub("text")})`,
          () => `substr(${sub("text")}, ${this.int(-1, 4)}, ${this.int(0, 5)})`,
          () => `replace(${sub("text")}, 'a', 'A')`,
          () => `lpad(${sub("text")}, ${this.int(0, 8)}, '*')`,
          () => `(${sub("int")})::text`,
          () => `(${sub("num")})::text`,
          () => `coalesce(${sub("text")}, 'none')`,
          () => `case when ${sub("bool")} then ${sub("text")} else ${sub("text")} end`,
        ])();
      case "bool": {
        const k = this.pick<Kind>(["int", "big", "num", "float", "text"]);
        return this.pick([
          () => `(${sub(k)} ${this.pick(["=", "<>", "<", "<=", ">", ">="])} ${sub(k)})`,
          () => `(${sub("bool")} ${this.pick(["and", "or"])} ${sub("bool")})`,
          () => `(not ${sub("bool")})`,
          () => `(${sub(k)} is distinct from ${sub(k)})`,
          () => `(${sub(k)} between ${sub(k)} and ${sub(k)})`,
          () => `(${sub(k)} is null)`,
        ])();
      }
    }
  }

  private numeric(kind: Kind, sub: (k: Kind) => string): string {
    const op = this.pick(["+", "-", "*", "/", "%"]);
    const options = [
      () => `(${sub(kind)} ${kind === "float" && op === "%" ? "*" : op} ${sub(kind)})`,
      () => `abs(${sub(kind)})`,
      () => `(- ${sub(kind)})`,
      () => `greatest(${sub(kind)}, ${sub(kind)})`,
      () => `least(${sub(kind)}, ${sub(kind)})`,
      () => `coalesce(${sub(kind)}, ${this.literal(kind)})`,
      () => `nullif(${sub(kind)}, ${this.literal(kind)})`,
      () => `case when ${sub("bool")} then ${sub(kind)} else ${sub(kind)} end`,
    ];
    if (kind === "num")
      options.push(
        () => `round(${sub("num")}, ${this.int(0, 3)})`,
        () => `trunc(${sub("num")}, 1)`,
      );
    if (kind === "float")
      options.push(
        () => `sqrt(abs(${sub("float")}))`,
        () => `(${sub("int")})::float8`,
      );
    if (kind === "big") options.push(() => `(${sub("int")})::int8`);
    if (kind === "int")
      options.push(
        () => `length(${sub("text")})`,
        () => `(${sub("num")})::int4`,
      );
    return this.pick(options)();
  }
}

function sqlType(kind: Kind): string {
  return { int: "int4", big: "int8", num: "numeric", float: "float8", text: "text", bool: "bool" }[
    kind
  ];
}

const TABLE_COLUMNS: Readonly<Partial<Record<Kind, readonly string[]>>> = {
  int: ["a", "id"],
  big: ["b"],
  num: ["c"],
  float: ["d"],
  text: ["s"],
  bool: ["f"],
};

function setupSql(gen: Gen, rows: number): string[] {
  const values: string[] = [];
  for (let id = 1; id <= rows; id++) {
    const maybe = (v: string): string => (gen.chance(0.1) ? "null" : v);
    const row = [
      String(id),
      maybe(String(gen.int(-50, 50))),
      maybe(String(gen.int(-1e6, 1e6))),
      maybe(String(gen.int(-99999, 99999) / 1000)),
      maybe(String(gen.int(-400, 400) / 4)),
      maybe(`'${gen.pick(["red", "green", "blue", "Red", "teal", ""])}'`),
      maybe(gen.pick(["true", "false"])),
    ];
    values.push(`(${row.join(", ")})`);
  }
  return [
    "create table gen_t (id int primary key, a int, b bigint, c numeric(10,3), d float8, " +
      "s text, f bool)",
    `insert into gen_t values\n  ${values.join(",\n  ")}`,
  ];
}

/** `count` statements after the setup, all from `seed`. */
export function generateCases(seed: number, count = 150): CaseFile {
  const random = makeRandom(seed);
  const lit = new Gen(random, {});
  const col = new Gen(random, TABLE_COLUMNS);
  const sqls: { sql: string; section: "setup" | "test" }[] = setupSql(col, 60).map((sql) => ({
    sql,
    section: "setup",
  }));
  const kinds: readonly Kind[] = ["int", "big", "num", "float", "text", "bool"];
  for (let i = 0; i < count; i++) {
    const kind = col.pick(kinds);
    const shape = i % 3;
    let sql: string;
    if (shape === 0) {
      sql = `select ${lit.expr(kind, 3)} as v`;
    } else if (shape === 1) {
      sql = `select id, ${col.expr(kind, 2)} as v from gen_t where ${col.expr("bool", 2)}`;
    } else {
      const group = col.pick(["s", "f", "a % 5", "c > 0"]);
      const agg = col.pick([
        "count(*)",
        "sum(a)",
        "sum(c)",
        "max(s)",
        "min(d)",
        "avg(a)",
        "sum(b)",
        "bool_or(f)",
      ]);
      sql = `select ${group} as g, ${agg} as v from gen_t where ${col.expr("bool", 2)} group by 1`;
    }
    sqls.push({ sql, section: "test" });
  }
  const statements: Statement[] = sqls.map((s, i) => ({
    index: i + 1,
    line: i + 1,
    sql: `${s.sql};`,
    section: s.section,
    order: "unordered",
  }));
  return { name: "generated", statements };
}
