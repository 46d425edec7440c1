-- envgov schema 12: casework on legal clocks (src/cases/) — one row per case (办件) of any type,
-- its timeline, and attachments owned by a case.

-- A case: its type and state, what it is about (subject_kind/subject_id: "alarm" 12), whose it
-- is (enterprise, region, org unit, assignee), and its clock. Times are UTC ISO text like every
-- other time; limit_n is in unit ("workdays", "days", "work_hours", "hours", "minutes",
-- "seconds"), extended_n the approved extensions in the same unit; paused_at is set while the
-- clock is paused, pauses lists the closed pauses ("from-to,..." unix seconds) and paused_s
-- their total length; due_at/soon_at are the deadline and the start of its last quarter (NULL
-- when there is no running clock), stopped_at when the duty the clock measured was done and
-- stopped_due_at the deadline it had then (shown: done on time or late).
-- actor_roles: ROLE_* bits that may act on the case in its state (the to-do list's filter).
-- rule_set_id/rule_version: the rule set the limit came from (0 = a setting); limit_source says
-- which in words. escalated_at/escalated_unit_id: 督办 to that unit's leader.
CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    enterprise_id INTEGER REFERENCES enterprises(id),
    region_code TEXT NOT NULL DEFAULT '',
    org_unit_id INTEGER REFERENCES org_units(id),
    assignee_user_id INTEGER REFERENCES users(id),
    state TEXT NOT NULL,
    is_open INTEGER NOT NULL DEFAULT 1,
    actor_roles INTEGER NOT NULL DEFAULT 0,
    opened_at TEXT NOT NULL,
    closed_at TEXT,
    unit TEXT NOT NULL DEFAULT 'work_hours',
    limit_n INTEGER NOT NULL DEFAULT 0,
    extended_n INTEGER NOT NULL DEFAULT 0,
    started_at INTEGER NOT NULL DEFAULT 0,
    paused_at INTEGER NOT NULL DEFAULT 0,
    stopped_at INTEGER NOT NULL DEFAULT 0,
    pauses TEXT NOT NULL DEFAULT '',
    paused_s INTEGER NOT NULL DEFAULT 0,
    due_at TEXT,
    soon_at TEXT,
    stopped_due_at TEXT,
    sort_at TEXT NOT NULL DEFAULT '9999-12-31T23:59:59Z',
    clock_error TEXT NOT NULL DEFAULT '',
    rule_set_id INTEGER NOT NULL DEFAULT 0,
    rule_version INTEGER NOT NULL DEFAULT 0,
    limit_source TEXT NOT NULL DEFAULT '',
    escalated_at TEXT,
    escalated_unit_id INTEGER REFERENCES org_units(id),
    updated_at TEXT NOT NULL
);
CREATE INDEX cases_subject ON cases(subject_kind, subject_id);
-- The to-do list: mine, my unit's unassigned, my enterprise's, my unit's escalated; each in
-- deadline order (sort_at: due_at, or 9999-… when none) and covering what its counts read.
CREATE INDEX cases_todo_assignee ON cases(assignee_user_id, is_open, sort_at, due_at, soon_at);
CREATE INDEX cases_todo_unit ON cases(org_unit_id, is_open, sort_at, assignee_user_id, actor_roles,
    due_at, soon_at);
CREATE INDEX cases_todo_enterprise ON cases(enterprise_id, is_open, sort_at, assignee_user_id,
    actor_roles, due_at, soon_at);
CREATE INDEX cases_escalated ON cases(escalated_unit_id, is_open, sort_at);
-- The sweep: open, running clocks by deadline.
CREATE INDEX cases_due ON cases(is_open, due_at);

-- The timeline of a case: one row per transition (and per escalation), with who, from and to
-- state, the request's fields as a JSON object and a note.
CREATE TABLE case_events (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    at TEXT NOT NULL,
    actor_id INTEGER REFERENCES users(id),
    actor TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    from_state TEXT NOT NULL DEFAULT '',
    to_state TEXT NOT NULL DEFAULT '',
    fields TEXT NOT NULL DEFAULT '{}',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_case ON case_events(case_id, id);

-- Attachments hang on a case: entity 'case', entity_id the case id (the existing attachment
-- routes), and case_id so a case's files are found whatever entity row they were filed under.
ALTER TABLE attachments ADD COLUMN case_id INTEGER REFERENCES cases(id);
CREATE INDEX attachments_case ON attachments(case_id);

-- Undo (tests/e2e/dashboard.test.mjs takes a database back to schema 6 with every "-- undo:"
-- line, newest migration first, and lets the later migrations run again). SQLite cannot drop a
-- column with a foreign key: such a column is renamed out of the way.
-- undo: DROP INDEX attachments_case
-- undo: ALTER TABLE attachments RENAME COLUMN case_id TO case_id_old
-- undo: DROP TABLE case_events
-- undo: DROP TABLE cases
