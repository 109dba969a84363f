import { test } from "node:test";
import assert from "node:assert/strict";
import { SqlError } from "@tessera/base";
import { parseStatements } from "@tessera/sql";
import { failure, newEngine, run, testContext } from "../test-support/harness.js";
import type { Engine } from "../engine.js";

/** Runs `sql`; returns the notices it sent, or the error it raised. */
async function notices(engine: Engine, sql: string): Promise<SqlError[]> {
  const sent: SqlError[] = [];
  const ctx = testContext(sent);
  for (const parsed of parseStatements(sql)) {
    const cursor = engine.prepare(parsed.stmt, [], ctx).open([], ctx);
    await cursor.fetch(0);
    cursor.close();
  }
  return sent;
}

test("a function with declarations, loops and a result", async () => {
  const e = await newEngine();
  await run(e, `create function sum_to(n int) returns bigint language plpgsql as $$
    declare total bigint := 0;
    begin
      for i in 1..n loop
        continue when i % 3 = 0;
        total := total + i;
      end loop;
      return total;
    end $$`);
  const r = await run(e, "select sum_to(10), sum_to(0)");
  assert.deepEqual(r.rows, [["37", "0"]]);
  assert.deepEqual(r.types, [20, 20]);
  const error = await failure(e, "select sum_to(null)");
  assert.equal(error.code, "22004");
  assert.equal(error.message, "upper bound of FOR loop cannot be null");
});

test("DECLARE defaults are set each time their block is entered", async () => {
  const e = await newEngine();
  const r = await run(e, `create function f() returns text language plpgsql as $$
    declare s text := ''; begin
    for i in 1..3 loop declare c int := 10; begin c := c + i; s := s || c || ' '; end;
    end loop; return s; end $$; select f()`);
  assert.deepEqual(r.rows, [["11 12 13 "]]);
});

test("RAISE NOTICE formats % and carries PostgreSQL's CONTEXT line", async () => {
  const e = await newEngine();
  const sent = await notices(e, `do $$ begin
    raise notice 'a=% b=% 100%%', 1, null;
  end $$`);
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!.message, "a=1 b=<NULL> 100%");
  assert.equal(sent[0]!.severity, "NOTICE");
  assert.equal(sent[0]!.fields.where, "PL/pgSQL function inline_code_block line 2 at RAISE");
});

test("errors carry SQLSTATE, hint and CONTEXT; a nested call adds its lines", async () => {
  const e = await newEngine();
  await run(e, `create function inner_fn(x int) returns int language plpgsql as $$
    begin
      return 10 / x;
    end $$`);
  const error = await failure(e, "do $$ begin perform inner_fn(0); end $$");
  assert.equal(error.code, "22012");
  assert.equal(error.fields.where, "PL/pgSQL function inner_fn(integer) line 3 at RETURN\n" +
    "SQL statement \"SELECT inner_fn(0)\"\nPL/pgSQL function inline_code_block line 1 at PERFORM");
  const raised = await failure(e, "do $$ begin raise exception 'bad %', 7 using " +
    "errcode = 'check_violation', hint = 'fix it'; end $$");
  assert.equal(raised.code, "23514");
  assert.equal(raised.message, "bad 7");
  assert.equal(raised.hint, "fix it");
});

test("an EXCEPTION handler rolls back its block's writes only", async () => {
  const e = await newEngine();
  await run(e, "create table t (a int primary key)");
  await run(e, `do $$ begin
    insert into t values (1);
    begin
      insert into t values (2);
      insert into t values (1);
    exception when unique_violation then
      insert into t values (3);
    end;
  end $$`);
  assert.deepEqual((await run(e, "select a from t order by a")).rows, [["1"], ["3"]]);
});

test("a volatile function sees its own writes; a stable one may not write", async () => {
  const e = await newEngine();
  await run(e, "create table t (a int)");
  await run(e, `create function add_and_count(v int) returns bigint language plpgsql as $$
    begin insert into t values (v); return (select count(*) from t); end $$`);
  assert.deepEqual((await run(e, "select add_and_count(1)")).rows, [["1"]]);
  assert.deepEqual((await run(e, "select add_and_count(2)")).rows, [["2"]]);
  await run(e, `create function writes_stable() returns int language plpgsql stable as $$
    begin delete from t; return 1; end $$`);
  const error = await failure(e, "select writes_stable()");
  assert.equal(error.code, "0A000");
  assert.equal(error.message, "DELETE is not allowed in a non-volatile function");
  assert.deepEqual((await run(e, "select count(*) from t")).rows, [["2"]]);
});

