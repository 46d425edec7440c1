-- The data of bench/draw.sh (common SQL of SQLite and PostgreSQL; :N_ENT, :N_INSP, :N_DECL and
-- :N_PREV are replaced by the script): enterprises spread over the demo's regions (28 % key,
-- 5 % special, the rest general), credit grades for 80 %, 2 % on the positive list, inspectors in
-- the demo inspector's unit, declared relationships, and a previous draw whose inspectors are
-- recused as "last time".
CREATE TEMP TABLE r AS SELECT row_number() OVER (ORDER BY code) - 1 AS k, code FROM (SELECT DISTINCT region_code AS code FROM enterprises) x;
CREATE TEMP TABLE ind AS SELECT MIN(industry_code) AS code FROM enterprises;
INSERT INTO enterprises (uscc, name, region_code, industry_code, category, status, created_at, updated_at)
WITH RECURSIVE n(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < :N_ENT)
SELECT 'B' || (100000000000000000 + i), '基准企业' || i, (SELECT code FROM r WHERE k = i % (SELECT COUNT(*) FROM r)),
       (SELECT code FROM ind), CASE WHEN i % 100 < 28 THEN 'key' WHEN i % 100 < 33 THEN 'special' ELSE 'general' END,
       'active', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n;
INSERT INTO credit_current (subject_kind, subject_id, grade, score, rule_set_id, rule_version, since)
SELECT 'enterprise', id, CASE id % 5 WHEN 0 THEN 'green' WHEN 1 THEN 'blue' WHEN 2 THEN 'blue' WHEN 3 THEN 'yellow' ELSE 'red' END,
       80, 0, 0, '2026-01-01' FROM enterprises WHERE id % 10 < 8
ON CONFLICT (subject_kind, subject_id) DO UPDATE SET grade = excluded.grade;
INSERT INTO positive_list (enterprise_id, listed_from, listed_to, admitted_at) SELECT id, '2025-01-01', '2028-01-01', '2020-01-01T00:00:00Z' FROM enterprises WHERE id % 50 = 7;
INSERT INTO users (username, display_name, role, org_unit_id, password_hash, password_changed_at, created_at, updated_at)
WITH RECURSIVE n(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < :N_INSP)
SELECT 'bench_insp_' || i, '执法人员' || i, 'inspector', (SELECT org_unit_id FROM users WHERE username = 'inspector'),
       'x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n;
CREATE TEMP TABLE insp AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM users WHERE role = 'inspector';
CREATE INDEX insp_k ON insp(k);
INSERT INTO draw_declarations (user_id, enterprise_id, reason, declared_at)
WITH RECURSIVE n(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < :N_DECL)
SELECT (SELECT id FROM insp WHERE k = (i * 7919) % :N_INSP), (SELECT MIN(id) FROM enterprises) + (i * 104729) % :N_ENT, '基准', '2026-01-01T00:00:00Z' FROM n;
INSERT INTO draw_plans (period, categories, visit_from, visit_to, state, created_at, updated_at)
VALUES ('2026Q3', 'general,key,special', '2026-07-01', '2026-09-30', 'drawn', '2026-07-01T00:00:00Z', '2026-07-01T00:00:00Z');
INSERT INTO draw_targets (plan_id, seq, enterprise_id, category, weight, visit_date)
WITH RECURSIVE n(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < :N_PREV)
SELECT (SELECT MAX(id) FROM draw_plans), i, (SELECT MIN(id) FROM enterprises) + (i * 15485863) % :N_ENT, 'general', 1000, '2026-08-01' FROM n;
INSERT INTO draw_target_inspectors (target_id, user_id, seq)
SELECT t.id, (SELECT id FROM insp WHERE k = (t.id * 31) % :N_INSP), 1 FROM draw_targets t;
INSERT INTO draw_target_inspectors (target_id, user_id, seq)
SELECT t.id, (SELECT id FROM insp WHERE k = (t.id * 31 + 1) % :N_INSP), 2 FROM draw_targets t;
