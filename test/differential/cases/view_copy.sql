-- COPY into and out of views, and WHERE CURRENT OF against views
-- setup
create table vc_items (id int primary key, label text);
insert into vc_items values (1, 'one'), (2, 'two'), (3, 'three');
create view vc_plain as select id, label from vc_items;
create view vc_trig as select id, label from vc_items;
create function vc_trig_ins() returns trigger language plpgsql as $$
begin
  insert into vc_items values (new.id, upper(new.label));
  return new;
end $$;
create trigger vc_trig_ins instead of insert on vc_trig for each row execute function vc_trig_ins();
create function vc_trig_upd() returns trigger language plpgsql as $$
begin
  update vc_items set label = new.label where id = old.id;
  return new;
end $$;
create trigger vc_trig_upd instead of update on vc_trig for each row execute function vc_trig_upd();
create view vc_joined as select a.id, b.label from vc_items a join vc_items b using (id);
-- test
copy vc_plain from stdin;
copy vc_plain to stdout;
copy vc_trig to stdout;
copy vc_joined from stdin;
copy vc_trig from '/nonexistent/vc_rows.txt';
copy vc_trig (id, nosuch) from '/nonexistent/vc_rows.txt';
begin;
declare vc_c cursor for select id, label from vc_items order by id;
fetch 1 from vc_c;
update vc_plain set label = 'x' where current of vc_c;
rollback;
begin;
declare vc_c cursor for select id, label from vc_plain;
fetch 1 from vc_c;
update vc_plain set label = 'x' where current of vc_c;
rollback;
begin;
declare vc_c cursor for select id, label from vc_plain;
fetch 1 from vc_c;
delete from vc_plain where current of vc_c;
rollback;
begin;
declare vc_c cursor for select id, label from vc_trig;
fetch 1 from vc_c;
update vc_trig set label = 'x' where current of vc_c;
rollback;
begin;
update vc_plain set label = 'x' where current of vc_nosuch;
rollback;
begin;
update vc_trig set label = 'x' where current of vc_nosuch;
rollback;
select * from vc_items order by id;
begin;
update vc_joined set label = 'x' where current of vc_nosuch;
rollback;
begin;
declare vc_c cursor for select id, label from vc_items;
fetch 1 from vc_c;
update vc_items set label = 'cur' where current of vc_c returning *;
delete from vc_nosuch_table where current of vc_c;
update vc_items set label = 'x' where current of vc_nosuch;
close vc_c;
update vc_items set label = 'x' where current of vc_c;
rollback;
