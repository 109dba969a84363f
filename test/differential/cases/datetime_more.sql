-- More date/time fidelity: to_char/to_date/to_timestamp patterns, every extract field,
-- date_trunc with a zone, make_*, justify_*, interval input forms and IntervalStyle output,
-- DateStyle output, TimeZone settings, AT TIME ZONE, generate_series, special values,
-- date_bin, overlaps and error SQLSTATEs. Objects carry the prefix dx_.
-- setup
set TimeZone = 'UTC';
create table dx_ts (id int primary key, ts timestamp, tz timestamptz, d date, iv interval);
insert into dx_ts values
  (1, '2024-01-01 00:00:00', '2024-01-01 00:00:00+00', '2024-01-01', '1 year 2 mons 3 days 04:05:06'),
  (2, '2021-01-03 13:45:30.123456', '2021-01-03 13:45:30.123456+00', '2021-01-03', '-1 day +02:00'),
  (3, '2020-12-31 23:59:59.5', '2020-12-31 23:59:59.5-05', '2020-12-31', '00:00:00.5'),
  (4, '1999-07-04 06:07:08', '1999-07-04 06:07:08+09', '1999-07-04', '-2 years -3 mons'),
  (5, '2000-02-29 12:00:00', '2000-02-29 12:00:00+00', '2000-02-29', '36 hours'),
  (6, '1900-03-01 00:00:01', '1900-03-01 00:00:01+00', '1900-03-01', '45 days 30:00:00');

