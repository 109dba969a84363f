-- lastval(): undefined before a nextval in the session, then the last value nextval returned
-- (an explicit call or a serial column's default).
-- test
select lastval();
create sequence lv_s;
select nextval('lv_s'), lastval();
create table lv_t (id serial, v int);
insert into lv_t (v) values (5);
select lastval(), currval('lv_t_id_seq');
drop table lv_t; drop sequence lv_s;
