SELECT create_reference_table('dx_types');
SELECT create_distributed_table('dx_devices', 'device_id');
SELECT create_distributed_table('dx_events', 'device_id');
SELECT create_distributed_table('dx_users', 'email');
SELECT create_distributed_table('dx_scratch', 'id');
SELECT create_distributed_table('dx_ident', 'tenant');
SELECT create_distributed_table('dx_ident_by_default', 'id');
SELECT create_distributed_table('dx_gen', 'id');
