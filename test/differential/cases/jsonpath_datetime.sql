-- jsonpath .datetime() and .datetime(template), datetime comparisons and the *_tz variants
-- of the jsonb_path_* functions (prefix jd_).

-- setup
SET TimeZone = 'UTC';
CREATE TABLE jd_t (id int PRIMARY KEY, j jsonb);
INSERT INTO jd_t VALUES (1, '{"d": "2017-03-10", "ts": "2017-03-10 12:34:56", "tz": "2017-03-10T12:34:56+03:00"}'),
  (2, '{"d": "2020-02-29", "ts": "2020-02-29 00:00:00", "tz": "2020-02-29 23:59:59.5-01:30"}'),
  (3, '{"d": "1999-12-31", "ts": "1999-12-31T23:59:59.999999", "tz": "1999-12-31 23:59:59+00"}');

-- test
-- ISO formats: the result type follows the input
SELECT jsonb_path_query('"2017-03-10"', '$.datetime()'), jsonb_path_query('"2017-03-10"', '$.datetime().type()');
SELECT jsonb_path_query('"12:34:56"', '$.datetime()'), jsonb_path_query('"12:34:56"', '$.datetime().type()');
SELECT jsonb_path_query('"12:34:56.789+3"', '$.datetime()'), jsonb_path_query('"12:34:56+3:30"', '$.datetime().type()');
SELECT jsonb_path_query('"12:34:56.5"', '$.datetime()'), jsonb_path_query('"12:34:56-05:45"', '$.datetime()');
SELECT jsonb_path_query('"2017-03-10 12:34:56"', '$.datetime()'), jsonb_path_query('"2017-03-10T12:34:56.5"', '$.datetime().type()');
SELECT jsonb_path_query('"2017-03-10 12:34:56+3"', '$.datetime()'), jsonb_path_query('"2017-03-10T12:34:56-05:30"', '$.datetime().type()');
SELECT jsonb_path_query('"2017-03-10T12:34:56+00"', '$.datetime()'), jsonb_path_query('"2017-03-10T12:34:56.123-01:30"', '$.datetime()');
SELECT jsonb_path_query('"2017-3-1"', '$.datetime()'), jsonb_path_query('" 2017-03-10"', '$.datetime()');
SELECT jsonb_path_query('"0099-03-10"', '$.datetime()'), jsonb_path_query('"12:34:56.000"', '$.datetime()');
SELECT jsonb_path_query('"2017-03-10T12:34:56.123456789-05:30"', '$.datetime()');
SELECT jsonb_path_query('"2017-03-10 12:34:56.7891234"', '$.datetime()');
SELECT jsonb_path_query('"2017-13-10"', '$.datetime()');
SELECT jsonb_path_query('"2017-02-30"', '$.datetime()');
SELECT jsonb_path_query('"25:00:00"', '$.datetime()');
SELECT jsonb_path_query('"aa"', '$.datetime()');
SELECT jsonb_path_query('"2017-03-10 12:00"', '$.datetime()');
-- only strings
SELECT jsonb_path_query('1', '$.datetime()');
SELECT jsonb_path_query('["2017-03-10", 1]', 'lax $[*].datetime()');
SELECT jsonb_path_query('"2017-03-10"', '$.datetime().datetime()');
SELECT jsonb_path_query('["2017-03-10", "2018-01-01"]', 'lax $.datetime()');
SELECT jsonb_path_query('["2017-03-10"]', 'strict $.datetime()');
SELECT jsonb_path_query('"2017-03-10"', '$.datetime().size()'), jsonb_path_query('"2017-03-10"', '$.datetime().type().size()');
SELECT jsonb_path_query('"2017-03-10"', '$.datetime().double()');
SELECT jsonb_path_query('"2017-03-10"', '$.datetime().a');
SELECT jsonb_path_query('"2017-03-10"', 'strict $.datetime().a');
-- templates
SELECT jsonb_path_query('"10-03-2017"', '$.datetime("dd-mm-yyyy")'), jsonb_path_query('"10-03-2017"', '$.datetime("dd-mm-yyyy").type()');
SELECT jsonb_path_query('"10-03-2017 12:34"', '$.datetime("dd-mm-yyyy HH24:MI")');
SELECT jsonb_path_query('"10-03-2017 12:34"', '$.datetime("dd-mm-yyyy HH24:MI").type()');
SELECT jsonb_path_query('"10-03-2017 12:34 +05"', '$.datetime("dd-mm-yyyy HH24:MI TZH")');
SELECT jsonb_path_query('"10-03-2017 12:34 +05"', '$.datetime("dd-mm-yyyy HH24:MI TZH").type()');
SELECT jsonb_path_query('"12:34 +05:20"', '$.datetime("HH24:MI TZH:TZM")'), jsonb_path_query('"12:34 +05:20"', '$.datetime("HH24:MI TZH:TZM").type()');
SELECT jsonb_path_query('"12:34"', '$.datetime("HH24:MI")'), jsonb_path_query('"12:34"', '$.datetime("HH24:MI").type()');
SELECT jsonb_path_query('"10.03.2017"', '$.datetime("dd.mm.yyyy")');
SELECT jsonb_path_query('"2017 Mar 10"', '$.datetime("yyyy Mon dd")');
SELECT jsonb_path_query('"12:34:56 PM"', '$.datetime("HH12:MI:SS AM")'), jsonb_path_query('"01:34:56 PM"', '$.datetime("HH12:MI:SS AM")');
SELECT jsonb_path_query('"2017-03-10T12:34:56"', '$.datetime("yyyy-mm-dd\"T\"HH24:MI:SS")');
SELECT jsonb_path_query('"10-03-2017 12:34"', '$.datetime("dd-mm-yyyy")');
SELECT jsonb_path_query('"10-03-2017"', '$.datetime("dd-mm-yyyy HH24")');
SELECT jsonb_path_query('"10/03/2017"', '$.datetime("dd-mm-yyyy")');
SELECT jsonb_path_query('"10-03-2017"', '$.datetime("dd-mm-yyyy TZH")');
SELECT jsonb_path_query('"10-03-2017 +05"', '$.datetime("dd-mm-yyyy TZH")');
SELECT jsonb_path_query('"05"', '$.datetime("TZH")');
SELECT jsonb_path_query('"10-13-2017"', '$.datetime("dd-mm-yyyy")');
SELECT jsonb_path_query('"10-03-2017"', '$.datetime("dd-mm-yyyy")', '{}', true);
SELECT jsonb_path_query('"10/03/2017"', '$.datetime("dd-mm-yyyy")', '{}', true);
SELECT jsonb_path_query('"x"', '$.datetime()', '{}', true);
SELECT jsonb_path_query('1', '$.datetime()', '{}', true);
-- comparisons
SELECT jsonb_path_query('"2017-03-10"', '$.datetime() == "2017-03-10"');
SELECT jsonb_path_query('"2017-03-10"', '$.datetime() == "2017-03-10".datetime()');
SELECT jsonb_path_query('"2017-03-10"', '$.datetime() < "2017-03-10 12:00:00".datetime()');
SELECT jsonb_path_query('"2017-03-10"', '$.datetime() < "2017-03-10 12:00:00+00".datetime()');
SELECT jsonb_path_query_tz('"2017-03-10"', '$.datetime() < "2017-03-10 12:00:00+00".datetime()');
SELECT jsonb_path_query('"12:00:00"', '$.datetime() < "2017-03-10".datetime()');
SELECT jsonb_path_query('"12:00:00"', '$.datetime() < "2017-03-10 12:00:00".datetime()');
SELECT jsonb_path_query('"12:00:00"', '$.datetime() < "13:00:00+01".datetime()');
SELECT jsonb_path_query('"12:00:00+00"', '$.datetime() < "2017-03-10 12:00:00+00".datetime()');
SELECT jsonb_path_query('"12:00:00+00"', '$.datetime() < "2017-03-10".datetime()');
SELECT jsonb_path_query('"2017-03-10 12:00:00+00"', '$.datetime() < "2017-03-10".datetime()');
SELECT jsonb_path_query('"2017-03-10 12:00:00+00"', '$.datetime() == "2017-03-10 14:00:00+02".datetime()');
SELECT jsonb_path_query('"12:00:00+00"', '$.datetime() == "14:00:00+02".datetime()');
SELECT jsonb_path_query('"12:00:00+00"', '$.datetime() < "14:00:00+03".datetime()');
SELECT jsonb_path_query('"12:00:00+00"', '$.datetime() > "14:00:00+02".datetime()');
SELECT jsonb_path_query('"12:00:00"', '$.datetime() <= "12:00:00".datetime()');
SELECT jsonb_path_query('"2017-03-10 12:00:00"', '$.datetime() < "2017-03-10 12:00:00+00".datetime()');
SELECT jsonb_path_query_tz('"2017-03-10 12:00:00"', '$.datetime() < "2017-03-10 12:00:00+00".datetime()');
SELECT jsonb_path_query('"2017-03-10"', '$.datetime() ? (@ > "2017-01-01".datetime())');
SELECT jsonb_path_query('"2017-03-10"', '$.datetime() starts with "2"'), jsonb_path_query('"2017-03-10"', '$.datetime() like_regex "2"');
SELECT jsonb_path_query('["2017-03-10", "12:00:00", "2017-03-10 10:00:00+03", "2017-03-10 10:00:00", "13:00:00+01"]',
  '$[*].datetime() ? (@ < "2017-03-10 11:00:00".datetime())');
