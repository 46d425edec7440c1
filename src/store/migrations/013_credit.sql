-- envgov schema 13: environmental credit evaluation (src/credit/) — the event feed, the grade in
-- force, the grade history and objections (异议). Subjects are enterprises and agencies
-- (subject_kind 'enterprise' / 'agency', subject_id their id). Dates are China dates
-- (YYYY-MM-DD), times UTC ISO text like every other time.

-- A database that took the positive list's migration 14 before this one existed holds the
-- temporary contract copies of credit_events and credit_current it made (issue 13's contract:
-- "removed at merge"); nothing but this module writes them, so they are empty and give way to
-- the tables below. On a new database these two statements do nothing.
DROP TABLE IF EXISTS credit_events;
DROP TABLE IF EXISTS credit_current;

-- The event feed (contract table, docs/internals/credit.md): one row per fact that scores. Later
-- modules (penalties, complaints, rectification) insert rows here and call credit_event_add.
-- points: the effect chosen by the legal section for a type whose rule allows it ('manual');
-- NULL = the rule set's points for the type. source/source_id: where the fact comes from
-- ('alarm' 12, 'manual', 'objection' …); dedupe_key keeps one row per fact ('exceed:7:2026-12-01':
-- one exceedance day per enterprise and China date); evidence is text (what proves it) and
-- evidence_attachment_id an attachment of the subject. revoked_at/revoked_by/revoke_reason: a
-- revoked event no longer counts (revocation by the legal section or an upheld objection).
-- Every column but the contract's has a default, so a module may insert the contract's alone.
CREATE TABLE credit_events (
    id INTEGER PRIMARY KEY,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('enterprise', 'agency')),
    subject_id INTEGER NOT NULL,
    type TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    revoked_at TEXT,
    points REAL,
    reason TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '',
    evidence_attachment_id INTEGER REFERENCES attachments(id),
    source TEXT NOT NULL DEFAULT 'manual',
    source_id INTEGER NOT NULL DEFAULT 0,
    dedupe_key TEXT UNIQUE,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    revoked_by INTEGER REFERENCES users(id),
    revoke_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX credit_events_subject ON credit_events(subject_kind, subject_id, occurred_on);
CREATE INDEX credit_events_type ON credit_events(type, subject_kind, subject_id);

-- The grade in force now (contract table). counted: the ids of the events that count, comma
-- separated (the next change's "events behind it" is the difference); veto: a veto item forced
-- the lowest grade.
CREATE TABLE credit_current (
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('enterprise', 'agency')),
    subject_id   INTEGER NOT NULL,
    grade        TEXT NOT NULL,
    score        REAL NOT NULL,
    rule_set_id  INTEGER NOT NULL,
    rule_version INTEGER NOT NULL,
    since        TEXT NOT NULL,
    veto INTEGER NOT NULL DEFAULT 0,
    counted TEXT NOT NULL DEFAULT '',
    computed_at TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (subject_kind, subject_id)
);
CREATE INDEX credit_current_grade ON credit_current(subject_kind, grade);

-- The grade history: a row only when the grade or the score changed, with what changed it
-- (cause: 'event', 'revoke', 'objection', 'recompute' — the nightly pass: an expiry or a new
-- rule version), the events behind the change as JSON arrays of {id, type, effect} (added:
-- counting now and not before; removed: counted before, no longer — expired or revoked), all
-- events counting (counted_json) and the rule-set version that graded (rule_set_id, rule_version).
CREATE TABLE credit_grades (
    id INTEGER PRIMARY KEY,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('enterprise', 'agency')),
    subject_id INTEGER NOT NULL,
    grade TEXT NOT NULL,
    score REAL NOT NULL,
    prev_grade TEXT NOT NULL DEFAULT '',
    prev_score REAL,
    veto INTEGER NOT NULL DEFAULT 0,
    rule_set_id INTEGER NOT NULL,
    rule_version INTEGER NOT NULL,
    since TEXT NOT NULL,
    computed_at TEXT NOT NULL,
    cause TEXT NOT NULL DEFAULT 'event',
    added_json TEXT NOT NULL DEFAULT '[]',
    removed_json TEXT NOT NULL DEFAULT '[]',
    counted_json TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX credit_grades_subject ON credit_grades(subject_kind, subject_id, since, id);
CREATE INDEX credit_grades_since ON credit_grades(since, subject_kind);

-- Objections (异议) of an enterprise against an event or a grade change; each runs as a case
-- of type credit_objection (cases.subject_kind 'credit_objection', subject_id this id). state
-- follows the case: 'open', 'upheld' (the event revoked), 'rejected' (decision_reason says why),
-- 'withdrawn'.
CREATE TABLE credit_objections (
    id INTEGER PRIMARY KEY,
    subject_kind TEXT NOT NULL DEFAULT 'enterprise',
    subject_id INTEGER NOT NULL,
    event_id INTEGER REFERENCES credit_events(id),
    grade_id INTEGER REFERENCES credit_grades(id),
    reason TEXT NOT NULL,
    case_id INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'open',
    decision_reason TEXT NOT NULL DEFAULT '',
    filed_by INTEGER REFERENCES users(id),
    filed_at TEXT NOT NULL,
    decided_at TEXT
);
CREATE INDEX credit_objections_subject ON credit_objections(subject_kind, subject_id, id);

-- Undo (tests/e2e/dashboard.test.mjs takes a database back to schema 6 with every "-- undo:"
-- line, newest migration first, and lets the later migrations run again).
-- undo: DROP TABLE credit_objections
-- undo: DROP TABLE credit_grades
-- undo: DROP TABLE credit_current
-- undo: DROP TABLE credit_events
