-- macaddr, macaddr8 and money: every input form, canonical output, invalid input (22P02),
-- comparisons and btree order, bitwise operators, trunc, casts, arrays, columns, COPY-free
-- storage, indexes, aggregates; money under lc_monetary C.
-- test
select '08:00:2b:01:02:03'::macaddr, '08-00-2B-01-02-03'::macaddr, '08002b:010203'::macaddr, '08002b-010203'::macaddr;
select '0800.2b01.0203'::macaddr, '0800-2b01-0203'::macaddr, '08002b010203'::macaddr, '  08:00:2b:01:02:03  '::macaddr;
select '8:0:2b:1:2:3'::macaddr, '0x8:0:2b:1:2:3'::macaddr, 'ff:ff:ff:ff:ff:ff'::macaddr;
select '08:00:2b:01:02'::macaddr;
select '08:00:2b:01:02:03:04'::macaddr;
select '08:00:2b:01:02:100'::macaddr;
select '08:00:2b:01:02:-1'::macaddr;
select 'zz:00:2b:01:02:03'::macaddr;
select '08:00-2b:01:02:03'::macaddr;
select ''::macaddr;
select '08:00:2b:01:02:03:04:05'::macaddr8, '08-00-2b-01-02-03-04-05'::macaddr8, '08002b0102030405'::macaddr8, '0800.2b01.0203.0405'::macaddr8;
select '08:00:2b:01:02:03'::macaddr8, '08002b010203'::macaddr8, ' 08:00:2b:01:02:03:04:05 '::macaddr8, '08:00:2B:01:02:03:04:05'::macaddr8;
select '08:00:2b:01:02:03:04'::macaddr8;
select '08:00:2b:01:02:03:04:05:06'::macaddr8;
select '08:00-2b:01:02:03:04:05'::macaddr8;
select '08:00:2b:01:02:03 x'::macaddr8;
select 'g8:00:2b:01:02:03'::macaddr8;
select '0:00:2b:01:02:03'::macaddr8;
select trunc('12:34:56:78:90:ab'::macaddr), trunc('12:34:56:78:90:ab:cd:ef'::macaddr8), macaddr8_set7bit('00:34:56:ab:cd:ef'::macaddr8);
select '12:34:56:78:90:ab'::macaddr & 'ff:ff:ff:00:00:00', '12:34:56:78:90:ab'::macaddr | '01:02:03:04:05:06', ~'12:34:56:78:90:ab'::macaddr;
select '12:34:56:78:90:ab:cd:ef'::macaddr8 & 'ff:ff:ff:ff:00:00:00:00', '12:34:56:78:90:ab:cd:ef'::macaddr8 | '01:02:03:04:05:06:07:08', ~'12:34:56:78:90:ab:cd:ef'::macaddr8;
select '08:00:2b:01:02:03'::macaddr::macaddr8, '08:00:2b:ff:fe:01:02:03'::macaddr8::macaddr, macaddr8('08:00:2b:01:02:03'::macaddr), macaddr('08:00:2b:ff:fe:01:02:03'::macaddr8);
select '08:00:2b:01:02:03:04:05'::macaddr8::macaddr;
select '08:00:2b:01:02:03'::macaddr = '08:00:2B:01:02:03', '08:00:2b:01:02:03'::macaddr < '08:00:2b:01:02:04', '08:00:2b:01:02:03'::macaddr >= 'ff:00:00:00:00:00', '08:00:2b:01:02:03'::macaddr <> '08:00:2b:01:02:03';
select '08:00:2b:01:02:03'::macaddr8 = '08:00:2b:ff:fe:01:02:03'::macaddr8, '08:00:2b:01:02:03'::macaddr = '08:00:2b:ff:fe:01:02:03'::macaddr8;
select pg_typeof('08:00:2b:01:02:03'::macaddr), pg_typeof('08:00:2b:01:02:03'::macaddr8), pg_typeof('1'::money), pg_typeof(array['08:00:2b:01:02:03'::macaddr]);
select '{08:00:2b:01:02:03,08-00-2b-01-02-04}'::macaddr[], array['08:00:2b:01:02:03:04:05'::macaddr8], '{1.5,$2}'::money[];
select '08:00:2b:01:02:03'::macaddr::text, '08:00:2b:01:02:03:04:05'::macaddr8::text, 'abc'::text::macaddr;
-- setup
create table mm_mac (id int primary key, m macaddr, m8 macaddr8, cash money);
insert into mm_mac values (1, '08:00:2b:01:02:03', '08:00:2b:01:02:03:04:05', '12.34'), (2, 'ff:00:00:00:00:01', '00:00:00:00:00:00:00:01', '-5'), (3, '00:00:00:00:00:02', null, '1,000.005'), (4, '08:00:2b:01:02:03', '08002b0102030405', null);
create index mm_mac_m on mm_mac (m);
create index mm_mac_cash on mm_mac using btree (cash);
create index mm_mac_m8 on mm_mac using hash (m8);
-- test
select * from mm_mac order by id;
select m, count(*) from mm_mac group by m order by m;
select distinct m8 from mm_mac order by m8 desc nulls last;
select id from mm_mac where m = '08:00:2b:01:02:03' order by id;
select id from mm_mac where m > '01:00:00:00:00:00' and cash < '$100' order by id;
select min(cash), max(cash), sum(cash) from mm_mac;
select sum(cash) from mm_mac where id > 10;
select a.id, b.id from mm_mac a join mm_mac b on a.m = b.m order by 1, 2;
update mm_mac set cash = cash * 2, m = trunc(m) where id = 1 returning *;
select m::macaddr8, cash::numeric from mm_mac order by id;
-- money
select 1234.56::money, '(12.3)'::money, '$-1,2,3.456'::money, '12.345'::money, '-12.345'::money, ' 12 '::money, ''::money;
select '$ 5 $'::money, '12.3-'::money, '+7'::money, '-$0.01'::money, '0.005'::money, '0.004'::money, '1,,2'::money;
select '-92233720368547758.08'::money, '92233720368547758.07'::money;
select '92233720368547758.08'::money;
select '1e3'::money;
select '1.2.3'::money;
select 'abc'::money;
select '10'::money / 3, '-10'::money / 3, '10'::money / 3.0::float8, '2.5'::money * 1.5::float4, '10'::money / '3'::money;
select 2 * '1.01'::money, 3::int2 * '1'::money, 4::int8 * '1.25'::money, '1.25'::money * 4::int8, '1'::money * 1.5;
select '0.05'::money * 0.5::float8, '0.15'::money * 0.5::float8, '0.25'::money * 0.5::float8, '-0.05'::money * 0.5::float8, '-0.15'::money / 2::float8, '-0.15'::money / 2;
select '1'::money + '2.50'::money, '1'::money - '2.50'::money, '1'::money < '2'::money, '3'::money = '3.00'::money, '1'::money >= '-1'::money;
select '1'::money / 0;
select '1'::money / 0.0::float8;
select '1'::money / '0'::money;
select '90000000000000000'::money * 2;
select '90000000000000000'::money + '90000000000000000'::money;
select '1'::money * 1e300::float8;
select 2147483647::int4::money, (-5)::money, 5::int8::money, '1.005'::numeric::money, '-1.005'::numeric::money, '12.34'::money::numeric, '-$0.01'::money::numeric;
select 1e30::numeric::money;
select 'nan'::numeric::money;
select cash_words('1234567.89'), cash_words('1'), cash_words('0.01'), cash_words('-1000'), cash_words('100.10');
select cash_words('111'), cash_words('-92233720368547758.08'), cash_words('20.20'), cash_words('0'), cash_words('1000000.21');
select cashlarger('1', '2'), cashsmaller('1', '2'), money(12.345), money(12), money(12::int8), numeric('1.5'::money);
select avg('1'::money);
select x from (values ('3'::money), ('-1'), ('2.5')) v(x) order by x;
select -'1'::money;
