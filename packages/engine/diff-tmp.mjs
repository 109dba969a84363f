// Ad-hoc differential check against the reference PG on :54334 (not committed).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { newEngine, run } from "./dist/test-support/harness.js";
const [setupFile, queryFile] = process.argv.slice(2);
const setup = readFileSync(setupFile, "utf8");
const queries = readFileSync(queryFile, "utf8").split(/;\s*\n/).map((q) => q.trim()).filter((q) => q && !q.startsWith("--"));
const psql = (sql) => execFileSync("psql", ["-X", "-q", "-A", "-t", "-F", "|", "-h", "127.0.0.1", "-p", "54334", "-U", "pgq", "-d", "diffdb", "-v", "ON_ERROR_STOP=1", "-c", sql], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
try { execFileSync("psql", ["-X", "-q", "-h", "127.0.0.1", "-p", "54334", "-U", "pgq", "-d", "postgres", "-c", "drop database if exists diffdb", "-c", "create database diffdb"]); } catch (e) { console.log(String(e.stderr)); }
psql(setup);
const e = await newEngine();
await run(e, setup);
let bad = 0;
for (const q of queries) {
  let want, got;
  try { want = psql(q).trimEnd(); } catch (err) { want = "ERROR: " + String(err.stderr).split("\n")[0].replace(/^ERROR:\s+/, ""); }
  try {
    const r = await run(e, q);
    got = r.rows.map((row) => row.map((v) => v ?? "").join("|")).join("\n");
  } catch (err) { got = "ERROR: " + err.message; }
  if (want !== got) { bad++; console.log(`--- ${q}\n want:\n${want}\n got:\n${got}`); }
}
console.log(`${queries.length - bad}/${queries.length} match`);
