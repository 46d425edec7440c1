-- envgov schema 7 (PostgreSQL): audit rows name their record, and the alarm queries of the dashboard.
-- Translation of 007_audit_names.sql (the same statements).

-- The name of the record an audit row is about ("湖州恒正纸业有限公司", "湖州恒正纸业有限公司 ·
-- 总排口在线监测"), stored when the row is written (store_audit_add in src/store/q_entity.c
-- resolves it in the same transaction as the change), so the log keeps the name the record had
-- then, even after a rename, and a record removed later keeps its entries readable. Rows
-- written before this migration get the name their record has now.
ALTER TABLE audit_log ADD COLUMN record_name TEXT;
UPDATE audit_log SET record_name = CASE entity
    WHEN 'enterprise' THEN (SELECT name FROM enterprises WHERE id = audit_log.entity_id)
    WHEN 'outlet' THEN (SELECT e.name || ' · ' || o.code || ' ' || o.name FROM outlets o
        JOIN enterprises e ON e.id = o.enterprise_id WHERE o.id = audit_log.entity_id)
    WHEN 'point' THEN (SELECT e.name || ' · ' || p.name FROM points p
        JOIN enterprises e ON e.id = p.enterprise_id WHERE p.id = audit_log.entity_id)
    WHEN 'limit' THEN (SELECT e.name || ' · ' || o.code || ' ' || COALESCE(c.name, l.pollutant_code)
        FROM emission_limits l JOIN outlets o ON o.id = l.outlet_id
        JOIN enterprises e ON e.id = l.enterprise_id LEFT JOIN pollutants c ON c.code = l.pollutant_code
        WHERE l.id = audit_log.entity_id)
    WHEN 'permit' THEN (SELECT e.name || ' · ' || p.number FROM permits p
        JOIN enterprises e ON e.id = p.enterprise_id WHERE p.id = audit_log.entity_id)
    WHEN 'agency' THEN (SELECT name FROM agencies WHERE id = audit_log.entity_id)
    WHEN 'user' THEN (SELECT display_name || ' (' || username || ')' FROM users WHERE id = audit_log.entity_id)
    WHEN 'session' THEN (SELECT display_name || ' (' || username || ')' FROM users WHERE id = audit_log.entity_id)
    WHEN 'org_unit' THEN (SELECT name FROM org_units WHERE id = audit_log.entity_id)
    WHEN 'webhook' THEN (SELECT name FROM org_units WHERE id = audit_log.entity_id)
    WHEN 'api_token' THEN (SELECT name FROM api_tokens WHERE id = audit_log.entity_id)
    WHEN 'attachment' THEN (SELECT COALESCE(e.name || ' · ', '') || a.name FROM attachments a
        LEFT JOIN enterprises e ON e.id = a.enterprise_id WHERE a.id = audit_log.entity_id)
    WHEN 'alarm' THEN (SELECT e.name || ' · ' || p.name FROM alarms a JOIN points p ON p.id = a.point_id
        JOIN enterprises e ON e.id = a.enterprise_id WHERE a.id = audit_log.entity_id)
    WHEN 'hj212_command' THEN (SELECT e.name || ' · ' || p.name FROM hj212_commands c
        JOIN points p ON p.id = c.point_id JOIN enterprises e ON e.id = p.enterprise_id
        WHERE c.id = audit_log.entity_id)
    END
WHERE record_name IS NULL AND entity_id IS NOT NULL;

-- The dashboard: alarms opened today (first_at is UTC ISO text) by county and kind, and the open
-- ones by kind and the oldest unhandled; both cover what those queries read of the alarm.
CREATE INDEX alarms_first_at ON alarms(first_at, enterprise_id, kind);
CREATE INDEX alarms_status_first ON alarms(status, first_at, enterprise_id, kind);

-- Undo (tests/e2e/dashboard.test.mjs takes a database back to schema 6 with every "-- undo:"
-- line, newest migration first, and lets the later migrations run again).
-- undo: DROP INDEX alarms_first_at
-- undo: DROP INDEX alarms_status_first
-- undo: ALTER TABLE audit_log DROP COLUMN record_name
