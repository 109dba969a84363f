/**
 * A query's rows in the binary result format, each cell left as node-postgres hands it over
 * undecoded (its bytes read as UTF-8 text): equal bytes give equal strings, so two servers'
 * binary output can be compared cell by cell. Each call prepares a statement of its own.
 */
import type pg from "pg";

/** Returns every cell as received, without type parsing. */
const rawCells = (() => (value: string) => value) as
  unknown as pg.CustomTypesConfig["getTypeParser"];

export async function binaryRows(client: pg.Client, text: string): Promise<unknown[]> {
  // `binary` (result format 1) is a QueryConfig field @types/pg does not declare.
  const config = { text, binary: true, rowMode: "array", name: `b${Math.random()}`,
    types: { getTypeParser: rawCells } } as unknown as pg.QueryArrayConfig;
  return (await client.query(config)).rows;
}
