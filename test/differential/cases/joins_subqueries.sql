-- Joins of every kind (inner, left, right, full, cross, natural, USING, self, LATERAL),
-- subqueries (scalar, IN, EXISTS, correlated, derived tables) and CTEs (incl. recursive).
-- setup
create table jq_dept (id int primary key, name text not null, parent_id int, budget int);
insert into jq_dept values
  (1, 'Engineering', null, 1000), (2, 'Platform', 1, 400), (3, 'Product', 1, 300), (4, 'Sales', null, 500),
  (5, 'EMEA Sales', 4, 200), (6, 'Legal', null, 100), (7, 'Storage', 2, 150);
create table jq_emp (id int primary key, name text not null, dept_id int, manager_id int, salary int, hired date);
insert into jq_emp
  select g, 'emp' || lpad(g::text, 2, '0'),
         case when g % 9 = 0 then null else (g % 5) + 1 end,
         case when g <= 3 then null else (g % 3) + 1 end,
         30000 + (g * 7919) % 50000,
         date '2015-01-01' + (g * 97) % 3000
  from generate_series(1, 40) g;
create table jq_proj (id int primary key, title text, dept_id int, lead_id int);
insert into jq_proj values (1, 'Apollo', 1, 4), (2, 'Borealis', 2, 7), (3, 'Cygnus', 2, null), (4, 'Draco', 4, 12), (5, 'Eos', 9, 5), (6, 'Fornax', null, null);
create table jq_assign (emp_id int, proj_id int, hours int, primary key (emp_id, proj_id));
insert into jq_assign select e, p, (e * p) % 17 + 1 from generate_series(1, 40) e, generate_series(1, 6) p where (e + p) % 4 = 0;

