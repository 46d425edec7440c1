-- Bench data for bench/patrol.sh (SQLite): :E enterprises (吴兴区 and 长兴县), one permit each
-- and :C clauses per permit, their frequencies mixed (monthly, quarterly, yearly: in December all
-- fall due, so a December run makes :E × :C tasks). bench/patrol_data.pg.sql is the same on
-- PostgreSQL.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :E)
INSERT INTO enterprises (uscc, name, region_code, industry_code, category, status, created_at, updated_at)
SELECT 'BENCH' || printf('%013d', i), 'bench enterprise ' || i,
       CASE i % 2 WHEN 0 THEN '330502' ELSE '330522' END,
       '1713', 'general', 'active', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z' FROM n;
INSERT INTO permits (enterprise_id, number, class, valid_from, valid_to, issuer, status, created_at, updated_at)
SELECT id, 'BP' || uscc, 'key', '2024-01-01', '2029-12-31', 'bench', 'active',
       '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z' FROM enterprises WHERE uscc LIKE 'BENCH%';
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :C)
INSERT INTO permit_clauses (permit_id, enterprise_id, code, text, duty, frequency, status, created_at, updated_at)
SELECT p.id, p.enterprise_id, '第' || n.i || '条', 'bench clause ' || n.i,
       CASE n.i % 4 WHEN 0 THEN 'self_monitoring' WHEN 1 THEN 'ledger' WHEN 2 THEN 'report' ELSE 'facility' END,
       CASE n.i % 5 WHEN 0 THEN 'quarterly' WHEN 1 THEN 'yearly' ELSE 'monthly' END,
       'active', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z'
FROM permits p CROSS JOIN n WHERE p.number LIKE 'BPBENCH%';
