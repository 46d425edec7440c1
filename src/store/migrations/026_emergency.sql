-- envgov schema 26: heavy-pollution weather (重污染天气) and 一企一策 (src/emergency/). An
-- enterprise's performance grade (leading | A | B | B- | C | D) with its exempt types
-- (livelihood 保障类; low_voc: low-VOC materials with efficient treatment) and the evidence
-- (attachments of entity emergency_grade); its sheet of production lines with their normal daily
-- emissions (kg/day), normal flow (m³/h, of the point named) and per level the action and the
-- expected daily reduction (plan_json: {"blue":{"action","so2","nox","pm","vocs"},…}), edited
-- by staff and the enterprise, confirmed by staff; alerts (level, regions, start, end, the
-- emergency.levels version); per alert and firm the execution confirmed by the firm and the
-- compliance found from the monitoring data, with the inspection task filed for a failure.
-- Times UTC ISO.

CREATE TABLE emergency_grades (
    enterprise_id INTEGER PRIMARY KEY REFERENCES enterprises(id),
    grade TEXT NOT NULL CHECK (grade IN ('leading', 'A', 'B', 'B-', 'C', 'D')),
    livelihood INTEGER NOT NULL DEFAULT 0,
    low_voc INTEGER NOT NULL DEFAULT 0,
    evidence TEXT NOT NULL DEFAULT '',
    sheet_state TEXT NOT NULL DEFAULT 'draft' CHECK (sheet_state IN ('draft', 'confirmed')),
    confirmed_by INTEGER REFERENCES users(id),
    confirmed_at TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX emergency_grades_grade ON emergency_grades(grade);

CREATE TABLE emergency_lines (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    name TEXT NOT NULL,
    process TEXT NOT NULL DEFAULT '',
    point_id INTEGER REFERENCES points(id),
    normal_flow REAL NOT NULL DEFAULT 0,
    base_so2 REAL NOT NULL DEFAULT 0,
    base_nox REAL NOT NULL DEFAULT 0,
    base_pm REAL NOT NULL DEFAULT 0,
    base_vocs REAL NOT NULL DEFAULT 0,
    plan_json TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL
);
CREATE INDEX emergency_lines_enterprise ON emergency_lines(enterprise_id, id);

CREATE TABLE emergency_alerts (
    id INTEGER PRIMARY KEY,
    level TEXT NOT NULL CHECK (level IN ('blue', 'yellow', 'orange', 'red')),
    regions TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    rule_set_id INTEGER NOT NULL REFERENCES rule_sets(id),
    issued_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX emergency_alerts_time ON emergency_alerts(starts_at, ends_at);

CREATE TABLE emergency_executions (
    alert_id INTEGER NOT NULL REFERENCES emergency_alerts(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    confirmed_at TEXT,
    confirmed_by INTEGER REFERENCES users(id),
    note TEXT NOT NULL DEFAULT '',
    compliance TEXT NOT NULL DEFAULT 'unknown' CHECK (compliance IN ('unknown', 'complied', 'not_complied')),
    checked_at TEXT,
    task_id INTEGER REFERENCES inspect_tasks(id),
    PRIMARY KEY (alert_id, enterprise_id)
);

-- undo: DROP TABLE emergency_executions
-- undo: DROP TABLE emergency_alerts
-- undo: DROP TABLE emergency_lines
-- undo: DROP TABLE emergency_grades
