-- GRANT / REVOKE ON DATABASE: pg_database.datacl, has_database_privilege, and the checks
-- CREATE and TEMPORARY guard (CREATE SCHEMA, temporary tables).
create role dbpriv_a login;
create role dbpriv_b;
grant dbpriv_b to dbpriv_a;
select datname, datacl::text from pg_database order by datname;
select has_database_privilege('dbpriv_a', 'postgres', 'CREATE'),
  has_database_privilege('dbpriv_a', 'postgres', 'CONNECT'),
  has_database_privilege('dbpriv_a', 'postgres', 'TEMPORARY'),
  has_database_privilege('dbpriv_a', 'postgres', 'temp'),
  has_database_privilege('dbpriv_a', 'postgres', 'create, connect');
select has_database_privilege('postgres', 'create'), has_database_privilege('postgres', 'connect with grant option');
select has_database_privilege('dbpriv_a', (select oid from pg_database where datname = 'postgres'), 'create');
select has_database_privilege('dbpriv_a', 'postgres', 'select');
select has_database_privilege('dbpriv_a', 'no_such_db', 'create');
select has_database_privilege('no_such_role', 'postgres', 'create');
set role dbpriv_a;
create schema dbpriv_s1;
reset role;
grant create on database postgres to dbpriv_b;
select datacl::text from pg_database where datname = 'postgres';
select has_database_privilege('dbpriv_a', 'postgres', 'CREATE');
set role dbpriv_a;
create schema dbpriv_s1;
select nspname, pg_get_userbyid(nspowner) from pg_namespace where nspname = 'dbpriv_s1';
reset role;
grant all privileges on database postgres to dbpriv_a with grant option;
select datacl::text from pg_database where datname = 'postgres';
revoke grant option for temporary on database postgres from dbpriv_a;
select datacl::text from pg_database where datname = 'postgres';
grant select on database postgres to dbpriv_a;
grant create on database no_such_db to dbpriv_a;
grant create on database postgres to no_such_role;
revoke temporary on database postgres from public;
select datacl::text from pg_database where datname = 'postgres';
select has_database_privilege('dbpriv_b', 'postgres', 'temporary'), has_database_privilege('dbpriv_b', 'postgres', 'connect');
revoke all on database postgres from dbpriv_a;
revoke all on database postgres from dbpriv_b;
select datacl::text from pg_database where datname = 'postgres';
set role dbpriv_a;
create temp table dbpriv_t (a int);
create schema dbpriv_s2;
reset role;
grant temporary on database postgres to public;
select datacl::text from pg_database where datname = 'postgres';
set role dbpriv_a;
create temp table dbpriv_t (a int);
insert into dbpriv_t values (1);
select * from dbpriv_t;
drop table dbpriv_t;
reset role;
drop schema dbpriv_s1;
drop role dbpriv_a;
drop role dbpriv_b;
