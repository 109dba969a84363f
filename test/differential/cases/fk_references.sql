-- The REFERENCES privilege a new foreign key needs on the referenced table, as PostgreSQL 15's
-- checkFkeyPermissions: table-level REFERENCES, or REFERENCES on every referenced column;
-- the owner and superusers pass; CREATE TABLE … REFERENCES and ALTER TABLE … ADD FOREIGN KEY.
-- setup
create role fr_owner;
create role fr_user;
create schema fr_s;
grant all on schema fr_s to public;
create table fr_s.pk (a int primary key, b int unique, c int);
alter table fr_s.pk owner to fr_owner;
-- test
set role fr_user;
create table fr_s.c1 (x int references fr_s.pk);
create table fr_s.c1 (x int references fr_s.pk (b));
create table fr_s.c1 (x int);
alter table fr_s.c1 add foreign key (x) references fr_s.pk (a);
alter table fr_s.c1 add constraint fr_c1_fk foreign key (x) references fr_s.pk;
reset role;
grant references (b) on fr_s.pk to fr_user;
set role fr_user;
create table fr_s.c2 (x int references fr_s.pk (b));
create table fr_s.c3 (x int references fr_s.pk (a));
create table fr_s.c3 (x int references fr_s.pk);
alter table fr_s.c1 add foreign key (x) references fr_s.pk (b);
alter table fr_s.c1 add foreign key (x) references fr_s.pk (a);
select conname from pg_constraint where conrelid in ('fr_s.c1'::regclass, 'fr_s.c2'::regclass)
  order by 1;
reset role;
select attname, attacl::text from pg_attribute where attrelid = 'fr_s.pk'::regclass
  and attacl is not null order by 1;
grant references on fr_s.pk to fr_user;
set role fr_user;
create table fr_s.c3 (x int references fr_s.pk);
alter table fr_s.c1 add constraint fr_c1_a foreign key (x) references fr_s.pk (a);
reset role;
revoke references on fr_s.pk from fr_user;
revoke references (b) on fr_s.pk from fr_user;
set role fr_user;
create table fr_s.c4 (x int references fr_s.pk (b));
reset role;
select relacl::text from pg_class where oid = 'fr_s.pk'::regclass;
set role fr_owner;
create table fr_s.c5 (x int references fr_s.pk);
alter table fr_s.c5 add constraint fr_c5_b foreign key (x) references fr_s.pk (b);
reset role;
create table fr_s.c6 (x int references fr_s.pk);
select conname from pg_constraint where conrelid in ('fr_s.c3'::regclass, 'fr_s.c5'::regclass,
  'fr_s.c6'::regclass) order by 1;
drop schema fr_s cascade;
drop role fr_owner;
drop role fr_user;
