-- test
select format('%*s', 'x', 'y');
select format('%*s', null, 'y');
select format('%*s', 3.7, 'y');
select format('%-*s|', -4, 'y');
select format('%1$s %1$I', 'Dup');
select format('%3$s', 'a');
select format('%s %', 'a');
select format('%1$*2$s|', 'ab', 5);
select format('%2$s %s', 'a', 'b', 'c');
select format('%L', 'multi
line'), format('%L', E'tab\t'), format('%I', 'with"quote'), format('%I', 'ÄBC'), format('%I', 'äbc');
select regexp_replace('abc', 'b', 'x', 'zq');
select regexp_count('abc', 'b', 1, 'g');
select regexp_instr('abc', 'b', 1, 1, 0, 'z');
select regexp_like('abc', 'b', 'gz');
select regexp_split_to_array('abc', 'b', 'q'), regexp_split_to_array('a.b.c', '.', 'q');
select quote_ident('MixedCase'), quote_ident('lower_1$'), quote_ident('$x'), quote_ident('user'), quote_ident('int'), quote_ident('between'), quote_ident('name'), quote_ident('xmin');
select split_part('a||b||c', '||', 2), split_part('abc', 'abcd', 1), split_part('', '', 1), split_part('x', 'x', -1), split_part('x', 'x', -2), split_part('x', 'x', -3);
select initcap('ÀBC ÉCOLE'), initcap('don''t stop'), initcap('x-ray_vision 9lives'), lower('ÉCOLE'), upper('école');
select format('%*s', '', 'y');
select format('%*s', 3000000000, 'y');
select format('%*s', ' 3 ', 'y');
