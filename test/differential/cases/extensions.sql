-- CREATE / ALTER / DROP EXTENSION for an installed extension (plpgsql exists on both sides;
-- citus only in Tessera, tested in test/integration/extensions.test.ts), and for missing ones.
-- test
create extension plpgsql;
create extension if not exists plpgsql;
create extension if not exists plpgsql schema pg_catalog;
alter extension plpgsql update;
alter extension plpgsql update to '2.0';
alter extension no_such_ext update;
drop extension no_such_ext;
drop extension if exists no_such_ext, other_missing_ext;
select extname, extversion, extrelocatable from pg_extension where extname = 'plpgsql';
