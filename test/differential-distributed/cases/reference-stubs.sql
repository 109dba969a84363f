-- Runs on the reference PostgreSQL only, before any case file: no-op stand-ins for the Citus
-- functions case files call, in pg_catalog so that any search_path finds them. Their result
-- (one row of type void) is what Tessera's functions return.
CREATE FUNCTION pg_catalog.create_distributed_table(table_name regclass,
    distribution_column text, distribution_type text DEFAULT 'hash',
    colocate_with text DEFAULT 'default', shard_count int DEFAULT NULL)
  RETURNS void LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE FUNCTION pg_catalog.create_reference_table(table_name regclass)
  RETURNS void LANGUAGE plpgsql AS $$ BEGIN END $$;
