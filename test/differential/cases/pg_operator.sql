-- pg_operator: Tessera's built-in operators with PostgreSQL 15's OIDs, names, kinds, types,
-- functions, commutators and negators; the regoper / regoperator types and to_regoper /
-- to_regoperator.
-- test
select oid, oprname, oprkind, oprleft::regtype, oprright::regtype, oprresult::regtype,
  oprcode, oprcom, oprnegate, oprcanmerge, oprcanhash, oprnamespace::regnamespace
  from pg_operator where oid = any('{15,91,255,264,402,418,486,495,504,513,524,533,542,553,586,595,612,622,639,663,674,690,709,737,761,796,805,822,902,913,934,1058,1075,1099,1116,1125,1134,1208,1224,1321,1331,1361,1503,1512,1521,1536,1551,1577,1590,1625,1752,1761,1791,1802,1862,1871,1880,1889,1955,2062,2347,2363,2386,2539,2553,2576,2751,2861,2872,2977,3149,3244,3285,3349,3370,3630,3675,3694,3886,3897,3967,4198,4400}'::oid[]) order by oid;
select oprname, oprkind, oprleft::regtype, oprright::regtype, oprresult::regtype
  from pg_operator where oid = any('{15,36,91,96,551,558,597,607,664,1054,3882,3890}')
  order by oid;
select o.oprname, c.oprname as com, n.oprname as neg from pg_operator o
  left join pg_operator c on c.oid = o.oprcom left join pg_operator n on n.oid = o.oprnegate
  where o.oid in (37, 97, 664) order by o.oid;
select oprcode, oprrest, oprjoin from pg_operator where oid = 96;
select oprname from pg_operator where oprleft = 'int4'::regtype and oprright = 'int4'::regtype
  and oprname in ('+', '-', '*', '/', '%', '=', '<>', '<', '>', '<=', '>=') order by 1;
select '||/'::regoper, '||/'::regoper::oid, 'pg_catalog.||/'::regoper;
select '+'::regoper;
select 'pg_catalog.+'::regoper;
select 'nope'::regoper;
select 'foo.+'::regoper;
select 'a.b.c.+'::regoper;
select 15::regoper, 15::regoperator, 1::regoper, 0::regoper, 0::regoperator;
select '+(int4,int4)'::regoperator, '+(int4,int4)'::regoperator::oid;
select '-(NONE,int4)'::regoperator, '-(none , integer)'::regoperator::oid;
select '=(anyrange,anyrange)'::regoperator::oid::int;
select '+(int4)'::regoperator;
select '+(int4,int4,int4)'::regoperator;
select '+'::regoperator;
select '+(int4,int4'::regoperator;
select '+(foo,int4)'::regoperator;
select '+(text,text)'::regoperator;
select to_regoper('+'), to_regoper('||/'), to_regoper('nope'), to_regoper('foo.+');
select to_regoperator('+(int4,int4)'), to_regoperator('+(text,text)');
select to_regoperator('+');
select 551::oid::regoperator, 551::int4::regoper, 551::regoperator::int4;
select '+(int4,int4)'::text::regoperator;
select array['+(int4,int4)', '-(int8,int8)']::regoperator[];
select pg_typeof('+(int4,int4)'::regoperator), pg_typeof(to_regoper('||/'));
select typname, typlen, typcategory from pg_type where oid in (2203, 2204, 2208, 2209)
  order by oid;
select count(*) > 700 from pg_operator;
