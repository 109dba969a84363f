-- setup
create table smoke (id int primary key, v text);
insert into smoke values (1, 'a;b'), (2, $$x;y$$), (3, E'it\'s;');
-- test
select * from smoke;
select * from smoke order by id desc;
select 1/0;
/* block ; comment */ select 'x' as "semi;colon";