-- test
-- to_char: names, case variants, FM, TH
select id, to_char(ts, 'Day DAY day Dy DY dy') from dx_ts order by id;
select id, to_char(ts, 'Month MONTH month Mon MON mon') from dx_ts order by id;
select id, to_char(ts, 'FMDay, FMMonth FMDDth, YYYY') from dx_ts order by id;
select id, to_char(ts, 'DDth DDTH FMDDth Mth MMth HH24th') from dx_ts order by id;
select to_char(d, 'DDth') from generate_series(date '2024-01-01', date '2024-01-31', interval '1 day') g(d);
select id, to_char(ts, 'IYYY IYY IY I IW ID') from dx_ts order by id;
select id, to_char(ts, 'YYYY YYY YY Y Y,YYY CC Q WW W J') from dx_ts order by id;
select id, to_char(ts, 'HH HH12 HH24 MI SS SSSS SSSSS MS US') from dx_ts order by id;
select id, to_char(ts, 'AM am PM pm A.M. a.m. P.M. p.m.') from dx_ts order by id;
select id, to_char(ts, 'AD ad BC bc A.D. a.d. B.C. b.c.') from dx_ts order by id;
select id, to_char(ts, 'FF1 FF2 FF3 FF4 FF5 FF6') from dx_ts order by id;
select id, to_char(ts, 'RM rm FMRM DDD FMDDD D') from dx_ts order by id;
select id, to_char(tz, 'YYYY-MM-DD HH24:MI:SS TZ tz OF TZH:TZM') from dx_ts order by id;
select to_char(timestamp '2024-03-05 07:08:09', '"Year:" YYYY "Quarter" Q \\ "lit\"q"');
select to_char(timestamp '2024-03-05 07:08:09', 'YYYYMMDDHH24MISS'), to_char(date '2024-03-05', 'FMMM/FMDD/YYYY');
select to_char(timestamp '0044-03-15 12:00:00 BC', 'YYYY BC AD CC'), to_char(date '0001-01-01 BC', 'YYYY-MM-DD BC');
select to_char(timestamp '2024-03-05 07:08:09', 'TMDay TMMonth TMMon'), to_char(timestamp '2024-03-05 07:08:09', 'SP');
select to_char(interval '1 year 2 mons 3 days 04:05:06.789', 'YYYY MM DD HH24 MI SS MS US');
select to_char(interval '-3 days 04:05:06', 'DD HH24:MI:SS'), to_char(interval '50 hours', 'HH24 HH12 HH');
select to_char(time '13:45:30', 'HH12:MI:SS AM'), to_char(date '2024-02-29', 'J'), to_char(timestamp 'infinity', 'YYYY');
select to_char(timestamptz '2024-06-01 12:00+00', 'YYYY-MM-DD HH24:MI TZ'), to_char(null::timestamp, 'YYYY');
-- to_date / to_timestamp
select to_date('2024-03-05', 'YYYY-MM-DD'), to_date('05/03/2024', 'DD/MM/YYYY'), to_date('20240305', 'YYYYMMDD');
select to_date('March 5, 2024', 'Month DD, YYYY'), to_date('5 mar 24', 'DD mon YY'), to_date('Tuesday 05 MARCH 2024', 'Day DD MONTH YYYY');
select to_date('2024 10', 'IYYY IW'), to_date('2024 10 3', 'IYYY IW ID'), to_date('2460375', 'J');
select to_date('2024 2', 'YYYY Q'), to_date('2024-060', 'YYYY-DDD'), to_date('24-1-5', 'YY-MM-DD'), to_date('70-1-5', 'YY-MM-DD');
select to_date('5th of March 2024', 'DDth "of" Month YYYY'), to_date('  2024  03  05', 'YYYY MM DD'), to_date('2024-3-5', 'FMYYYY-FMMM-FMDD');
select to_date('0044-03-15 BC', 'YYYY-MM-DD BC'), to_date('21 century', 'CC "century"');
select to_timestamp('2024-03-05 13:45:30.123', 'YYYY-MM-DD HH24:MI:SS.MS'), to_timestamp('2024-03-05 01:45:30 PM', 'YYYY-MM-DD HH12:MI:SS AM');
select to_timestamp('2024-03-05 13:45:30.123456', 'YYYY-MM-DD HH24:MI:SS.US'), to_timestamp('2024-03-05 49530', 'YYYY-MM-DD SSSS');
select to_timestamp('2024-03-05 13:45:30 +05:30', 'YYYY-MM-DD HH24:MI:SS TZH:TZM'), to_timestamp('2024-03-05 13:45 -08', 'YYYY-MM-DD HH24:MI TZH');
select to_timestamp('2024-03-05 13:45:30.5', 'YYYY-MM-DD HH24:MI:SS.FF1'), to_timestamp('12:30', 'HH24:MI');
select to_date('2024-13-05', 'YYYY-MM-DD');
select to_date('2024-02-30', 'YYYY-MM-DD');
select to_date('abc', 'YYYY');
select to_timestamp('2024-03-05 25:00', 'YYYY-MM-DD HH24:MI');
select to_timestamp('2024-03-05 13:00 PM', 'YYYY-MM-DD HH12:MI PM');
select to_date('2024-03-05', 'YYYY-MM-DD-HH24');
select to_date('Foo 5 2024', 'Mon DD YYYY');
-- to_timestamp(double)
select to_timestamp(0), to_timestamp(1e9), to_timestamp(-1.5), to_timestamp(1709640000.123456), to_timestamp('Infinity'::float8), to_timestamp('-Infinity'::float8);
select to_timestamp('NaN'::float8);
select to_timestamp(1e20);
-- date_trunc, including a time zone argument
select id, date_trunc('millennium', ts), date_trunc('century', ts), date_trunc('decade', ts) from dx_ts order by id;
select id, date_trunc('second', ts), date_trunc('milliseconds', ts), date_trunc('microseconds', ts), date_trunc('minute', ts) from dx_ts order by id;
select id, date_trunc('week', d), date_trunc('quarter', d), date_trunc('MONTH', d) from dx_ts order by id;
select id, date_trunc('day', tz, 'America/New_York'), date_trunc('month', tz, 'Asia/Kolkata'), date_trunc('hour', tz, '+05:30') from dx_ts order by id;
select date_trunc('year', interval '3 years 5 months 2 days'), date_trunc('month', interval '3 years 5 months 2 days'), date_trunc('minute', interval '-1 day 02:03:04');
select date_trunc('fortnight', timestamp '2024-01-01');
select date_trunc('day', timestamp 'infinity'), date_trunc('day', timestamptz '-infinity');
-- extract / date_part on every field
select id, extract(epoch from ts), extract(epoch from tz), extract(epoch from d) from dx_ts order by id;
select id, extract(dow from ts), extract(isodow from ts), extract(doy from ts), extract(week from ts), extract(isoyear from ts) from dx_ts order by id;
select id, extract(quarter from ts), extract(century from ts), extract(millennium from ts), extract(decade from ts), extract(julian from ts) from dx_ts order by id;
select id, extract(microseconds from ts), extract(milliseconds from ts), extract(second from ts), extract(minute from ts) from dx_ts order by id;
select id, extract(timezone from tz), extract(timezone_hour from tz), extract(timezone_minute from tz) from dx_ts order by id;
select id, date_part('epoch', ts), date_part('dow', d), date_part('julian', d), date_part('century', d), date_part('second', tz) from dx_ts order by id;
select pg_typeof(extract(year from d)), pg_typeof(date_part('year', d)), pg_typeof(extract(epoch from ts)), pg_typeof(date_part('epoch', ts));
select extract(century from date '0001-01-01 BC'), extract(millennium from date '0001-01-01 BC'), extract(decade from date '0001-01-01 BC'), extract(year from date '0001-01-01 BC');
select extract(century from timestamp '1900-12-31'), extract(century from timestamp '1901-01-01'), extract(millennium from timestamp '2000-12-31'), extract(millennium from timestamp '2001-01-01');
select extract(epoch from timestamp 'infinity'), extract(year from timestamp '-infinity'), extract(epoch from date 'infinity'), extract(hour from timestamp 'infinity');
select extract(hour from date '2024-01-01');
select extract(timezone from timestamp '2024-01-01');
select extract(day from time '10:00');
select extract(hour from time '13:45:30.25'), extract(second from time '13:45:30.25'), extract(epoch from time '13:45:30.25'), extract(microseconds from time '00:00:01.5');
select extract(timezone_hour from timetz '10:00+05:30'), extract(timezone_minute from timetz '10:00-03:15'), extract(epoch from timetz '10:00+02');
select extract(epoch from iv), extract(year from iv), extract(month from iv), extract(day from iv), extract(hour from iv), extract(minute from iv), extract(second from iv) from dx_ts order by id;
select extract(millennium from interval '2500 years'), extract(century from interval '-150 years'), extract(decade from interval '25 years'), extract(quarter from interval '7 months'), extract(milliseconds from interval '1.5 seconds');
select extract(dow from interval '1 day');
-- age()
select age(timestamp '2024-03-31', timestamp '2024-02-29'), age(timestamp '2024-02-29', timestamp '2024-03-31'), age(date '2000-01-01', date '1970-06-15');
select age(timestamp '2024-01-01 10:00', timestamp '2023-12-31 11:00'), age(timestamptz '2024-03-10 12:00+00', timestamptz '2024-01-31 13:00+00');
select id, age(ts, timestamp '1970-01-01') from dx_ts order by id;
select age(timestamp '2024-01-01', timestamp '2024-01-01') = interval '0', age(timestamp '2024-01-01') = age(current_date::timestamp, timestamp '2024-01-01');
-- make_*
select make_date(-44, 3, 15), make_date(2024, 12, 31), make_time(23, 59, 59.999999), make_time(0, 0, 0);
select make_timestamp(2024, 2, 29, 23, 59, 59.5), make_timestamp(-44, 3, 15, 12, 0, 0), make_timestamptz(2024, 7, 1, 12, 0, 0), make_timestamptz(2024, 7, 1, 12, 0, 0, 'America/New_York');
select make_timestamptz(2024, 1, 15, 10, 30, 0, '+05:30'), make_timestamptz(2024, 1, 15, 10, 30, 0, 'Asia/Kolkata');
select make_interval(1, 2, 3, 4, 5, 6, 7.5), make_interval(years => 2), make_interval(mins => 90), make_interval(secs => 3661.25), make_interval();
select make_interval(weeks => -1, days => 3), make_interval(months => 13, hours => -25);
select make_date(0, 1, 1);
select make_date(2024, 13, 1);
select make_time(24, 0, 1);
select make_time(10, 60, 0);
select make_timestamp(2024, 2, 30, 0, 0, 0);
select make_timestamptz(2024, 1, 1, 0, 0, 0, 'Mars/Olympus');
-- justify_*
select justify_days(interval '35 days'), justify_days(interval '-35 days'), justify_days(interval '1 month -35 days'), justify_days(interval '30 days 30 hours');
select justify_hours(interval '50 hours 30 minutes'), justify_hours(interval '-50 hours'), justify_hours(interval '1 day -30 hours'), justify_hours(interval '2 mons 49:00');
select justify_interval(interval '1 mon -1 day'), justify_interval(interval '-1 mon 35 days 25 hours'), justify_interval(interval '400 days 100 hours'), justify_interval(interval '-1 day 30 hours');
select id, justify_interval(iv), justify_hours(iv), justify_days(iv) from dx_ts order by id;
-- interval arithmetic and comparison
select interval '1 mon' + interval '30 days', interval '1 day' - interval '25 hours', interval '2 hours' * 2.5, interval '1 mon' / 7, interval '1 year' / 365;
select interval '1 day' * 0.1, interval '7 days' / 0.5, interval '1:00:00' * -1, 3 * interval '1 week', interval '1 mon 1 day 1 hour' * 1.5;
select interval '1 mon' = interval '30 days', interval '1 day' = interval '24 hours', interval '1 year' = interval '360 days', interval '1 year' > interval '364 days';
select interval '-1 day' < interval '0', interval '1 mon' < interval '31 days', greatest(interval '1 day', interval '23:59:59'), least(interval '1 mon', interval '29 days');
select iv from dx_ts order by iv, id;
select sum(iv), avg(iv), min(iv), max(iv) from dx_ts;
select interval '1 day' / 0;
select interval '178000000 years';
select interval '2147483647 days' + interval '1 day';
-- interval input forms
select interval '1 year 2 mons', interval '1 yr 2 mon 3 d 4 hr 5 min 6 sec', interval '1y 2mon 3d', interval '2 weeks 3 days', interval '1 decade 1 century 1 millennium';
select interval 'P1Y2M', interval 'P1Y2M3DT4H5M6.5S', interval 'PT36H', interval 'P2W', interval 'P0.5Y', interval 'P1.5M', interval 'PT0.5S', interval 'P-1DT-2H';
select interval 'P0001-02-03T04:05:06', interval 'P1-2', interval 'P0001-02';
select interval '1:02:03', interval '1:02', interval '-1:02:03', interval '100:00:00', interval '1:02:03.456789', interval '0:00:00.0000005';
select interval '@ 1 day ago', interval '@ 1 year 2 mons -3 days 4 hours ago', interval '1 day ago', interval '-1 day -2 hours ago';
select interval '1 day 02:03:04', interval '-1 day +02:03:04', interval '1 2:03', interval '1 2', interval '5', interval '1.5', interval '1.5 weeks', interval '1.5 months', interval '0.1 years';
select interval '1-2 3 4:05:06', interval '-1-2', interval '+1-2 -3 +4:05:06';
select interval '1 microsecond', interval '1 millisecond', interval '1000 ms', interval '1.5 min', interval '90 sec', interval '1 hour 120 minutes';
select interval(0) '1.567 sec', interval(2) '1.567 sec', interval '1 year 2 mons' year, interval '1 year 2 mons 3 days' month, interval '3 days 04:05:06' day to hour, interval '3 days 04:05:06' hour to minute, interval '04:05:06.789' minute to second;
select interval '1 2' day to hour, interval '1 2' day to second, interval '1 2' hour to minute, interval '2' hour, interval '2' second, interval '1:2' minute to second;
select interval '1 fortnight';
select interval '1 day 2 days xyz';
select interval 'P1Q';
select interval '';
-- IntervalStyle output
set IntervalStyle = 'postgres_verbose';
select interval '1 year 2 mons 3 days 04:05:06.5', interval '-1 day 02:00', interval '0', interval '-1 year -2 mons', interval '1.5 seconds', interval '-00:00:01';
select iv from dx_ts order by id;
set IntervalStyle = 'sql_standard';
select interval '1 year 2 mons 3 days 04:05:06.5', interval '-1 year -2 mons -3 days -04:05:06', interval '1 year -2 mons', interval '0', interval '3 days', interval '04:05', interval '-1 day -02:00';
select iv from dx_ts order by id;
select interval '1-2', interval '3 4:05:06', interval '-1-2 -3 -4:05:06', interval '1-2 3';
set IntervalStyle = 'iso_8601';
select interval '1 year 2 mons 3 days 04:05:06.5', interval '-1 year -2 mons', interval '1 day -02:00', interval '-00:00:00.5', interval '0', interval '36 hours';
select iv from dx_ts order by id;
set IntervalStyle = 'postgres';
select interval '1 year 2 mons 3 days 04:05:06.5', interval '-1 year -2 mons +3 days -04:05:06', interval '0.000001 sec';
set IntervalStyle = 'nonsense';
reset IntervalStyle;
-- DateStyle output
set DateStyle = 'ISO, DMY';
select d, ts, tz, '01/02/2024'::date, '13/02/2024'::date from dx_ts where id in (1, 2) order by id;
set DateStyle = 'SQL, MDY';
select d, ts, tz, time '10:00', '01/02/2024'::date from dx_ts where id in (1, 2, 3) order by id;
select date '0044-03-15 BC', timestamp '0044-03-15 12:00 BC', timestamp 'infinity', date '-infinity';
set DateStyle = 'SQL, DMY';
select d, ts, tz, '01/02/2024'::date from dx_ts where id in (1, 2) order by id;
set DateStyle = 'German';
select d, ts, tz, '01.02.2024'::date from dx_ts where id in (1, 2) order by id;
set DateStyle = 'Postgres';
select d, ts, tz, '01/02/2024'::date from dx_ts where id in (1, 2, 3) order by id;
set DateStyle = 'Postgres, DMY';
select d, ts, tz, '01/02/2024'::date from dx_ts where id in (1, 2) order by id;
select date '0044-03-15 BC', timestamp '0044-03-15 12:00 BC', timestamptz '2024-07-04 12:00+00';
set DateStyle = 'ISO, YMD';
select '24/01/02'::date, '2024-01-02'::date, current_setting('DateStyle');
set DateStyle = 'Banana';
reset DateStyle;
select current_setting('DateStyle');
-- TimeZone settings
set TimeZone = 'America/New_York';
select id, tz, tz::text, tz::date, tz::time from dx_ts order by id;
select timestamptz '2024-03-10 02:30', timestamptz '2024-11-03 01:30', timestamptz '2024-11-03 01:30 EDT', timestamptz '2024-11-03 01:30 EST';
select timestamptz '2024-03-09 12:00' + interval '1 day', timestamptz '2024-03-09 12:00' + interval '24 hours', timestamptz '2024-11-03 00:00' + interval '1 day' - timestamptz '2024-11-03 00:00';
select date_trunc('day', timestamptz '2024-03-10 15:00'), date_trunc('month', timestamptz '2024-11-15 15:00'), extract(timezone from timestamptz '2024-07-01'), extract(timezone_hour from timestamptz '2024-01-01');
select to_char(timestamptz '2024-07-01 12:00', 'YYYY-MM-DD HH24:MI:SS TZ OF'), to_char(timestamptz '2024-01-01 12:00', 'TZH TZM tz');
select generate_series(timestamptz '2024-03-09', timestamptz '2024-03-12', interval '1 day');
set TimeZone = '+05:30';
select id, tz from dx_ts order by id;
select timestamptz '2024-01-01 00:00', extract(timezone from timestamptz '2024-01-01'), to_char(timestamptz '2024-01-01', 'TZ OF'), current_setting('TimeZone');
set TimeZone = 'Asia/Kolkata';
select id, tz, to_char(tz, 'HH24:MI TZ OF') from dx_ts order by id;
select timestamptz '1940-01-01 00:00', timestamptz '1900-01-01 00:00', make_timestamptz(1945, 1, 1, 0, 0, 0);
set TimeZone = 'Europe/London';
select timestamptz '2024-03-31 01:30', timestamptz '2024-07-01 12:00', timestamptz '2024-10-27 01:30', timestamptz '1970-06-01 12:00';
set TimeZone = 'UTC';
select timestamptz '2024-01-01 00:00 America/New_York', timestamptz '2024-01-01 00:00 +05:30', timestamptz '2024-01-01 00:00 Asia/Kolkata', timestamptz '2024-01-01T00:00:00Z', timestamptz '2024-01-01 00:00 PST';
set TimeZone = 'Not/AZone';
set TimeZone = 'UTC';
-- AT TIME ZONE both directions
select timestamp '2024-01-15 12:00' at time zone 'America/New_York', timestamp '2024-07-15 12:00' at time zone 'America/New_York', timestamp '2024-01-15 12:00' at time zone '+05:30', timestamp '2024-01-15 12:00' at time zone 'Asia/Kolkata';
select timestamptz '2024-01-15 12:00+00' at time zone 'America/New_York', timestamptz '2024-07-15 12:00+00' at time zone 'Europe/Paris', timestamptz '2024-01-15 12:00+00' at time zone '+05:30', timestamptz '2024-01-15 12:00+00' at time zone 'UTC';
select timestamp '2024-01-15 12:00' at time zone interval '02:00', timestamptz '2024-01-15 12:00+00' at time zone interval '-03:30', timezone('Asia/Tokyo', timestamptz '2024-01-15 12:00+00');
select id, ts at time zone 'Asia/Kolkata', tz at time zone 'America/New_York', (tz at time zone 'Asia/Tokyo') at time zone 'Asia/Tokyo' = tz from dx_ts order by id;
select timestamp '2024-03-10 02:30' at time zone 'America/New_York', timestamp '2024-11-03 01:30' at time zone 'America/New_York';
select timetz '12:00+02' at time zone 'UTC', time '12:00' at time zone 'UTC' is not null;
select timestamp '2024-01-15 12:00' at time zone 'Nowhere/Special';
-- generate_series over timestamps
select generate_series(timestamp '2024-01-01', timestamp '2024-01-02', interval '6 hours');
select generate_series(timestamp '2024-01-31', timestamp '2024-05-31', interval '1 mon');
select generate_series(timestamp '2024-01-05', timestamp '2024-01-01', interval '-1 day 12:00');
select count(*) from generate_series(timestamp '2024-01-01', timestamp '2024-12-31', interval '1 week');
select generate_series(timestamp '2024-01-01', timestamp '2024-01-01 00:00:01', interval '250 ms');
select generate_series(timestamptz '2024-01-01 00:00+00', timestamptz '2024-01-01 03:00+00', interval '90 minutes');
select generate_series(date '2024-01-01', date '2024-03-01', interval '1 mon'), pg_typeof(generate_series(date '2024-01-01', date '2024-01-01', interval '1 day'));
select generate_series(timestamp '2024-01-01', timestamp '2024-01-02', interval '0');
-- date/timestamp arithmetic
select date '2024-02-28' + 1, date '2024-03-01' - 1, 7 + date '2024-01-01', date '2024-12-31' - date '2024-01-01', date '2024-01-01' - date '2024-12-31', pg_typeof(date '2024-01-01' - date '2023-01-01');
select date '2024-01-01' + interval '1 mon', date '2024-01-01' - interval '1 day 1 hour', date '2024-01-01' + time '23:59:59', time '01:00' + date '2024-01-01', date '2024-01-01' + timetz '10:00+02';
select timestamp '2024-03-01' - timestamp '2024-02-01', timestamp '2024-03-01 10:00' - timestamp '2023-03-01 09:00:00.5', timestamptz '2024-03-11 00:00+00' - timestamptz '2024-03-10 00:00-05';
select timestamp '2024-01-31' + interval '1 mon', timestamp '2024-02-29' + interval '1 year', timestamp '2024-02-29' - interval '1 year', timestamp '2024-03-31' - interval '1 mon 1 day', timestamp '2024-01-01' + interval '-1.5 days';
select time '23:00' + interval '2 hours', time '01:00' - interval '2 hours', time '10:00' - time '12:30', timetz '10:00+02' + interval '1 hour', interval '1 hour' + time '10:00';
select date '2024-01-01' + 2147483647;
select date 'infinity' + 1, date '-infinity' - 1, timestamp 'infinity' - timestamp '2024-01-01';
select timestamp '294276-12-31 23:59:59' + interval '1 day';
-- overlaps
select (date '2024-01-01', date '2024-01-10') overlaps (date '2024-01-10', date '2024-01-20'), (date '2024-01-01', date '2024-01-10') overlaps (date '2024-01-09', date '2024-01-20');
select (timestamp '2024-01-01', interval '1 day') overlaps (timestamp '2024-01-01 23:00', interval '1 hour'), (date '2024-01-10', date '2024-01-01') overlaps (date '2024-01-05', date '2024-01-06');
select (timestamp '2024-01-01', timestamp '2024-01-01') overlaps (timestamp '2024-01-01', timestamp '2024-01-02'), (time '10:00', time '11:00') overlaps (time '10:30', time '12:00');
select (timestamp '2024-01-01', null::timestamp) overlaps (timestamp '2024-01-01', timestamp '2024-01-02'), (timestamp '2024-01-02', null::timestamp) overlaps (timestamp '2024-01-01', timestamp '2024-01-03');
select (timestamptz '2024-01-01 00:00+00', timestamptz '2024-01-02 00:00+00') overlaps (timestamptz '2024-01-01 20:00-05', interval '1 hour');
-- special values and isfinite
select date 'epoch', timestamp 'epoch', timestamptz 'epoch', time 'allballs', timetz 'allballs', date 'today' = current_date, timestamp 'today' = current_date::timestamp;
select date 'tomorrow' - date 'yesterday', timestamp 'tomorrow' - timestamp 'today', 'now'::timestamptz <= now(), now() - now(), current_date - current_date;
select isfinite(date 'infinity'), isfinite(date '2024-01-01'), isfinite(timestamp '-infinity'), isfinite(timestamptz 'infinity'), isfinite(interval '1 day'), isfinite(timestamptz '2024-01-01');
select timestamp 'infinity' > timestamp '294276-01-01', timestamp '-infinity' < timestamp '4713-01-01 BC', date 'infinity'::timestamp, timestamp '-infinity'::date, timestamptz 'infinity'::date;
select 'infinity'::timestamp = 'infinity'::timestamp, greatest(date 'infinity', date '2024-01-01'), least(timestamp '-infinity', timestamp 'epoch');
select interval 'infinity';
select extract(epoch from date 'epoch'), extract(epoch from timestamptz 'epoch'), to_char(timestamp 'epoch', 'YYYY-MM-DD HH24:MI:SS');
-- date_bin
select date_bin(interval '15 minutes', timestamp '2024-01-15 10:38:20', timestamp '2024-01-01 00:05'), date_bin(interval '1 day', timestamp '2024-01-15 10:38', timestamp '2000-01-01');
select date_bin(interval '1 hour 30 minutes', timestamptz '2024-01-15 10:38+00', timestamptz '2024-01-01 00:00+00'), date_bin(interval '10 minutes', timestamp '1999-12-31 23:55', timestamp '2000-01-01 00:03');
select id, date_bin(interval '7 days', ts, timestamp '2001-01-01') from dx_ts order by id;
select date_bin(interval '1 mon', timestamp '2024-01-15', timestamp '2024-01-01');
select date_bin(interval '0 days', timestamp '2024-01-15', timestamp '2024-01-01');
select date_bin(interval '-1 hour', timestamp '2024-01-15', timestamp '2024-01-01');
-- input errors
select date '2024-00-10';
select timestamp '2024-01-01 24:00:01';
select timestamp '2024-01-01 10:61';
select date '10000000-01-01';
select timestamp '2024-01-01 10:00 +25';
select timestamptz '2024-01-01 10:00 Bogus/Zone';
select time '10:00:60.5';
select date '';
select 'yesterday-ish'::timestamp;
select date '2023-02-29';
select timestamp '4714-11-23 BC';
select date '5874898-01-01';
-- more to_char shapes applications use
select id, to_char(tz, 'YYYY-MM-DD"T"HH24:MI:SS.MSOF'), to_char(tz, 'Dy, DD Mon YYYY HH24:MI:SS TZ'), to_char(ts, 'FMHH12:MI am') from dx_ts order by id;
select id, to_char(ts, 'IDDD WW W CC'), to_char(d, 'YYYY"Q"Q'), to_char(d, 'FMMonth FMDDth, YYYY'), to_char(ts, 'HH24:MI:SS.FF3') from dx_ts order by id;
select to_char(timestamp '0001-06-01 BC', 'CC YYYY BC'), to_char(timestamp '0101-06-01 BC', 'CC YYYY'), to_char(date '1900-12-31', 'CC'), to_char(date '2000-12-31', 'CC FMCC');
select to_char(interval '-1 year -2 mons -3 days -04:05:06.7', 'YYYY MM DD HH24 MI SS MS'), to_char(interval '1 day', 'FMDD "days"'), to_char(interval '100 hours 5 min', 'HH24:MI'), to_char(interval '0', 'HH12 AM');
select to_char(timestamp '2024-03-05 07:08:09', 'fmday fmmonth'), to_char(timestamp '2024-03-05 07:08:09', 'FXYYYY'), to_char(timestamp '2024-03-05 07:08:09', '"\"quoted\""'), to_char(timestamp '2024-03-05 07:08:09', 'YYYY\"MM\"DD');
select to_char(timestamp '2024-03-05 07:08:09', ''), to_char(timestamp '2024-03-05 07:08:09', 'no patterns here? x'), to_char(date '2024-03-05', 'HH24:MI:SS');
-- more to_date / to_timestamp shapes
select to_timestamp('05/03/2024 14:07:09', 'DD/MM/YYYY HH24:MI:SS'), to_timestamp('2024-03-05T14:07:09', 'YYYY-MM-DD"T"HH24:MI:SS'), to_timestamp('20240305 140709', 'YYYYMMDD HH24MISS');
select to_date('MAR 05 2024', 'MON DD YYYY'), to_date('mar-05-2024', 'mon-dd-yyyy'), to_date('iii 05 2024', 'rm DD YYYY'), to_date('2,024 03 05', 'Y,YYY MM DD'), to_date('2024 10 1', 'YYYY WW D'), to_date('2024 3 2', 'YYYY MM W');
select to_date('2024 060', 'IYYY IDDD'), to_date('2020 53 7', 'IYYY IW ID'), to_date('2024-03-05 junk', 'YYYY-MM-DD'), to_date('2024/03/05', 'YYYY-MM-DD'), to_date('2024 03 05', 'YYYY-MM-DD');
select to_timestamp('2024-03-05 9:5:3', 'YYYY-MM-DD HH24:MI:SS'), to_timestamp('2024-03-05 12:00 AM', 'YYYY-MM-DD HH:MI AM'), to_timestamp('2024-03-05 12:00 a.m.', 'YYYY-MM-DD HH:MI a.m.'), to_timestamp('1 2 3', 'HH24 MI SS');
select to_timestamp('2024-03-05 14:07:09 -03:30', 'YYYY-MM-DD HH24:MI:SS TZH:TZM'), to_timestamp('2024-03-05 14:07:09-03', 'YYYY-MM-DD HH24:MI:SSTZH'), to_timestamp('2024-03-05 14:07 +0530', 'YYYY-MM-DD HH24:MI TZHTZM');
select to_date('05 2024', 'DD YYYY'), to_date('2024', 'YYYY'), to_date('3', 'MM'), to_date('12 15', 'MM DD'), to_date('21 05', 'CC YY'), to_date('20 00', 'CC YY');
select to_date('202403', 'YYYYMMDD');
select to_date('2024 2025', 'YYYY YYYY');
select to_date('2024 10 3 5', 'IYYY IW ID MM');
select to_date('060', 'DDD');
select to_timestamp('2024-03-05 10:00 EST', 'YYYY-MM-DD HH24:MI TZ');
select to_timestamp('13:00', 'HH12:MI');
select to_timestamp('2024-03-05 10:61', 'YYYY-MM-DD HH24:MI');
select to_date('99999999', 'YYYYMMDD');
select to_date('Marchx 5 2024', 'Month DD YYYY');
-- more extract / date_part
set TimeZone = 'America/New_York';
select extract(hour from timestamptz '2024-03-10 12:00+00'), extract(timezone_hour from timestamptz '2024-03-10 12:00+00'), extract(epoch from timestamptz '2024-03-10 12:00+00'), date_part('day', timestamptz '2024-11-03 04:30+00');
select date_trunc('week', timestamptz '2024-03-12 12:00+00'), date_trunc('quarter', timestamptz '2024-05-12 12:00+00'), date_trunc('year', timestamptz '2024-05-12 12:00+00'), date_trunc('hour', timestamptz '2024-11-03 05:30+00'), date_trunc('hour', timestamptz '2024-11-03 06:30+00');
select age(timestamptz '2024-03-11 00:00', timestamptz '2024-03-09 12:00'), timestamptz '2024-03-11 00:00' - timestamptz '2024-03-09 12:00', timestamptz '2024-03-09 12:00' + interval '1 day 1 hour';
select '2024-03-10'::date::timestamptz, '2024-11-03 01:30'::timestamp::timestamptz, '2024-03-10 02:30'::timestamp::timestamptz, timestamptz '2024-07-01 00:30+00'::date;
set TimeZone = 'UTC';
select extract(week from date '2020-12-31'), extract(week from date '2021-01-03'), extract(week from date '2021-01-04'), extract(isoyear from date '2021-01-03'), extract(doy from date '2024-12-31'), extract(dow from date '2024-12-29');
select date_part('millisecond', timestamp '2024-01-01 00:00:01.234567'), date_part('microsecond', timestamp '2024-01-01 00:00:01.234567'), extract(msec from timestamp '2024-01-01 00:00:01.5'), extract(usec from time '00:00:01.5');
select extract(years from interval '3 years'), extract(mins from interval '90 minutes'), extract(hours from interval '-30 hours'), extract(epoch from interval '1 month'), extract(epoch from interval '-1 year'), date_part('epoch', interval '1.5 seconds');
-- more interval arithmetic and output
select interval '1 mon' / 3, interval '1 day' / 3, interval '1 mon' * 0.5, interval '3 days' * 1.5, interval '1 hour' * 1e-7, interval '1 year' * 1.001;
select interval '29 days 23:59:59' < interval '1 mon', interval '1 mon' = interval '29 days 24:00:00', interval '-1 mon' < interval '-29 days', interval '1 day' = interval '1 day 00:00:00.000001';
select avg(iv), sum(iv) filter (where id < 4), count(distinct iv) from dx_ts;
select interval '123456789 hours', interval '-2147483648 days', interval '2147483647 mons', interval '1 day 2147483647 seconds';
select interval '2147483648 days';
set IntervalStyle = 'iso_8601';
select interval '1 year -1 mon', interval '-1 day 1 hour', interval '1.000001 sec', interval '-1.5 sec', interval '7 days', interval '100 years 1 sec';
set IntervalStyle = 'sql_standard';
select interval '1 day', interval '-1 day', interval '1 year 1 day', interval '-00:00:01.5', interval '100 years', interval '1 mon -1 sec';
set IntervalStyle = 'postgres_verbose';
select interval '1 day 1 sec', interval '-1 sec', interval '2 hours -1 sec', interval '1 mon -1 day', interval '0.000001 sec', interval '-1 year 1 day';
reset IntervalStyle;
-- typmods and rounding
select '2024-01-01 10:00:00.123456'::timestamp(3), '2024-01-01 10:00:00.9999995'::timestamp, '2024-01-01 23:59:59.9999999'::timestamp, '10:00:00.555'::time(1), '10:00:00.555+02'::timetz(2), '2024-01-01 10:00:00.5+00'::timestamptz(0);
select interval '1.123456789 sec', interval(3) '1.123456789 sec', interval '1 day 1.5 hour' hour, interval '1 day 1:30' minute, interval '1 year 5 mons 3 days' year to month, interval '3.5 days' day;
select to_timestamp(1.0000005), to_timestamp(-0.5), to_timestamp(1709640000.9999999), make_time(1, 2, 59.9999999), make_interval(secs => 0.0000005);
-- AT TIME ZONE with abbreviations and more zones
select timestamp '2024-07-01 12:00' at time zone 'CET', timestamp '2024-07-01 12:00' at time zone 'CEST', timestamptz '2024-07-01 12:00+00' at time zone 'PST', timestamptz '2024-07-01 12:00+00' at time zone 'Europe/Berlin', timestamp '2024-07-01 12:00' at time zone 'EST5EDT';
select timestamptz '2024-01-15 12:00+00' at time zone 'UTC+5', timestamptz '2024-01-15 12:00+00' at time zone '-03', timestamptz '2024-01-15 12:00+00' at time zone 'Etc/GMT+5', timestamptz '2024-01-15 12:00+00' at time zone 'Australia/Adelaide';
select timestamptz '2024-01-15 12:00 CET', timestamptz '2024-07-15 12:00 CET', timestamptz '2024-07-15 12:00 Europe/Paris', timestamptz '2024-07-15 12:00 +0200', timestamptz '2024-07-15 12:00 -3', timestamptz 'July 15, 2024 12:00 PM PDT';
select timestamp '2024-01-15 12:00' at time zone interval '25:00';
select timestamp '2024-01-15 12:00' at time zone interval '1 day';
-- generate_series with more steps
select generate_series(timestamp '2024-02-28', timestamp '2024-03-02', interval '1 day'), generate_series(1, 4);
select generate_series(timestamp '2024-01-31', timestamp '2024-12-31', interval '2 mons 1 day');
select generate_series(timestamptz '2024-01-01 00:00+00', timestamptz '2024-01-01 00:00+00', interval '1 hour');
select generate_series(timestamp '2024-01-01', timestamp '2024-01-02', interval '-1 day');
-- overlaps with mixed forms
select (timestamp '2024-01-01', timestamp '2024-01-05') overlaps (timestamp '2024-01-04', interval '2 days'), (timestamp '2024-01-01', interval '1 day') overlaps (timestamp '2024-01-02', timestamp '2024-01-05');
select (date '2024-01-01', interval '1 day') overlaps (date '2024-01-01', interval '1 day'), (time '23:00', interval '2 hours') overlaps (time '00:30', interval '1 hour');
-- extract and AT TIME ZONE on time values
select extract(minute from time '13:45:30'), extract(milliseconds from time '13:45:30.25'), date_part('hour', timetz '13:45:30+05'), extract(timezone from timetz '10:00-08'), extract(second from timetz '10:00:01.5+01');
select timetz '12:00+02' at time zone interval '-05:00', timetz '23:30+00' at time zone 'Asia/Kolkata' is not null, timetz '10:00+02' - interval '11 hours', time '10:00' + date '2024-01-01';
select extract(foo from time '10:00');
select extract(isodow from timetz '10:00+00');

