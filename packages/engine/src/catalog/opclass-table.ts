/**
 * PostgreSQL 15's operator classes (pg_opclass) for the types Tessera has: one line per class,
 * "oid name family input-type default(d or -) key-type", grouped by access method. Input type
 * 2277 is anyarray, 3500 anyenum, 2249 record; key type 0 means the input type, 2283
 * (anyelement) the array's element type. Read by `access-methods.ts`.
 */

export const opclassLines: Readonly<Record<string, string>> = {
  btree: `
    10000 array_ops 397 2277 d 0
    10002 bit_ops 423 1560 d 0
    10003 bool_ops 424 16 d 0
    10004 bpchar_ops 426 1042 d 0
    4219 bpchar_pattern_ops 2097 1042 - 0
    10006 bytea_ops 428 17 d 0
    10007 char_ops 429 18 d 0
    10009 cidr_ops 1974 869 - 0
    3122 date_ops 434 1082 d 0
    10069 enum_ops 3522 3500 d 0
    10012 float4_ops 1970 700 d 0
    3123 float8_ops 1970 701 d 0
    10015 inet_ops 1974 869 d 0
    1979 int2_ops 1976 21 d 0
    1978 int4_ops 1976 23 d 0
    3124 int8_ops 1976 20 d 0
    10022 interval_ops 1982 1186 d 0
    10088 jsonb_ops 4033 3802 d 0
    10028 name_ops 1994 19 d 2275
    3125 numeric_ops 1988 1700 d 0
    1981 oid_ops 1989 26 d 0
    10032 oidvector_ops 1991 30 d 0
    10067 pg_lsn_ops 3253 3220 d 0
    10036 record_image_ops 3194 2249 - 0
    10034 record_ops 2994 2249 d 0
    3126 text_ops 1994 25 d 0
    4217 text_pattern_ops 2095 25 - 0
    10038 time_ops 1996 1083 d 0
    3128 timestamp_ops 434 1114 d 0
    3127 timestamptz_ops 434 1184 d 0
    10041 timetz_ops 2000 1266 d 0
    10065 uuid_ops 2968 2950 d 0
    10043 varbit_ops 2002 1562 d 0
    10044 varchar_ops 1994 25 - 0
    4218 varchar_pattern_ops 2095 25 - 0`,
  hash: `
    10001 array_ops 627 2277 d 0
    10048 bool_ops 2222 16 d 0
    10005 bpchar_ops 427 1042 d 0
    10058 bpchar_pattern_ops 2231 1042 - 0
    10049 bytea_ops 2223 17 d 0
    10008 char_ops 431 18 d 0
    10010 cidr_ops 1975 869 - 0
    10011 date_ops 435 1082 d 0
    10070 enum_ops 3523 3500 d 0
    10013 float4_ops 1971 700 d 0
    10014 float8_ops 1971 701 d 0
    10016 inet_ops 1975 869 d 0
    10019 int2_ops 1977 21 d 0
    10020 int4_ops 1977 23 d 0
    10021 int8_ops 1977 20 d 0
    10023 interval_ops 1983 1186 d 0
    10089 jsonb_ops 4034 3802 d 0
    10029 name_ops 1995 19 d 0
    10030 numeric_ops 1998 1700 d 0
    10031 oid_ops 1990 26 d 0
    10033 oidvector_ops 1992 30 d 0
    10068 pg_lsn_ops 3254 3220 d 0
    10035 record_ops 6194 2249 d 0
    10037 text_ops 1995 25 d 0
    10056 text_pattern_ops 2229 25 - 0
    10039 time_ops 1997 1083 d 0
    10046 timestamp_ops 2040 1114 d 0
    10040 timestamptz_ops 1999 1184 d 0
    10042 timetz_ops 2001 1266 d 0
    10066 uuid_ops 2969 2950 d 0
    10045 varchar_ops 1995 25 - 0
    10057 varchar_pattern_ops 2229 25 - 0
    10051 xid_ops 2225 28 d 0`,
  gist: `
    10017 inet_ops 3550 869 - 0`,
  gin: `
    10064 array_ops 2745 2277 d 2283
    10090 jsonb_ops 4036 3802 d 25
    10091 jsonb_path_ops 4037 3802 - 23`,
  brin: `
    10151 bit_minmax_ops 4079 1560 d 1560
    10132 bpchar_bloom_ops 4586 1042 - 1042
    10131 bpchar_minmax_ops 4076 1042 d 1042
    10093 bytea_bloom_ops 4578 17 - 17
    10092 bytea_minmax_ops 4064 17 d 17
    10095 char_bloom_ops 4577 18 - 18
    10094 char_minmax_ops 4062 18 d 18
    10138 date_bloom_ops 4576 1082 - 1082
    10137 date_minmax_multi_ops 4605 1082 - 1082
    10136 date_minmax_ops 4059 1082 d 1082
    10117 float4_bloom_ops 4582 700 - 700
    10116 float4_minmax_multi_ops 4608 700 - 700
    10115 float4_minmax_ops 4070 700 d 700
    10120 float8_bloom_ops 4582 701 - 701
    10119 float8_minmax_multi_ops 4608 701 - 701
    10118 float8_minmax_ops 4070 701 d 701
    10129 inet_bloom_ops 4585 869 - 869
    10130 inet_inclusion_ops 4102 869 d 869
    10128 inet_minmax_multi_ops 4611 869 - 869
    10127 inet_minmax_ops 4075 869 - 869
    10103 int2_bloom_ops 4572 21 - 21
    10102 int2_minmax_multi_ops 4602 21 - 21
    10101 int2_minmax_ops 4054 21 d 21
    10106 int4_bloom_ops 4572 23 - 23
    10105 int4_minmax_multi_ops 4602 23 - 23
    10104 int4_minmax_ops 4054 23 d 23
    10100 int8_bloom_ops 4572 20 - 20
    10099 int8_minmax_multi_ops 4602 20 - 20
    10098 int8_minmax_ops 4054 20 d 20
    10147 interval_bloom_ops 4588 1186 - 1186
    10146 interval_minmax_multi_ops 4613 1186 - 1186
    10145 interval_minmax_ops 4078 1186 d 1186
    10097 name_bloom_ops 4579 19 - 19
    10096 name_minmax_ops 4065 19 d 19
    10155 numeric_bloom_ops 4574 1700 - 1700
    10154 numeric_minmax_multi_ops 4603 1700 - 1700
    10153 numeric_minmax_ops 4055 1700 d 1700
    10111 oid_bloom_ops 4580 26 - 26
    10110 oid_minmax_multi_ops 4606 26 - 26
    10109 oid_minmax_ops 4068 26 d 26
    10162 pg_lsn_bloom_ops 4590 3220 - 3220
    10161 pg_lsn_minmax_multi_ops 4615 3220 - 3220
    10160 pg_lsn_minmax_ops 4082 3220 d 3220
    10108 text_bloom_ops 4573 25 - 25
    10107 text_minmax_ops 4056 25 d 25
    10135 time_bloom_ops 4587 1083 - 1083
    10134 time_minmax_multi_ops 4612 1083 - 1083
    10133 time_minmax_ops 4077 1083 d 1083
    10141 timestamp_bloom_ops 4576 1114 - 1114
    10140 timestamp_minmax_multi_ops 4605 1114 - 1114
    10139 timestamp_minmax_ops 4059 1114 d 1114
    10144 timestamptz_bloom_ops 4576 1184 - 1184
    10143 timestamptz_minmax_multi_ops 4605 1184 - 1184
    10142 timestamptz_minmax_ops 4059 1184 d 1184
    10150 timetz_bloom_ops 4575 1266 - 1266
    10149 timetz_minmax_multi_ops 4604 1266 - 1266
    10148 timetz_minmax_ops 4058 1266 d 1266
    10158 uuid_bloom_ops 4589 2950 - 2950
    10157 uuid_minmax_multi_ops 4614 2950 - 2950
    10156 uuid_minmax_ops 4081 2950 d 2950
    10152 varbit_minmax_ops 4080 1562 d 1562`,
  spgist: `
    10018 inet_ops 3794 869 d 0
    10086 text_ops 4017 25 d 0`,
};
