-- test
select sum(x::numeric) from (values ('1'),('infinity')) v(x);
select avg(x::numeric) from (values ('1'),('infinity')) v(x);
select var_pop(x::numeric) from (values ('1'),('infinity')) v(x);
select sum(x::numeric) from (values ('infinity'),('-infinity')) v(x);
select avg(x::numeric) from (values ('infinity'),('-infinity')) v(x);
select var_pop('nan'::numeric);
select var_samp('nan'::numeric);
select stddev_pop('nan'::float4);
