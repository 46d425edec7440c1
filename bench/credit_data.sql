-- Bench data for bench/credit.sh (SQLite): :E enterprises (a third each in 吴兴区, 长兴县 — the
-- national rule set — and 江苏省 — the Jiangsu one) and :V credit events spread over them, of
-- seven types, on dates over the last 540 days. bench/credit_data.pg.sql is the same on PostgreSQL.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :E)
INSERT INTO enterprises (uscc, name, region_code, industry_code, category, status, created_at, updated_at)
SELECT 'BENCH' || printf('%013d', i), 'bench enterprise ' || i,
       CASE i % 3 WHEN 0 THEN '330502' WHEN 1 THEN '330522' ELSE '320000' END,
       '1713', 'general', 'active', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z' FROM n;
CREATE TEMP TABLE bench_base AS SELECT MIN(id) AS lo FROM enterprises WHERE uscc LIKE 'BENCH%';
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < :V - 1)
INSERT INTO credit_events (subject_kind, subject_id, type, occurred_on, reason, source, created_at)
SELECT 'enterprise', (SELECT lo FROM bench_base) + (i * 7919) % :E,
       CASE i % 7 WHEN 0 THEN 'exceedance_day' WHEN 1 THEN 'penalty' WHEN 2 THEN 'commitment'
         WHEN 3 THEN 'complaint_substantiated' WHEN 4 THEN 'late_rectification'
         WHEN 5 THEN 'rectification_verified' ELSE 'permit_violation' END,
       date('now', '-' || (i % 540) || ' days'), 'bench', 'bench', '2026-01-01T00:00:00Z' FROM n;