-- test
select e.id, e.name, d.name from jq_emp e join jq_dept d on d.id = e.dept_id where e.id <= 10;
select e.id, d.name from jq_emp e inner join jq_dept d on d.id = e.dept_id and d.budget > 300;
select e.id, d.name from jq_emp e left join jq_dept d on d.id = e.dept_id where e.id % 9 = 0;
select d.name, count(e.id) from jq_dept d left join jq_emp e on e.dept_id = d.id group by d.name;
select d.name, e.id from jq_emp e right join jq_dept d on d.id = e.dept_id where e.id is null;
select p.title, d.name from jq_proj p full join jq_dept d on d.id = p.dept_id;
select p.title, d.name from jq_proj p full outer join jq_dept d on d.id = p.dept_id where p.id is null or d.id is null;
select count(*) from jq_dept cross join jq_proj;
select d.name, p.title from jq_dept d, jq_proj p where d.id = p.dept_id;
select * from jq_dept natural join (select 1 as id, 'Engineering' as name) x;
select id, d.name, p.title from jq_dept d join jq_proj p using (id);
select dept_id, count(*) from jq_emp join jq_proj using (dept_id) group by dept_id;
select e.name, m.name as manager from jq_emp e join jq_emp m on m.id = e.manager_id where e.id between 4 and 9;
select c.name as child, p.name as parent from jq_dept c left join jq_dept p on p.id = c.parent_id;
select e.id, p.title, a.hours from jq_emp e join jq_assign a on a.emp_id = e.id join jq_proj p on p.id = a.proj_id where e.id <= 8;
select e.id, a.proj_id from jq_emp e left join jq_assign a on a.emp_id = e.id and a.hours > 10 where e.id <= 6;
select e.id, a.proj_id from jq_emp e left join jq_assign a on a.emp_id = e.id where a.hours > 10 and e.id <= 12;
select p.title, count(a.emp_id), coalesce(sum(a.hours), 0) from jq_proj p left join jq_assign a on a.proj_id = p.id group by p.title;
select d.name, e.name from jq_dept d join jq_emp e on e.dept_id = d.id and e.salary > 75000;
select e1.id, e2.id from jq_emp e1 join jq_emp e2 on e1.salary < e2.salary and e2.salary - e1.salary < 500;
select e.id from jq_emp e join jq_dept d on e.dept_id = d.id or e.dept_id is null where e.id > 35 and d.id = 1;
select x.a, y.b from (values (1), (2), (null)) x(a) full join (values (2), (3), (null)) y(b) on x.a = y.b;
select x.a, y.b from (values (1), (2)) x(a) left join (values (1, 'one')) y(b, c) on true;
select * from jq_dept d join jq_proj p on p.dept_id = d.id join jq_emp e on e.id = p.lead_id;
select d.name, p.title from jq_dept d left join jq_proj p on p.dept_id = d.id and p.title like 'B%' where d.parent_id is not null;
select count(*) from jq_emp a, jq_emp b where a.dept_id = b.dept_id and a.id < b.id;
select a.id from jq_emp a join jq_emp b on a.id = b.id;
select id from jq_emp join jq_dept using (id);
select d.id, latest.name, latest.hired from jq_dept d cross join lateral (select name, hired from jq_emp e where e.dept_id = d.id order by hired desc, id limit 1) latest;
select d.id, top2.id from jq_dept d left join lateral (select id from jq_emp e where e.dept_id = d.id order by salary desc, id limit 2) top2 on true;
select e.id, s.n from jq_emp e, lateral generate_series(1, e.id % 3) s(n) where e.id <= 5;
select d.name, x.cnt from jq_dept d, lateral (select count(*) as cnt from jq_emp e where e.dept_id = d.id) x;
select p.title, t.tag from jq_proj p cross join lateral unnest(string_to_array(lower(p.title), 'o')) as t(tag) where p.id <= 3;
-- subqueries
select id, salary, (select max(salary) from jq_emp) - salary as gap from jq_emp where id <= 5;
select name, (select name from jq_dept d where d.id = e.dept_id) as dept from jq_emp e where id <= 10;
select (select id from jq_emp where salary > 0);
select (select 1 where false), (select count(*) from jq_emp where dept_id = 99);
select name from jq_emp where dept_id in (select id from jq_dept where parent_id = 1);
select name from jq_emp where dept_id not in (select id from jq_dept where budget > 300);
select name from jq_dept d where exists (select 1 from jq_emp e where e.dept_id = d.id and e.salary > 70000);
select name from jq_dept d where not exists (select 1 from jq_emp e where e.dept_id = d.id);
select e.id, e.salary from jq_emp e where e.salary > (select avg(salary) from jq_emp x where x.dept_id = e.dept_id) and e.id < 20;
select e.id from jq_emp e where e.salary = (select max(salary) from jq_emp x where x.dept_id is not distinct from e.dept_id);
select name, salary from jq_emp where (dept_id, salary) in (select dept_id, max(salary) from jq_emp group by dept_id);
select d.name, s.avg_salary from jq_dept d join (select dept_id, round(avg(salary), 2) as avg_salary from jq_emp group by dept_id) s on s.dept_id = d.id;
select * from (select id, salary, salary > 50000 as high from jq_emp) s where high and id > 30;
select count(*) from (select distinct dept_id from jq_emp) s;
select max(c) from (select dept_id, count(*) as c from jq_emp group by dept_id) s;
select id from jq_emp where salary > all (select salary from jq_emp where dept_id = 2);
select id from jq_emp where salary < any (select salary from jq_emp where dept_id = 3) and id > 35;
select d.id, (select count(*) from jq_proj p where p.dept_id = d.id), (select sum(hours) from jq_assign a join jq_emp e on e.id = a.emp_id where e.dept_id = d.id) from jq_dept d;
select e.id, exists (select 1 from jq_assign a where a.emp_id = e.id) as assigned from jq_emp e where e.id <= 8;
select id from jq_emp e where e.id in (select a.emp_id from jq_assign a where a.hours = (select max(hours) from jq_assign));
select t.x from (select 1 as x union all select 2) t where t.x in (select 2);
select (select string_agg(name, ',' order by name) from jq_dept where parent_id = d.id) from jq_dept d where parent_id is null;
select name from jq_emp where manager_id in (select id from jq_emp where manager_id is null) and salary > 70000;
select * from jq_emp where id = (select min(id) from jq_emp where dept_id = (select id from jq_dept where name = 'Platform'));
-- CTEs
with s as (select dept_id, sum(salary) as total from jq_emp group by dept_id) select d.name, s.total from s join jq_dept d on d.id = s.dept_id;
with a as (select 1 as x), b as (select x + 1 as y from a) select * from a, b;
with big as (select * from jq_emp where salary > 70000), counts as (select dept_id, count(*) as n from big group by dept_id) select * from counts;
with m as materialized (select id, name from jq_dept) select count(*) from m;
with m as not materialized (select id, name from jq_dept) select name from m where id = 4;
with recursive nums(n) as (select 1 union all select n + 1 from nums where n < 10) select sum(n), count(*) from nums;
with recursive tree as (select id, name, parent_id, 1 as depth, name::text as path from jq_dept where parent_id is null union all select d.id, d.name, d.parent_id, t.depth + 1, t.path || ' > ' || d.name from jq_dept d join tree t on d.parent_id = t.id) select id, depth, path from tree;
with recursive chain as (select id, manager_id, 0 as lvl from jq_emp where id = 40 union all select e.id, e.manager_id, c.lvl + 1 from jq_emp e join chain c on e.id = c.manager_id) select id, lvl from chain;
with recursive fib(a, b) as (select 0::numeric, 1::numeric union all select b, a + b from fib where b < 1000) select max(a), count(*) from fib;
with recursive t(n) as (select 1 union select n from t) select * from t;
with recursive t(n) as (select 1 union all select n + 1 from t where n < 5) select n, (select count(*) from t) from t;
with w as (select 1 as a) select * from w join w w2 using (a);
with upd as (update jq_proj set title = title || '!' where id = 6 returning id, title) select * from upd;
with ins as (insert into jq_proj values (7, 'Gemini', 3, 1) returning *) select title, dept_id from ins;
with del as (delete from jq_proj where id = 7 returning id) select count(*) from del;
with x as (select 1) select * from nosuch_cte_target;
with recursive r(n) as (select 1 union all select n + 1 from r) select * from r limit 5;
