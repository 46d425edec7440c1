-- 100,000 open cases for bench/todo.sh (common SQL of SQLite and PostgreSQL). 100 other bureaus
-- (org units outside the demo's city bureau, as in a province) hold 99,200 of them, unassigned
-- and open, spread over a year of deadlines; the demo's 长兴分局 (a unit under the officer's
-- city bureau) holds 600 the monitoring officer's role acts on; 200 are assigned to the officer.
-- :N is replaced by the script (the total). The bureaus are made through the API first (SQLite's
-- org_units.name index uses envgov's own zh collation, which the sqlite3 shell lacks).
INSERT INTO cases (type, subject_kind, subject_id, title, region_code, org_unit_id, assignee_user_id,
    state, is_open, actor_roles, opened_at, unit, limit_n, started_at, due_at, soon_at, updated_at)
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < :N)
SELECT 'alarm', 'bench', i, 'bench case ' || i, '330522',
    CASE WHEN i <= 200 THEN (SELECT id FROM org_units WHERE name LIKE '%长兴分局')
         WHEN i <= 800 THEN (SELECT id FROM org_units WHERE name LIKE '%长兴分局')
         ELSE (SELECT MIN(id) FROM org_units WHERE name LIKE 'bench bureau %') + (i % 100) END,
    CASE WHEN i <= 200 THEN (SELECT id FROM users WHERE username = 'monitor') ELSE NULL END,
    'open', 1, 169, '2026-01-01T00:00:00Z', 'work_hours', 4, 1767225600,
    '2026-' || CASE WHEN 1 + i % 12 < 10 THEN '0' ELSE '' END || (1 + i % 12) || '-' ||
        CASE WHEN 1 + i % 28 < 10 THEN '0' ELSE '' END || (1 + i % 28) || 'T0' || (i % 10) || ':00:00Z',
    '2026-' || CASE WHEN 1 + i % 12 < 10 THEN '0' ELSE '' END || (1 + i % 12) || '-' ||
        CASE WHEN 1 + i % 28 < 10 THEN '0' ELSE '' END || (1 + i % 28) || 'T00:00:00Z',
    '2026-01-01T00:00:00Z'
FROM s;
UPDATE cases SET sort_at = due_at WHERE subject_kind = 'bench';