test("a failed statement undoes what its functions wrote", async () => {
  const e = await newEngine();
  await run(e, "create table t (a int)");
  await run(e, `create function ins(v int) returns int language plpgsql as $$
    begin insert into t values (v); return 10 / v; end $$`);
  await failure(e, "select ins(x) from (values (1), (2), (0)) v(x)");
  assert.deepEqual((await run(e, "select count(*) from t")).rows, [["0"]]);
});

test("SETOF, TABLE and OUT-parameter functions in FROM and the select list", async () => {
  const e = await newEngine();
  await run(e, `create function evens(n int) returns setof int language plpgsql as $$
    begin for i in 1..n loop if i % 2 = 0 then return next i; end if; end loop; end $$`);
  assert.deepEqual((await run(e, "select * from evens(7)")).rows, [["2"], ["4"], ["6"]]);
  assert.deepEqual((await run(e, "select evens(4)")).rows, [["2"], ["4"]]);
  await run(e, `create function pairs() returns table (k int, v text) language plpgsql as $$
    begin return query select g, 'v' || g from generate_series(1, 2) g; end $$`);
  const pairs = await run(e, "select * from pairs()");
  assert.deepEqual(pairs.names, ["k", "v"]);
  assert.deepEqual(pairs.rows, [["1", "v1"], ["2", "v2"]]);
  await run(e, `create function split(s text, out head text, out rest text)
    language plpgsql as $$ begin head := left(s, 1); rest := substr(s, 2); end $$`);
  assert.deepEqual((await run(e, "select * from split('abc')")).rows, [["a", "bc"]]);
  assert.deepEqual((await run(e, "select (split('xy')).rest")).rows, [["y"]]);
});

test("SELECT INTO STRICT, EXECUTE … USING and GET DIAGNOSTICS", async () => {
  const e = await newEngine();
  await run(e, "create table t (a int, b text)");
  await run(e, "insert into t values (1, 'x'), (2, 'y'), (2, 'z')");
  await run(e, `create function pick(k int) returns text language plpgsql as $$
    declare r text; begin select b into strict r from t where a = k; return r; end $$`);
  assert.deepEqual((await run(e, "select pick(1)")).rows, [["x"]]);
  assert.equal((await failure(e, "select pick(5)")).code, "P0002");
  const many = await failure(e, "select pick(2)");
  assert.equal(many.code, "P0003");
  assert.equal(many.message, "query returned more than one row");
  await run(e, `create function touch(k int) returns text language plpgsql as $$
    declare n bigint; c bigint; begin
      execute 'update t set b = b || $2 where a = $1' using k, '!';
      get diagnostics n = row_count;
      execute format('select count(*) from %I', 't') into c;
      return n || ' of ' || c;
    end $$`);
  assert.deepEqual((await run(e, "select touch(2)")).rows, [["2 of 3"]]);
});

test("calls nest until the stack depth limit, as PostgreSQL's max_stack_depth", async () => {
  const e = await newEngine();
  await run(e, `create function down(n int) returns int language plpgsql as $$
    begin if n = 0 then return 0; end if; return 1 + down(n - 1); end $$`);
  assert.deepEqual((await run(e, "select down(50)")).rows, [["50"]]);
  assert.equal((await failure(e, "select down(100000)")).code, "54001");
});

test("DDL inside PL/pgSQL runs and rolls back with its block, CREATE TABLE AS too", async () => {
  const e = await newEngine();
  await run(e, "do $$ begin execute 'create table x (a int)'; insert into x values (1); end $$");
  assert.deepEqual((await run(e, "select a from x")).rows, [["1"]]);
  await failure(e, "do $$ begin create table y (a int); raise exception 'no'; end $$");
  assert.equal((await failure(e, "select * from y")).code, "42P01");
  await run(e, "do $$ begin begin create table z (a int); raise exception 'inner'; " +
    "exception when others then null; end; alter table x add column b int default 2; end $$");
  assert.equal((await failure(e, "select * from z")).code, "42P01");
  assert.deepEqual((await run(e, "select a, b from x")).rows, [["1", "2"]]);
  await run(e, "do $$ begin create table w as select 1 as one; end $$");
  assert.deepEqual((await run(e, "select one from w")).rows, [["1"]]);
  await failure(e, "do $$ begin create table v as select 2; raise exception 'no'; end $$");
  assert.equal((await failure(e, "select * from v")).code, "42P01");
});

