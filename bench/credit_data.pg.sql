-- Bench data for bench/credit.sh (PostgreSQL): as bench/credit_data.sql.
INSERT INTO enterprises (uscc, name, region_code, industry_code, category, status, created_at, updated_at)
SELECT 'BENCH' || lpad(i::text, 13, '0'), 'bench enterprise ' || i,
       CASE i % 3 WHEN 0 THEN '330502' WHEN 1 THEN '330522' ELSE '320000' END,
       '1713', 'general', 'active', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z'
FROM generate_series(1, :E) AS i;
INSERT INTO credit_events (subject_kind, subject_id, type, occurred_on, reason, source, created_at)
SELECT 'enterprise', (SELECT MIN(id) FROM enterprises WHERE uscc LIKE 'BENCH%') + (i::bigint * 7919) % :E,
       CASE i % 7 WHEN 0 THEN 'exceedance_day' WHEN 1 THEN 'penalty' WHEN 2 THEN 'commitment'
         WHEN 3 THEN 'complaint_substantiated' WHEN 4 THEN 'late_rectification'
         WHEN 5 THEN 'rectification_verified' ELSE 'permit_violation' END,
       to_char(current_date - (i % 540), 'YYYY-MM-DD'), 'bench', 'bench', '2026-01-01T00:00:00Z'
FROM generate_series(0, :V - 1) AS i;
ANALYZE enterprises;
ANALYZE credit_events;
