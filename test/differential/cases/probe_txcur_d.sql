-- setup
create table tx_d (i int primary key, t text);
insert into tx_d select g, 'v' || g from generate_series(1, 5) g;
-- test
begin;
declare d1 cursor for select i, t, ctid from tx_d order by i for update;
fetch 2 d1;
update tx_d set t = 'u' where ctid = '(0,2)'::tid;
delete from tx_d where ctid = '(0,3)'::tid returning *;
select i, t from tx_d order by i;
rollback;
