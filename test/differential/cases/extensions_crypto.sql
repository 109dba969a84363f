-- The uuid-ossp and pgcrypto extensions: CREATE / DROP EXTENSION (IF [NOT] EXISTS, in a
-- rolled back block, refused while a column default calls their functions), name-based and
-- nil/namespace UUIDs, digests, HMACs, random bytes and MD5 crypt().
-- test
create extension if not exists "uuid-ossp";
create extension "uuid-ossp";
create extension if not exists pgcrypto;
select extname, extversion, extrelocatable from pg_extension where extname <> 'citus' order by extname;
select uuid_generate_v3(uuid_ns_url(), 'http://www.postgresql.org'), uuid_generate_v5(uuid_ns_dns(), 'www.example.com');
select uuid_nil(), uuid_ns_dns(), uuid_ns_url(), uuid_ns_oid(), uuid_ns_x500();
select length(uuid_generate_v1()::text), substr(uuid_generate_v1()::text, 15, 1), substr(uuid_generate_v4()::text, 15, 1), substr(uuid_generate_v1mc()::text, 15, 1);
select encode(digest('abc', 'sha256'), 'hex'), encode(digest('abc'::bytea, 'md5'), 'hex'), encode(digest('abc', 'sha1'), 'hex');
select encode(hmac('data', 'key', 'sha256'), 'hex'), encode(hmac('data'::bytea, 'key'::bytea, 'sha512'), 'hex');
select digest('abc', 'nope');
select length(gen_random_bytes(16)), gen_random_bytes(0);
select crypt('secret', '$1$saltsalt'), crypt('secret', crypt('secret', '$1$abcdefgh')) = crypt('secret', '$1$abcdefgh');
select crypt('', '$1$x'), crypt('a much longer password than sixteen', '$1$12345678$whatever');
select length(gen_salt('md5')), substr(gen_salt('md5'), 1, 3);
create table ext_users (id uuid primary key default uuid_generate_v4(), pw text);
insert into ext_users (pw) values (crypt('pw', '$1$aaaaaaaa'));
select pw = crypt('pw', pw) from ext_users;
drop extension pgcrypto;
drop extension if exists pgcrypto;
drop extension pgcrypto;
begin; drop extension "uuid-ossp"; rollback;
select extname from pg_extension where extname <> 'citus' order by 1;
drop extension "uuid-ossp" cascade;
select column_default from information_schema.columns where table_name = 'ext_users' and column_name = 'id';
create extension "uuid-ossp";
drop table ext_users;
