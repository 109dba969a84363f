-- DROP COLUMN refused while a view reads the column (through a name or a *), as PostgreSQL's
-- dependency on the view's columns.
-- test
create table dv (a int, b int, c int);
create view dv1 as select a, b from dv;
create view dv2 as select * from dv;
create view dv3 as select x.a from dv x;
alter table dv drop column b;
alter table dv drop column c;
drop view dv2;
alter table dv drop column c;
alter table dv drop column b;
drop view dv1;
alter table dv drop column b;
select * from dv3;
alter table dv drop column a;
drop view dv3;
drop table dv;
