-- date, time, timestamp, timestamptz, interval: input, output under TimeZone settings,
-- arithmetic, extraction, truncation, formatting and errors.
-- setup
set TimeZone = 'UTC';
create table dt_events (id int primary key, d date, ts timestamp, tz timestamptz, iv interval);
insert into dt_events values
  (1, '2024-01-15', '2024-01-15 10:30:00', '2024-01-15 10:30:00+00', '1 day'),
  (2, '2024-02-29', '2024-02-29 23:59:59.999999', '2024-02-29 23:59:59+05:30', '2 hours 30 minutes'),
  (3, '1999-12-31', '1999-12-31 00:00:00', '1999-12-31 12:00:00-08', '-3 days 4 hours'),
  (4, '2000-03-01', '2000-03-01 12:00:00.5', '2000-03-01 00:00:00+00', '1 year 2 months 3 days'),
  (5, null, null, null, null),
  (6, '0044-03-15 BC', '0044-03-15 12:00:00 BC', '2038-01-19 03:14:08+00', '00:00:00.000001');

-- test
select d, ts, tz, iv from dt_events;
select '2024-01-15'::date, 'January 15, 2024'::date, '15-Jan-2024'::date, '20240115'::date, '2024-1-5'::date;
select '01/02/2024'::date;
set DateStyle = 'ISO, DMY';
select '01/02/2024'::date;
reset DateStyle;
select '2024-02-30'::date;
select 'not a date'::date;
select 'infinity'::date, '-infinity'::date, 'epoch'::date, 'infinity'::date > '2024-01-01'::date;
select '2024-03-01'::date - '2024-02-01'::date, '2024-03-01'::date - 1, '2024-02-28'::date + 2, '2024-01-31'::date + interval '1 month';
select date '2024-01-01' + time '10:30', date '2024-01-01' - interval '1 hour', pg_typeof(date '2024-01-01' + 1);
select '10:30'::time, '10:30:15.123456'::time, '23:59:60'::time, '24:00:00'::time, '10:30 PM'::time;
select '25:00'::time;
select '10:30'::time + interval '14 hours', '10:30'::time - '08:15'::time, '10:00'::time < '9:00'::time;
select '2024-01-15 10:30'::timestamp, '2024-01-15T10:30:00.123'::timestamp, '2024-01-15 10:30:00.1234567'::timestamp;
select timestamp '2024-01-15 10:30:00' + interval '1 day 2 hours', timestamp '2024-03-31' - interval '1 month';
select timestamp '2024-01-15 10:30:00' - timestamp '2024-01-01 00:00:00', timestamp '2024-01-01' - timestamp '2024-01-15 06:00';
select '2024-01-15 10:30:00+02'::timestamptz, '2024-01-15 10:30:00 America/New_York'::timestamptz, '2024-07-01 12:00 EST'::timestamptz;
set TimeZone = 'America/New_York';
select tz from dt_events where id in (1, 2, 3);
select '2024-01-15 10:30:00'::timestamptz, '2024-07-15 10:30:00'::timestamptz, '2024-03-10 02:30:00'::timestamptz;
select '2024-03-10 01:00:00'::timestamptz + interval '1 day', '2024-03-10 01:00:00'::timestamptz + interval '24 hours';
select ts::timestamptz, tz::timestamp, tz::date from dt_events where id = 1;
select extract(hour from tz), date_trunc('day', tz), tz at time zone 'UTC', ts at time zone 'Asia/Tokyo' from dt_events where id = 1;
set TimeZone = 'Asia/Kolkata';
select tz, tz::text, to_char(tz, 'YYYY-MM-DD HH24:MI TZ') from dt_events where id = 1;
set TimeZone = '+03';
select '2024-01-15 10:30:00'::timestamptz, now() = now(), current_setting('TimeZone');
set TimeZone = 'UTC';
select '2024-01-15 10:30:00+02'::timestamptz = '2024-01-15 08:30:00Z'::timestamptz;
select now() = current_timestamp, now() >= '2020-01-01'::timestamptz, current_date >= '2020-01-01'::date, pg_typeof(localtimestamp), pg_typeof(current_time);
select 'infinity'::timestamp, '-infinity'::timestamptz, 'infinity'::timestamp - interval '1 day', isfinite('infinity'::timestamp);
select '294277-01-01'::timestamp;
select '2024-01-15 10:30:00'::timestamp(0), '2024-01-15 10:30:00.555'::timestamp(1), '10:30:00.5'::time(0);
-- interval
select interval '1 day', interval '25 hours', interval '1 year 13 months', interval '-1 day 2 hours', interval '1.5 days';
select interval '90 minutes', interval '1 week', interval '0', interval '1 millisecond', interval '36 hours' = interval '1 day 12 hours';
select interval 'P1Y2M3DT4H5M6S', interval '1-2', interval '3 4:05:06', interval '@ 1 day ago';
select '1 fortnight'::interval;
select justify_hours(interval '36 hours'), justify_days(interval '45 days'), justify_interval(interval '1 month -1 hour');
select interval '1 day' * 3, interval '1 hour' / 4, interval '1 month' * 1.5, -interval '2 days', interval '10 days' / 3;
select iv, iv * 2, iv + interval '1 hour', -iv from dt_events;
select interval '1 day' > interval '23 hours', interval '30 days' = interval '1 month', interval '1 year' < interval '360 days';
select age(timestamp '2024-03-15', timestamp '2023-01-20'), age(timestamp '2024-01-01', timestamp '2024-01-01');
set IntervalStyle = 'iso_8601';
select interval '1 year 2 months 3 days 04:05:06.5', interval '-1 day', interval '0';
set IntervalStyle = 'sql_standard';
select interval '1 year 2 months', interval '3 days 04:05:06', interval '-1 day 2 hours';
reset IntervalStyle;
-- extraction and truncation
select extract(year from d), extract(month from d), extract(day from d), extract(dow from d), extract(doy from d) from dt_events;
select extract(epoch from ts), extract(epoch from tz), extract(quarter from d), extract(week from d), extract(isodow from d) from dt_events where id < 5;
select date_part('hour', ts), date_part('minute', ts), extract(second from ts), extract(millisecond from ts) from dt_events;
select extract(epoch from interval '1 day 2 hours'), extract(hour from interval '26 hours'), extract(month from interval '14 months');
select extract(century from date '2000-01-01'), extract(millennium from date '2001-01-01'), extract(decade from date '1999-06-01'), extract(julian from date '2000-01-01');
select extract(year from date '0044-03-15 BC'), extract(isoyear from date '2021-01-01'), extract(timezone from timestamptz '2024-01-01 00:00+00');
select extract(fortnight from date '2024-01-01');
select date_trunc('month', ts), date_trunc('year', ts), date_trunc('hour', ts), date_trunc('week', ts), date_trunc('quarter', ts) from dt_events where id < 5;
select date_trunc('day', interval '3 days 04:05'), date_trunc('hour', interval '3 days 04:05:06');
select date_bin(interval '15 minutes', timestamp '2024-01-15 10:38:00', timestamp '2024-01-01');
select make_date(2024, 2, 29), make_time(10, 30, 15.5), make_timestamp(2024, 1, 15, 10, 30, 0), make_interval(days => 10, hours => 3);
select make_date(2023, 2, 29);
select make_timestamptz(2024, 1, 15, 10, 30, 0, 'Europe/Berlin'), to_timestamp(0), to_timestamp(1700000000.5);
select to_char(timestamp '2024-01-05 14:07:09.123', 'YYYY-MM-DD HH24:MI:SS.MS'), to_char(date '2024-01-05', 'Day, DD Month YYYY');
select to_char(timestamp '2024-01-05 14:07:09', 'HH12:MI AM'), to_char(date '2024-01-05', 'FMDay FMDD FMMonth'), to_char(date '2024-01-05', 'IYYY-IW-ID DDD Q');
select to_char(interval '3 days 04:05:06', 'DD HH24:MI:SS'), to_char(date '2024-12-31', 'YY Mon dy');
select to_date('05 Jan 2024', 'DD Mon YYYY'), to_date('2024-366', 'YYYY-DDD');
select to_date('2024-13-01', 'YYYY-MM-DD');
select to_timestamp('2024-01-05 14:07', 'YYYY-MM-DD HH24:MI');
select id from dt_events where d between '2000-01-01' and '2024-12-31' order by id;
select id, d from dt_events order by d nulls first, id;
select id, tz from dt_events order by tz desc nulls last;
select min(d), max(ts), min(tz), sum(iv), avg(iv) from dt_events;
select count(*) from dt_events where ts > d;
select d + iv from dt_events where id = 4;
select generate_series(date '2024-01-29', date '2024-02-02', interval '1 day')::date;
select g from generate_series(timestamp '2024-01-31', timestamp '2024-06-01', interval '1 month') g;
select overlaps_check from (select (date '2024-01-01', date '2024-01-10') overlaps (date '2024-01-05', date '2024-01-20') as overlaps_check) s;
select timestamptz '2024-01-15 10:30:00+00' at time zone 'America/Los_Angeles', timezone('Europe/London', timestamp '2024-06-01 12:00');
select '2024-01-15'::date::timestamp, '2024-01-15 23:59'::timestamp::date, '2024-01-15 10:30'::timestamp::time, '2024-01-15'::date::text;
select '2024-01-15 10:30:00+00'::timestamptz::text, to_json(timestamptz '2024-01-15 10:30:00+00'), to_json(date '2024-01-15');
