-- Bench data for bench/patrol.sh (PostgreSQL): as bench/patrol_data.sql.
INSERT INTO enterprises (uscc, name, region_code, industry_code, category, status, created_at, updated_at)
SELECT 'BENCH' || lpad(i::text, 13, '0'), 'bench enterprise ' || i,
       CASE i % 2 WHEN 0 THEN '330502' ELSE '330522' END,
       '1713', 'general', 'active', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z'
FROM generate_series(1, :E) AS i;
INSERT INTO permits (enterprise_id, number, class, valid_from, valid_to, issuer, status, created_at, updated_at)
SELECT id, 'BP' || uscc, 'key', '2024-01-01', '2029-12-31', 'bench', 'active',
       '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z' FROM enterprises WHERE uscc LIKE 'BENCH%';
INSERT INTO permit_clauses (permit_id, enterprise_id, code, text, duty, frequency, status, created_at, updated_at)
SELECT p.id, p.enterprise_id, '第' || n.i || '条', 'bench clause ' || n.i,
       CASE n.i % 4 WHEN 0 THEN 'self_monitoring' WHEN 1 THEN 'ledger' WHEN 2 THEN 'report' ELSE 'facility' END,
       CASE n.i % 5 WHEN 0 THEN 'quarterly' WHEN 1 THEN 'yearly' ELSE 'monthly' END,
       'active', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z'
FROM permits p CROSS JOIN generate_series(1, :C) AS n(i) WHERE p.number LIKE 'BPBENCH%';
ANALYZE enterprises;
ANALYZE permits;
ANALYZE permit_clauses;
