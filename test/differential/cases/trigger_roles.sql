-- session_replication_role and which triggers fire under it: ORIGIN, REPLICA, ALWAYS, DISABLED.
-- test
create table sr (id int, v int);
create function sr_f() returns trigger language plpgsql as $$ begin new.v := new.v + 100; return new; end $$;
create trigger sr_o before insert on sr for each row execute function sr_f();
set session_replication_role = replica;
show session_replication_role;
insert into sr values (1, 1);
alter table sr enable replica trigger sr_o;
insert into sr values (2, 1);
set session_replication_role = origin;
insert into sr values (3, 1);
alter table sr enable always trigger sr_o;
insert into sr values (4, 1);
set session_replication_role = local;
insert into sr values (5, 1);
set session_replication_role = nope;
select * from sr order by id;
drop table sr; drop function sr_f();
