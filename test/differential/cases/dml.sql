-- DML: INSERT (multi-row, DEFAULT, INSERT ... SELECT, RETURNING, ON CONFLICT), UPDATE (FROM,
-- expressions, RETURNING), DELETE (USING), constraint violations, transactions.
-- setup
create table dm_accounts (id int primary key, owner text not null, balance numeric(12,2) not null default 0 check (balance >= 0), tier text default 'basic', updated int default 0);
create table dm_orders (id int primary key, account_id int not null references dm_accounts (id), amount numeric(10,2) check (amount > 0), status text default 'new');
create table dm_prices (sku text primary key, price int, qty int default 0);
create table dm_log (n serial, msg text);
insert into dm_accounts (id, owner, balance) select g, 'owner' || g, g * 100 from generate_series(1, 20) g;
insert into dm_orders (id, account_id, amount) select g, (g % 20) + 1, (g * 7) % 50 + 1 from generate_series(1, 60) g;

-- test
insert into dm_prices values ('a', 1, 10), ('b', 2, 20), ('c', 3, 30);
insert into dm_prices (sku) values ('d');
insert into dm_prices values ('e', default, default), ('f', 6, default);
insert into dm_prices default values;
insert into dm_prices (sku, price) values ('g', 7) returning *;
insert into dm_prices (sku, price) values ('h', 8), ('i', 9) returning sku, price * 2 as double, qty;
select * from dm_prices;
insert into dm_prices values ('a', 100, 1);
insert into dm_prices values ('x', 'notanumber', 1);
insert into dm_prices values ('x', 1, 2, 3);
insert into dm_prices (sku, nosuch) values ('x', 1);
insert into dm_prices (sku, price) values ('j', 1), ('j', 2);
select count(*) from dm_prices where sku = 'j';
insert into dm_prices (sku, price) select 'gen' || g, g from generate_series(1, 5) g;
insert into dm_prices (sku, price, qty) select sku || '2', price * 10, qty from dm_prices where price <= 3 returning sku, price, qty;
insert into dm_prices (sku, price) values (upper('k'), 2 + 3), (lower('L'), (select max(price) from dm_prices));
select sku, price, qty from dm_prices where sku in ('K', 'l');
-- ON CONFLICT
insert into dm_prices values ('a', 100, 1) on conflict do nothing;
insert into dm_prices values ('a', 100, 1) on conflict (sku) do nothing returning *;
insert into dm_prices values ('a', 100, 1), ('m', 13, 1) on conflict do nothing returning sku;
insert into dm_prices values ('a', 100, 5) on conflict (sku) do update set price = excluded.price, qty = dm_prices.qty + excluded.qty returning *;
insert into dm_prices values ('b', 50, 5) on conflict (sku) do update set price = excluded.price where dm_prices.price > 100 returning *;
insert into dm_prices values ('b', 50, 5) on conflict (sku) do update set price = excluded.price where dm_prices.price < 100 returning *;
insert into dm_prices as p values ('c', 1, 1), ('n', 14, 1) on conflict (sku) do update set qty = p.qty * 2 returning sku, price, qty;
insert into dm_prices values ('z', 1, 1), ('z', 2, 2) on conflict (sku) do update set price = excluded.price;
insert into dm_prices values ('a', 1, 1) on conflict (price) do nothing;
insert into dm_prices values ('o', 1, 1) on conflict (sku) do update set sku = 'p' returning *;
select sku, price, qty from dm_prices where sku in ('a', 'b', 'c', 'm', 'n', 'o', 'p', 'z');
-- UPDATE
update dm_accounts set balance = balance + 1 where id <= 3;
update dm_accounts set balance = balance - 1000 where id = 1;
update dm_accounts set owner = null where id = 1;
update dm_accounts set tier = 'gold', updated = updated + 1 where balance > 1500 returning id, tier, updated;
update dm_accounts set tier = default where id = 20 returning tier;
update dm_accounts set (tier, updated) = ('silver', 9) where id = 10 returning id, tier, updated;
update dm_accounts set (tier, updated) = (select 'bronze', 8) where id = 11 returning id, tier, updated;
update dm_accounts set balance = balance * 2 where false;
update dm_accounts set nosuch = 1;
update dm_accounts a set balance = a.balance + o.total from (select account_id, sum(amount) as total from dm_orders group by account_id) o where o.account_id = a.id and a.id <= 5 returning a.id, a.balance;
update dm_orders o set status = 'big' from dm_accounts a where a.id = o.account_id and a.tier = 'gold' and o.amount > 40;
select id, account_id, amount from dm_orders where status = 'big';
update dm_orders set status = 'small' where amount < (select avg(amount) from dm_orders) and status = 'new';
select status, count(*) from dm_orders group by status;
update dm_accounts set balance = (select max(amount) from dm_orders where account_id = dm_accounts.id) where id between 6 and 8 returning id, balance;
update dm_orders set account_id = 999 where id = 1;
update dm_orders set amount = 0 where id = 2;
update dm_orders set id = id + 1 where id in (10, 11);
update dm_orders set id = id + 100 where id in (10, 11) returning id;
select id, balance from dm_accounts order by id;
-- DELETE
delete from dm_prices where sku like 'gen%';
delete from dm_prices where price > 100 returning sku;
delete from dm_accounts where id = 1;
delete from dm_orders o using dm_accounts a where a.id = o.account_id and a.tier = 'silver' returning o.id, o.amount;
delete from dm_orders where account_id in (select id from dm_accounts where balance < 500) and status = 'small';
select count(*), sum(amount) from dm_orders;
delete from dm_prices where sku = 'nosuch';
delete from dm_prices where qty is null returning *;
delete from dm_log;
-- RETURNING variants
insert into dm_log (msg) values ('one'), ('two') returning n, msg, length(msg);
insert into dm_log (msg) values ('three') returning *, n * 10 as n10;
update dm_log set msg = upper(msg) returning n, msg;
delete from dm_log where n = 1 returning msg || '!' as gone;
select * from dm_log;
-- foreign keys and cascades
create table dm_fk_parent (id int primary key, name text unique);
create table dm_fk_child (id int primary key, pid int references dm_fk_parent on delete cascade, pname text references dm_fk_parent (name) on update cascade on delete set null);
insert into dm_fk_parent values (1, 'one'), (2, 'two'), (3, 'three');
insert into dm_fk_child values (10, 1, 'one'), (11, 1, 'two'), (12, 2, 'three'), (13, null, null);
insert into dm_fk_child values (14, 4, null);
insert into dm_fk_child values (15, null, 'four');
update dm_fk_parent set name = 'TWO' where id = 2;
select * from dm_fk_child;
delete from dm_fk_parent where id = 3;
select * from dm_fk_child;
delete from dm_fk_parent where id = 1;
select * from dm_fk_child;
update dm_fk_parent set id = 5 where id = 2;
delete from dm_fk_child;
update dm_fk_parent set id = 5 where id = 2 returning *;
-- check, not null, unique
create table dm_checks (id int primary key, a int check (a > 0), b int, c text not null, constraint dm_ab check (a < b), unique (c));
insert into dm_checks values (1, 1, 2, 'x');
insert into dm_checks values (2, 0, 2, 'y');
insert into dm_checks values (3, 5, 2, 'y');
insert into dm_checks values (4, 1, 2, null);
insert into dm_checks values (5, 1, 2, 'x');
insert into dm_checks values (6, null, null, 'z');
update dm_checks set c = 'z' where id = 1;
update dm_checks set a = -1 where id = 1;
select * from dm_checks;
-- transactions
begin;
insert into dm_checks values (10, 1, 2, 'tx');
select count(*) from dm_checks;
rollback;
select count(*) from dm_checks;
begin;
insert into dm_checks values (11, 1, 2, 'tx2');
insert into dm_checks values (11, 1, 2, 'tx3');
select 1;
rollback;
start transaction;
insert into dm_checks values (12, 1, 2, 'tx4');
savepoint s1;
insert into dm_checks values (13, 1, 2, 'tx4');
rollback to savepoint s1;
insert into dm_checks values (14, 1, 2, 'tx5');
release savepoint s1;
commit;
select id, c from dm_checks order by id;
commit;
rollback;
begin;
update dm_checks set b = b + 100;
commit;
select id, b from dm_checks order by id;
-- INSERT … SELECT from the same table, read through its own index
create table dm_walk (id int primary key, v int);
insert into dm_walk select g, g from generate_series(1, 2000) g;
insert into dm_walk select id - 100000, v from dm_walk where id between 100 and 120;
select count(*), min(id), max(id) from dm_walk where id < 0;
insert into dm_walk select id + 1, v from dm_walk where id between -100000 and -99000 order by id desc;
select count(*) from dm_walk;