SELECT jsonb_path_query_tz('["2017-03-10", "12:00:00", "2017-03-10 10:00:00+03", "2017-03-10 10:00:00", "13:00:00+01"]',
  '$[*].datetime() ? (@ < "2017-03-10 11:00:00".datetime())');
-- the error of a cast without a time zone is not suppressed
SELECT jsonb_path_match('"2017-03-10"', '$.datetime() < "2017-03-11 00:00:00+00".datetime()', '{}', true);
SELECT jsonb_path_exists('"2017-03-10"', '$.datetime() < "2017-03-11 00:00:00+00".datetime()', '{}', true);
SELECT '"2017-03-10"'::jsonb @@ '$.datetime() < "2017-03-11 00:00:00+00".datetime()';
SELECT '"2017-03-10"'::jsonb @? '$ ? (@.datetime() < "2017-03-11".datetime())';
-- the *_tz functions, in another zone
SET TimeZone = 'America/New_York';
SELECT jsonb_path_query_tz('["2017-03-10", "2017-03-10 10:00:00+03", "2017-03-10 10:00:00"]',
  '$[*].datetime() ? (@ >= "2017-03-10 07:00:00+00".datetime())');
SELECT jsonb_path_query_array_tz('["2017-03-10", "2017-03-10 10:00:00+03"]', '$[*].datetime()'),
  jsonb_path_query_first_tz('["2017-03-10"]', '$[*].datetime()'),
  jsonb_path_match_tz('"2017-03-10"', '$.datetime() < "2017-03-11 00:00:00+00".datetime()');