-- POSIX-style TimeZone settings
set TimeZone = 'UTC+5';
select timestamptz '2024-07-01 00:00+00', to_char(timestamptz '2024-07-01 00:00+00', 'TZ OF'), current_setting('TimeZone');
set TimeZone = '<ABC>+3';
select timestamptz '2024-07-01 00:00+00', to_char(timestamptz '2024-07-01 00:00+00', 'TZ tz OF'), extract(timezone from timestamptz '2024-07-01 00:00+00');
set TimeZone = 'EST5EDT';
select timestamptz '2024-07-01 00:00+00', timestamptz '2024-01-01 00:00+00', to_char(timestamptz '2024-01-01 00:00+00', 'TZ');
set TimeZone = '-3';
select timestamptz '2024-07-01 00:00+00', current_setting('TimeZone'), to_char(timestamptz '2024-07-01 00:00+00', 'TZ OF');
set TimeZone = 'UTC';
-- DateStyle: what follows the style, and what ignores it
set DateStyle = 'German';
select current_setting('DateStyle'), date '2024-01-02'::text, to_json(date '2024-01-02'), to_json(timestamp '2024-01-02 03:04'), array[date '2024-01-02'], row(date '2024-01-02', timestamp '2024-01-02 03:04');
select '02.01.2024'::date, '02.01.2024 10:00'::timestamp, '2024-01-02'::date, jsonb_build_object('d', date '2024-01-02'), date '2024-01-02' || '!';
set DateStyle = 'Postgres';
select current_setting('DateStyle'), timestamp '2024-01-02 03:04:05.5', date '2024-01-02', time '03:04', timetz '03:04+02', interval '1 day';
set DateStyle = 'SQL';
select current_setting('DateStyle'), '01/02/2024'::date, timestamptz '2024-01-02 03:04+00';
set TimeZone = '+05:30';
select timestamptz '2024-01-02 03:04+00';
set DateStyle = 'Postgres';
select timestamptz '2024-01-02 03:04+00';
set TimeZone = 'UTC';
set DateStyle = 'ISO, MDY';
select current_setting('DateStyle');
set DateStyle = 'YMD';
select current_setting('DateStyle'), '02/01/03'::date;
reset DateStyle;
-- age, justify and arithmetic corners
select age(timestamp '2024-01-31', timestamp '2024-02-29'), age(timestamp '2023-02-28', timestamp '2024-02-29'), age(timestamp '2024-03-01 00:00', timestamp '2024-02-29 23:59:59.999999'), age(date '2024-01-01', date '2024-01-01');
select justify_days(interval '-1 mon 45 days'), justify_hours(interval '-1 day 36 hours'), justify_interval(interval '1 year -400 days'), justify_interval(interval '-1 mon 1 day');
select interval '1 mon 1 day' - interval '1 day 1 mon', interval '-1 mon' * -1, -(interval '-2147483647 days'), interval '1 day' * 2147483647;
select interval '1 day' * 2147483648;
select timestamp '2024-01-01' + interval '1 mon -1 day', timestamp '2024-03-31' + interval '-1 mon', timestamp '2024-01-01 00:00' - interval '1.5 mon', date '2024-02-29' + interval '1 year 1 day';
select timestamp '2024-01-01' - timestamp '1999-01-01', timestamptz '2024-01-01 00:00+00' - timestamptz '1999-01-01 00:00+00', date '2024-01-01' - timestamp '2023-12-31 12:00';
-- extract from special and edge values
select extract(dow from timestamp 'infinity'), extract(julian from date '-infinity'), extract(epoch from timestamptz '-infinity'), date_part('year', date 'infinity'), extract(century from timestamp 'infinity');
select extract(epoch from timestamp '4713-11-24 00:00 BC'), extract(julian from timestamp '4714-11-24 12:00 BC'), extract(epoch from date '294276-12-31'), extract(year from timestamp '294276-12-31 23:59:59.999999');
select extract(week from timestamp 'infinity');
select extract(fortnight from timestamp 'infinity');
-- text of dates inside other text follows DateStyle and IntervalStyle
set DateStyle = 'German';
set IntervalStyle = 'iso_8601';
select format('%s|%s', date '2024-01-02', timestamptz '2024-01-01 00:00+00'), concat(timestamp '2024-01-02 03:04', '!'), array_to_string(array[date '2024-01-02'], ','), interval '1 day' || '', concat(array[interval '1 hour']);
reset DateStyle;
reset IntervalStyle;
select 'now'::timestamptz = now(), 'today'::timestamp = date_trunc('day', localtimestamp), 'tomorrow'::date - 'today'::date, localtimestamp - localtimestamp, current_time - current_time, statement_timestamp() >= now();
-- to_timestamp field reading, fixed widths and errors
select to_timestamp('2024-03-05 14:07:09.5', 'YYYY-MM-DD HH24:MI:SS.MS'), to_timestamp('2024-03-05 14:07:09.05', 'YYYY-MM-DD HH24:MI:SS.US'), to_timestamp('2024-03-05 14:07:09.1234', 'YYYY-MM-DD HH24:MI:SS.FF3');
select to_timestamp('2024-03-05', 'FXYYYY-MM-DD'), to_timestamp('2024--03--05', 'YYYY-MM-DD'), to_timestamp('2024x03x05', 'YYYYxMMxDD'), to_timestamp('2024 march05', 'YYYY monthDD'), to_timestamp('Date: 2024-03-05', '"Date:" YYYY-MM-DD');
select to_timestamp('24-3-5', 'YYY-MM-DD'), to_timestamp('524-3-5', 'YYY-MM-DD'), to_timestamp('5-3-5', 'Y-MM-DD'), to_timestamp('0-3-5', 'YY-MM-DD'), to_timestamp('-2024-03-05', 'YYYY-MM-DD');
select to_timestamp('2024 100', 'YYYY DDD'), to_timestamp('2024 12 100', 'YYYY MM DDD'), to_timestamp('2024 1 1', 'YYYY W WW'), to_timestamp('2024 53 1', 'IYYY IW ID'), to_timestamp('2024 1', 'IYYY IDDD'), to_timestamp('Monday 2024 10', 'Day IYYY IW');
select to_timestamp('5 24 BC', 'CC YY BC'), to_timestamp('44 B.C.', 'YYYY B.C.'), to_timestamp('2451545 12:00', 'J HH24:MI'), to_timestamp('3600 30', 'SSSS MI'), to_timestamp('123045', 'HH24MISS'), to_timestamp('xii 2024', 'RM YYYY');
select to_timestamp('2024 03 05th', 'YYYY MM DDth'), to_timestamp('2024 03rd 05', 'YYYY MMth DD'), to_timestamp('1,000 01 01', 'Y,YYY MM DD'), to_timestamp('2024-03-05 14 30', 'YYYY-MM-DD TZH TZM'), to_timestamp('2024-03-05 12:00 +14', 'YYYY-MM-DD HH24:MI TZH');
select to_timestamp('2024', ''), to_timestamp('', 'YYYY'), to_date('5874897-12-31', 'YYYY-MM-DD'), to_date('4714-11-24 BC', 'YYYY-MM-DD BC');
select to_timestamp('1230', 'HH24MISS');
select to_timestamp('x', 'YYYY');
select to_timestamp('2024 10', 'YYYY IW');
select to_timestamp('2024 367', 'YYYY DDD');
select to_timestamp('2147483648', 'YYYY');
select to_timestamp('2024 3 4', 'YYYY MM MM');
select to_date('5874898-01-01', 'YYYY-MM-DD');
select to_date('4714-11-23 BC', 'YYYY-MM-DD BC');
select to_timestamp('294277-01-01', 'YYYY-MM-DD');
-- to_char corners
select to_char(timestamp '0005-03-05 07:08:09 BC', 'Y,YYY YYYY YYY YY Y IYYY'), to_char(date '2021-01-01', 'IYYY IYY IY I IW ID IDDD'), to_char(date '2024-12-30', 'IYYY-IW-ID YYYY-WW-D W');
select to_char(date '2024-03-05', 'DDTH DDth DTH IDth WWth IWth CCth Qth Jth'), to_char(date '2024-03-05', 'Yyyy Mm Dd Hh24 Iw'), to_char(date '2024-05-05', 'TMMONTH|TMMonth|TMmonth|TMDAY|TMday|TMMon|TMDy');
select to_char(timestamp '2024-03-05 07:08:09', 'FM'), to_char(timestamp '2024-03-05 07:08:09', 'TH'), to_char(timestamp '2024-03-05 07:08:09', '"abc\'), to_char(timestamp '2024-03-05', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), to_char(timestamp '2024-03-05 13:14:15', 'A.M.a.m.P.M.p.m.AMamPMpm');
select to_char(interval '25 hours 3 min', 'HH24 HH12 HH MI SS AM DD'), to_char(interval '-25 hours -3 min', 'HH24 HH12 HH MI SS AM'), to_char(interval '1 year 14 mons 40 days', 'YYYY MM DD DDD WW W Q CC'), to_char(interval '-1 year', 'Y,YYY YYY YY Y CC SSSS');
select to_char(interval '123456 hours 59 min 59.999 sec', 'HH24:MI:SS.MS US FF3 SSSS');
select to_char(interval '3 mons', 'Mon');
select to_char(interval '3 mons', 'TZ');
-- interval input corners
select interval '10 secs 10 msecs 10 usecs', interval '1 week 1 day', interval '1 day 1:00', interval '1-2 1 day', interval '1 day ago 2 hours', interval '@ 30 minutes ago', interval '@ -30 minutes ago';
select interval '0.0000015 sec', interval '0.0000025 sec', interval '1.0000015 sec', interval '-1.0000015 sec', interval '1.5 us', interval '0.5 ms', interval '1.00000005 day';
select interval '1 hour 1 hour';
select interval '1 hour 1:00';
select interval '1 second 5';
-- input forms that carry zones
select timestamptz '2024-01-15 10:30:00 UTC+3', timestamptz '2024-01-15 10:30:00 GMT-2', timestamptz '2024-01-15 10:30:00 utc', timestamptz '2024-01-15 10:30:00 -08:00:30', timestamptz '2024-01-15 10:30:00 +0530';
select timestamp '2024-01-15 10:30:00.1234565', timestamp '2024-01-15 10:30:00.9999995', time '10:30:00.0000015', timestamp '2024-12-31 23:59:59.9999995', time '23:59:59.9999995';
-- range edges
select date '5874897-12-31', date '4714-11-24 BC', to_timestamp(-210866803200), to_timestamp(9224318015999), to_timestamp(1e-7), to_timestamp(0.0000015), to_timestamp(1234567890.0000005);
select date '5874897-12-31' + 1;
select date '4714-11-24 BC' - 1;
select to_timestamp(-210866803201);
select to_timestamp(1e13);
select make_interval(secs => 'infinity');
select date_trunc('hour', timestamptz '2024-01-01 00:30+00', 'Mars/Base');
select date_trunc('dow', timestamp '2024-01-01');
select make_timestamptz(2024, 1, 1, 0, 0, 0, 'CET'), make_timestamptz(2024, 7, 1, 0, 0, 0, 'CET'), make_timestamptz(2024, 7, 1, 0, 0, 0, '-03:30'), make_timestamptz(2024, 7, 1, 0, 0, 0, 'UTC+3');
select make_timestamptz(2024, 7, 1, 0, 0, 0, '5');
-- AT TIME ZONE around DST changes and in odd zones
select timestamp '2024-03-10 02:30' at time zone 'America/New_York', timestamp '2024-11-03 01:00' at time zone 'America/New_York', timestamptz '2024-11-03 05:30+00' at time zone 'America/New_York', timestamptz '2024-11-03 06:30+00' at time zone 'America/New_York';
select timestamptz '2024-07-01 12:00+00' at time zone 'Asia/Kathmandu', timestamptz '2024-07-01 12:00+00' at time zone 'Pacific/Chatham', timestamptz '2024-07-01 12:00+00' at time zone 'America/St_Johns', timestamp '3000-07-01 12:00' at time zone 'America/New_York';
select timezone('utc', timestamp '2024-01-01 00:00'), timezone('Z', timestamp '2024-01-01 00:00'), timestamp '2024-01-01' at time zone 'america/new_york', timestamp '2024-01-01' at time zone 'AMERICA/NEW_YORK';
select generate_series(timestamptz '2024-11-02 00:00-04', timestamptz '2024-11-04 00:00-05', interval '1 day');
-- sql_standard input: a lone leading minus applies to every field
set IntervalStyle = 'sql_standard';
select interval '-1 year 1 mon', interval '-1 2:00:00', interval '-1-2 3 4:05:06', interval '-1 day 2 hours', interval '-1.5 days 1.5 hours', interval '-1 +2:00', array[interval '1 day', interval '-1 year 1 mon'];
reset IntervalStyle;
-- interval aggregates, ordering, text and epoch
select interval '1 year -2 mons 3 days -04:05:06.5'::text, interval '-1 year 2 mons -3 days 04:05:06.5'::text, interval '-0.5 sec'::text, interval '1 mon -1 day'::text;
select array[interval '1 day', interval '-1 year 1 mon']::text, row(interval '1 hour')::text;
select to_json(interval '1 day 2 hours'), to_jsonb(timestamptz '2024-01-01 00:00+00'), to_json(time '10:00'), to_json(timetz '10:00+02'), json_build_array(date 'infinity', timestamp '-infinity');
select sum(x), avg(x) from (values (interval '1 mon'), (interval '-1 day'), (interval '1.5 hours')) v(x);
select avg(x) from (values (interval '1 mon'), (interval '1 mon'), (interval '1 day')) v(x);
select min(x), max(x) from (values (timestamptz '2024-01-01 00:00+05'), (timestamptz '2024-01-01 00:00-05')) v(x);
select x from (values (interval '1 mon'), (interval '30 days'), (interval '29 days 24 hours'), (interval '720 hours')) v(x) order by x, x::text;
select count(distinct x) from (values (interval '1 mon'), (interval '30 days'), (interval '29 days 24 hours'), (interval '720 hours')) v(x);
select interval '1 mon' in (interval '30 days'), interval '1 day' between interval '23 hours' and interval '25 hours';
select date '2024-01-01' in (timestamp '2024-01-01'), timestamp '2024-01-01 00:00' = timestamptz '2024-01-01 00:00+00';
select extract(epoch from timestamp '1970-01-01 00:00:00.000001'), extract(epoch from timestamp '1969-12-31 23:59:59.999999'), extract(second from timestamp '1969-12-31 23:59:59.999999'), extract(milliseconds from interval '-1.5 sec');
select date_part('epoch', date '1970-01-02'), date_part('year', interval '-18 mons'), date_part('month', interval '-18 mons'), date_part('quarter', interval '-4 mons'), extract(quarter from interval '-4 mons');
select extract(epoch from interval '1 year'), extract(epoch from interval '1 mon'), extract(epoch from interval '-1 mon -1 day'), extract(epoch from interval '100 years');
select justify_hours(interval '-1 day 30 hours'), justify_hours(interval '1 day -30 hours'), justify_days(interval '-1 mon 35 days'), justify_interval(interval '1 mon -31 days'), justify_interval(interval '-1 year 400 days -10 hours');
select timestamp '2024-01-31 10:00' + interval '1 mon 1 day 1 hour', timestamptz '2024-01-31 10:00+00' - interval '1 mon 1 day 1 hour', timestamp '2024-02-29' + interval '-1 year', date '2024-01-31' - interval '1 mon';
select interval '1 day' * 0.3333333, interval '1 mon' * 0.3333333, interval '1 year' * 0.1, interval '1 mon' / 0.3, interval '1 hour' * 1.0000001;
select interval '1.5 mon' * 2, interval '1 mon 15 days' / 2, interval '-1 day' / 3, interval '1 day' / -7, interval '3 days' * -0.5;
-- input shapes
select timestamp '20240115 103000', timestamp '2024-01-15 103000', timestamp '2024-01-15T10:30:00.123+05:30', timestamp 'Jan-15-2024 10:30', timestamp '15-Jan-2024 10:30', timestamp '2024-Jan-15 10:30', timestamp '1/15/2024 10:30:00 AM';
select timestamp 'Mon Jan 15 10:30:00 2024', timestamptz 'Mon Jan 15 10:30:00 2024 PST', timestamptz 'Mon Jan 15 10:30:00 PST 2024', timestamp '2024.015', date '240115', time '1030', time '103015.5', time '10:30 pm', time '12:00 am';
select timestamp '2024-01-15 10:30 Europe/Berlin', timestamptz '2024-01-15 10:30 Europe/Berlin', timestamptz '2024-07-15 10:30 Europe/Berlin', timestamptz '2024-01-15 10:30 +01:00:00', timestamptz '2024-01-15 10:30 +1', timestamptz '2024-01-15 10:30 +100', timestamptz '2024-01-15 10:30 +15';
select date '2024-01-15 BC', timestamp '2024-01-15 24:00:00', timestamp ' 2024-01-15 ', date 'yesterday' < date 'today';
select date '0000-01-15';
select timestamptz '2024-01-15 10:30 +16';
select timestamp 'infinity BC';
select date '15 January';
-- zone offsets and abbreviations across history, from the tz database
select string_agg(z || ' ' || to_char(t at time zone z, 'YYYY-MM-DD HH24:MI:SS') || ' ' || (timestamp '2024-01-01' + (t - timestamptz '2024-01-01 00:00+00')), ';' order by z, t) from unnest(array['Europe/Amsterdam','Europe/Berlin','America/New_York','Asia/Kolkata','Australia/Lord_Howe','America/Sao_Paulo','Europe/Moscow','Africa/Casablanca','Asia/Tehran','Pacific/Apia','America/Caracas','Europe/Dublin','Asia/Shanghai','America/Los_Angeles','Pacific/Kiritimati','Asia/Pyongyang','Europe/Lisbon','America/Havana','Antarctica/Troll','America/Godthab']) z, unnest(array[timestamptz '1850-06-01 00:00+00', '1900-01-01 00:00+00', '1920-07-01 12:00+00', '1945-06-01 00:00+00', '1970-01-01 00:00+00', '1985-07-01 00:00+00', '2000-03-26 01:30+00', '2011-12-30 12:00+00', '2024-03-31 01:30+00', '2024-10-27 01:30+00', '2037-07-01 00:00+00', '2040-01-01 00:00+00', '2100-07-01 00:00+00']) t;
select string_agg((timestamp '2024-03-31 02:30' + g * interval '1 hour') at time zone 'Europe/Berlin' || '', ';') from generate_series(-2, 3) g;
select string_agg((timestamp '1916-04-30 23:30' + g * interval '30 min') at time zone 'Europe/Berlin' || '', ';') from generate_series(-2, 3) g;
set TimeZone = 'Europe/Amsterdam';
select timestamptz '1900-01-01 00:00+00', to_char(timestamptz '1900-01-01 00:00+00', 'TZ OF'), timestamptz '1937-07-01 00:00+00', timestamptz '1942-07-01 00:00+00', timestamptz '2024-07-01 00:00+00';
set TimeZone = 'UTC';
select timetz '2024-01-15 10:30 Europe/Berlin', timetz '10:30 PST', timetz '10:30 EST', time '10:30 UTC', timetz '10:30 z';
select timetz '10:30:00 Europe/Berlin';
select time '10:30 America/New_York';
set TimeZone = 'PST';
set TimeZone = 'EST';
select timestamptz '2024-07-01 00:00+00', current_setting('TimeZone');
set TimeZone = 'UTC';
