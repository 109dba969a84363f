/**
 * COPY … FROM into a view with an INSTEAD OF INSERT trigger, against PostgreSQL 15: the same
 * psql script (COPY FROM STDIN with its data inline, in text and CSV, with column lists,
 * WHERE, a domain's default, statement triggers and failing rows) runs on the reference and on a
 * Tessera worker and a coordinator, and prints the same rows, command tags and errors.
 * WHERE CURRENT OF on a view fails as PostgreSQL's over the extended protocol too.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { psqlScriptsOnThree, startThreeServers, type ThreeServers } from "../harness/index.js";


const setup = String.raw`
create domain vc_code as text default 'dd';
create table vc_items (id int primary key, label text, code vc_code);
create table vc_log (n serial, what text);
create view vc_trig as select id, label, code from vc_items;
create function vc_trig_ins() returns trigger language plpgsql as $$
begin
  if new.id < 0 then return null; end if;
  if new.id = 99 then raise exception 'no 99'; end if;
  insert into vc_items values (new.id, upper(new.label), new.code);
  insert into vc_log (what) values ('row ' || new.id);
  return new;
end $$;
create trigger vc_trig_ins instead of insert on vc_trig
  for each row execute function vc_trig_ins();
create function vc_stmt() returns trigger language plpgsql as $$
begin
  insert into vc_log (what) values (tg_when || ' ' || tg_op);
  return null;
end $$;
create trigger vc_before before insert on vc_trig
  for each statement execute function vc_stmt();
create trigger vc_after after insert on vc_trig
  for each statement execute function vc_stmt();
`;

const script = String.raw`
copy vc_trig from stdin;
1	one	a
2	\N	\N
-1	skipped	c
\.
copy vc_trig (label, id) from stdin (format csv, header true);
label,id
three,3
"fo,ur",4
\.
copy vc_trig (id) from stdin;
5
\.
copy vc_trig (id, label) from stdin where id > 6;
6	six
7	seven
\.
copy vc_trig (id) from stdin;
8
99
\.
copy vc_trig (id) from stdin;
9
x
\.
copy vc_trig to stdout;
begin;
copy vc_trig (id) from stdin;
11
\.
select count(*) from vc_items;
rollback;
select * from vc_items order by id;
select what from vc_log order by n;
`;

describe("COPY FROM into a view with an INSTEAD OF INSERT trigger", () => {
  let servers: ThreeServers;

  before(async () => {
    servers = await startThreeServers("view-copy");
  });

  after(async () => {
    await servers?.stop();
  });

  test("rows go to the trigger as on PostgreSQL", async () => {
    const [expected, ...targets] = await psqlScriptsOnThree(servers, setup, script, "copy");
    // Rows the trigger skips (RETURN NULL) count too; CONTEXT names the trigger and line.
    assert.match(expected!, /^COPY 3\n/);
    assert.match(expected!, /line 4 at RAISE\nCOPY vc_trig, line 2: "99"/);
    for (const got of targets) assert.equal(got, expected);
  });

  /** The SQLSTATE `sql` with `params` fails with over the extended protocol, after a FETCH. */
  const currentOfFailure = async (port: number, sql: string, params: unknown[]):
    Promise<string | undefined> => {
    const client = new pg.Client({ host: "127.0.0.1", port, user: "postgres",
      database: "postgres" });
    await client.connect();
    try {
      await client.query("begin");
      await client.query("declare vc_c cursor for select id from vc_items order by id");
      await client.query("fetch 1 from vc_c");
      await client.query(sql, params);
      return undefined;
    } catch (error) {
      return (error as pg.DatabaseError).code;
    } finally {
      await client.end();
    }
  };

  test("WHERE CURRENT OF on a view over the extended protocol", async () => {
    for (const sql of ["update vc_trig set label = $1 where current of vc_c",
      "delete from vc_trig where current of vc_c returning $1::text",
      "update vc_trig set label = $1 where current of vc_nosuch"]) {
      const codes = await Promise.all(servers.ports
        .map((port) => currentOfFailure(port, sql, ["x"])));
      assert.deepEqual(codes, ["0A000", "0A000", "0A000"], sql);
    }
  });
});