SELECT jsonb_path_exists_tz('"2017-03-10"', '$.datetime() < "2017-03-10 05:00:00+00".datetime()'),
  jsonb_path_exists_tz('"2017-03-10"', '$.datetime() <= "2017-03-10 05:00:00+00".datetime()');
SELECT jsonb_path_query_tz('"2017-07-01 00:00:00"', '$.datetime() == "2017-07-01 04:00:00+00".datetime()');
SELECT jsonb_path_query_array('["2017-03-10", "12:34:56", "2017-03-10 10:00:00+03"]', '$[*].datetime()');
SELECT jsonb_path_query_first('["12:34:56+01"]', '$[*].datetime()'), jsonb_path_query_first('[]', '$[*].datetime()');
SELECT jsonb_path_query_tz('"2017-03-10"', '$.datetime("yyyy-mm-dd HH24")', '{}', true);
SELECT jsonb_path_match_tz('"2017-03-10"', '$.datetime()');
RESET TimeZone;
-- over a table
SELECT id, jsonb_path_query(j, '$.d.datetime()') AS d, jsonb_path_query(j, '$.ts.datetime()') AS ts,
  jsonb_path_query(j, '$.tz.datetime()') AS tz FROM jd_t ORDER BY id;
SELECT id FROM jd_t WHERE jsonb_path_exists(j, '$ ? (@.d.datetime() > "2000-01-01".datetime())') ORDER BY id;
SELECT id FROM jd_t WHERE jsonb_path_exists_tz(j, '$ ? (@.tz.datetime() < @.ts.datetime())') ORDER BY id;
SELECT id, jsonb_path_query_first(j, '$.tz.datetime().type()') FROM jd_t ORDER BY id;
