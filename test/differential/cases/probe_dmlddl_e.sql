-- setup
create table wr (a int, b text);
insert into wr values (1, 'x'), (2, null);
-- test
select wr from wr order by a;
select w from wr w order by a;
select count(wr.*) from wr;
select wr.* = wr.* from wr;
select (wr.*)::text from wr order by 1;
select row_to_json(wr.*) from wr order by 1;
select row_to_json(wr) from wr order by 1;
select (w).a from wr w order by 1;
select wr.*::text from wr order by 1;
select count(*) from wr where wr.* is not null;
select count(*) from wr where wr is not null;