test("row and statement triggers: BEFORE changes or skips rows, AFTER sees them", async () => {
  const e = await newEngine();
  await run(e, "create table t (id int primary key, name text, stamp int)");
  await run(e, "create table log (what text)");
  await run(e, `create function stamp() returns trigger language plpgsql as $$
    begin
      if new.id < 0 then return null; end if;
      new.stamp := coalesce(old.stamp, 0) + 1;
      return new;
    end $$`);
  await run(e, `create function note() returns trigger language plpgsql as $$
    begin
      insert into log values (tg_op || ' ' || tg_level || ' ' ||
        coalesce(new.id, old.id, 0) || ' ' || (select count(*) from t));
      return null;
    end $$`);
  await run(e, "create trigger s before insert or update on t for each row " +
    "execute function stamp()");
  await run(e, "create trigger n after insert or delete on t for each row execute function note()");
  await run(e, "create trigger w after insert on t for each statement execute function note()");
  const inserted = await run(e, "insert into t (id, name) values (1, 'a'), (-5, 'x'), (2, 'b') " +
    "returning id, stamp");
  assert.deepEqual(inserted.rows, [["1", "1"], ["2", "1"]]);
  assert.equal(inserted.tag, "INSERT 0 2");
  await run(e, "update t set name = 'c' where id = 2");
  await run(e, "delete from t where id = 1");
  assert.deepEqual((await run(e, "select id, name, stamp from t")).rows, [["2", "c", "2"]]);
  assert.deepEqual((await run(e, "select what from log")).rows,
    [["INSERT ROW 1 2"], ["INSERT ROW 2 2"], ["INSERT STATEMENT 0 2"], ["DELETE ROW 1 1"]]);
  // UPDATE OF: fires only when the SET list names one of the columns.
  await run(e, "create trigger x after update of name on t for each row execute function note()");
  const logged = async (): Promise<string> =>
    (await run(e, "select count(*) from log")).rows[0]![0]!;
  const before = await logged();
  await run(e, "update t set stamp = stamp");
  assert.equal(await logged(), before);
  await run(e, "update t set name = name");
  assert.equal(await logged(), String(Number(before) + 1));
  const instead = await failure(e, "create trigger y instead of insert on t " +
    "for each row execute function note()");
  assert.equal(instead.code, "42809");
  await run(e, "drop trigger s on t");
  assert.equal((await failure(e, "drop trigger s on t")).code, "42704");
});

test("a statement that fails undoes what its triggers wrote", async () => {
  const e = await newEngine();
  await run(e, "create table t (id int primary key)");
  await run(e, "create table log (id int)");
  await run(e, `create function note() returns trigger language plpgsql as $$
    begin insert into log values (new.id); return new; end $$`);
  await run(e, "create trigger n before insert on t for each row execute function note()");
  await failure(e, "insert into t values (1), (2), (1)");
  assert.deepEqual((await run(e, "select count(*) from log")).rows, [["0"]]);
  assert.deepEqual((await run(e, "select count(*) from t")).rows, [["0"]]);
});

test("cursors: bound with arguments, FETCH directions, MOVE, FOR over a cursor", async () => {
  const e = await newEngine();
  await run(e, "create table t (a int)");
  await run(e, "insert into t select g from generate_series(1, 5) g");
  await run(e, `create function walk() returns text language plpgsql as $$
    declare
      c cursor (lo int) for select a from t where a >= lo order by a;
      v int; s text := '';
    begin
      open c(2);
      fetch c into v; s := s || v;
      move forward 2 in c;
      fetch c into v; s := s || v;
      fetch c into v; s := s || coalesce(v::text, '-') || found::text;
      fetch absolute 1 from c into v; s := s || v;
      close c;
      for r in c(4) loop s := s || ' ' || r.a; end loop;
      return s;
    end $$`);
  assert.deepEqual((await run(e, "select walk()")).rows, [["25-false2 4 5"]]);
});

test("a DO block's endless loop stops when the statement is cancelled", async () => {
  const e = await newEngine();
  const abort = new AbortController();
  const ctx = { ...testContext(), signal: abort.signal };
  const stmt = parseStatements("do $$ begin loop end loop; end $$")[0]!.stmt;
  setTimeout(() => abort.abort(), 50);
  const cursor = e.prepare(stmt, [], ctx).open([], ctx);
  await assert.rejects(cursor.fetch(0), (error: SqlError) => error.code === "57014");
  cursor.close();
});
