-- DEFERRABLE as a transaction characteristic: transaction_deferrable / default_transaction_deferrable
-- (psycopg2's set_session(deferrable=…)), set by BEGIN, SET TRANSACTION and SESSION CHARACTERISTICS.
-- test
show transaction_deferrable;
show default_transaction_deferrable;
begin isolation level serializable read only deferrable;
show transaction_deferrable;
commit;
show transaction_deferrable;
set default_transaction_deferrable = on;
begin;
show transaction_deferrable;
set transaction not deferrable;
show transaction_deferrable;
commit;
set session characteristics as transaction not deferrable;
show default_transaction_deferrable;
set default_transaction_deferrable = 'maybe';

-- restrict_nonsystem_relation_kind (pg_dump sets it): user views may not be read
create view restricted_v as select 1 as x;
set restrict_nonsystem_relation_kind = 'view, bogus';
set restrict_nonsystem_relation_kind = ' View ,foreign-table';
show restrict_nonsystem_relation_kind;
select * from restricted_v;
reset restrict_nonsystem_relation_kind;
select * from restricted_v;
drop view restricted_v;
