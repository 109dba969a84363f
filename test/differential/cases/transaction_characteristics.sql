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
