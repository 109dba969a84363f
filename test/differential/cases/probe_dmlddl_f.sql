-- test
create table uq4 (i int unique deferrable initially deferred);
insert into uq4 values (1), (2), (3);
update uq4 set i = i + 1;
begin;
insert into uq4 values (2);
select * from uq4 where i = 2;
explain (costs off) select * from uq4 where i = 2;
explain (costs off) delete from uq4 where i = 2;
select * from uq4;
delete from uq4 where i = 2;
commit;
