-- envgov schema 9: rule sets — every number a province or city sets (alarm thresholds and
-- handling deadlines, the permit-expiry warning window, later credit scoring, draw ratios,
-- approval deadlines, penalty discretion) as versioned data with a jurisdiction and an
-- effective date, and the alarms recording the version that judged them.

-- One row per version. kind names the schema the body follows (data/rules/schemas/<kind>.json);
-- region_prefix is the jurisdiction as a region code prefix ('' = everywhere, '33' Zhejiang,
-- '3305' Huzhou); version counts from 1 per (kind, region_prefix). The version in force for
-- (kind, region, date) has the longest prefix of the region among those with effective_from
-- (YYYY-MM-DD) not after the date, then the latest effective_from, then the highest version.
-- used_at is set, in the deciding transaction, by the first decision that used the version:
-- from then on body, effective date and source never change (src/rules/rules.c refuses).
CREATE TABLE rule_sets (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    region_prefix TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL,
    effective_from TEXT NOT NULL,
    source TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    body_sha256 TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    used_at TEXT,
    UNIQUE (kind, region_prefix, version)
);
CREATE INDEX rule_sets_resolve ON rule_sets(kind, effective_from);

-- The alarm.handling version in force for the point's region when the alarm opened.
ALTER TABLE alarms ADD COLUMN rule_set_id INTEGER REFERENCES rule_sets(id);

-- Undo (tests/e2e/dashboard.test.mjs takes a database back to schema 6 with every "-- undo:"
-- line, newest migration first, and lets the later migrations run again). SQLite cannot drop a
-- column with a foreign key: such a column is renamed out of the way.
-- undo: ALTER TABLE alarms RENAME COLUMN rule_set_id TO rule_set_id_old
-- undo: DROP TABLE rule_sets
