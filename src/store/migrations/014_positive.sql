-- envgov schema 14: the enforcement positive list (监督执法正面清单, src/positive/) — entries
-- (admitted by the criteria or by an approved nomination, for a term, removed with a reason),
-- nominations (each a case of type positive_nomination), on-site inspection approval requests
-- and the off-site supervision record of listed firms.

-- One listing of an enterprise: the contract columns (listed on day D when listed_from <= D <
-- listed_to and removed_on is NULL or later than D), then how it came (basis 'criteria' or
-- 'nomination', the rule set and version that admitted it, the criteria as evaluated then as a
-- JSON array in reasons, the nomination), who admitted it, and its end: removed_on with a
-- reason and whether it was a malicious violation (barred_to = removed_on + the bar years,
-- exclusive: admission and nomination are refused before it), or expired_at when the job
-- positive.expire marked the end of its term.
CREATE TABLE positive_list (
    id            INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    listed_from   TEXT NOT NULL,
    listed_to     TEXT NOT NULL,
    removed_on    TEXT,
    basis TEXT NOT NULL DEFAULT 'criteria' CHECK (basis IN ('criteria', 'nomination')),
    rule_set_id INTEGER NOT NULL DEFAULT 0,
    rule_version INTEGER NOT NULL DEFAULT 0,
    reasons TEXT NOT NULL DEFAULT '[]',
    nomination_id INTEGER,
    admitted_by INTEGER REFERENCES users(id),
    admitted_by_name TEXT NOT NULL DEFAULT '',
    admitted_at TEXT NOT NULL,
    removed_reason TEXT NOT NULL DEFAULT '',
    malicious INTEGER NOT NULL DEFAULT 0,
    barred_to TEXT,
    removed_by INTEGER REFERENCES users(id),
    removed_by_name TEXT NOT NULL DEFAULT '',
    removed_at TEXT,
    expired_at TEXT
);
CREATE INDEX positive_list_enterprise ON positive_list(enterprise_id, listed_from);
CREATE INDEX positive_list_term ON positive_list(listed_to, removed_on);

-- A nomination (推荐) by staff with a reason: pending while its case (cases.subject_kind
-- 'positive_nomination') waits for a leader, then approved (entry_id: the listing it made) or
-- refused with the leader's note.
CREATE TABLE positive_nominations (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    reason TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'refused')),
    case_id INTEGER REFERENCES cases(id),
    rule_set_id INTEGER NOT NULL DEFAULT 0,
    rule_version INTEGER NOT NULL DEFAULT 0,
    nominated_by INTEGER REFERENCES users(id),
    nominated_by_name TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    decided_by INTEGER REFERENCES users(id),
    decided_by_name TEXT NOT NULL DEFAULT '',
    decided_at TEXT,
    decision_note TEXT NOT NULL DEFAULT '',
    entry_id INTEGER REFERENCES positive_list(id)
);
CREATE INDEX positive_nominations_enterprise ON positive_nominations(enterprise_id, state);

-- An on-site inspection of a listed firm asked of the head of enforcement (a leader): purpose,
-- visit date and reason; decided approved or refused with a note. source_kind/source_id name
-- what asked (an inspection case of a later module), '' / 0 when asked by hand.
CREATE TABLE positive_onsite_requests (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    entry_id INTEGER NOT NULL REFERENCES positive_list(id),
    purpose TEXT NOT NULL,
    visit_date TEXT NOT NULL,
    reason TEXT NOT NULL,
    source_kind TEXT NOT NULL DEFAULT '',
    source_id INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'refused')),
    requested_by INTEGER REFERENCES users(id),
    requested_by_name TEXT NOT NULL DEFAULT '',
    requested_at TEXT NOT NULL,
    decided_by INTEGER REFERENCES users(id),
    decided_by_name TEXT NOT NULL DEFAULT '',
    decided_at TEXT,
    decision_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX positive_onsite_state ON positive_onsite_requests(state, id);
CREATE INDEX positive_onsite_enterprise ON positive_onsite_requests(enterprise_id, visit_date);

-- The off-site supervision record (非现场监管) kept by hand: data reviewed, video checked, power
-- use checked, with the day it was seen and a note. The alarms of the firm's points since its
-- listing are read from the alarms table beside these rows, never copied.
CREATE TABLE positive_offsite (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    entry_id INTEGER NOT NULL REFERENCES positive_list(id),
    kind TEXT NOT NULL CHECK (kind IN ('data_review', 'video_check', 'power_check')),
    seen_on TEXT NOT NULL,
    note TEXT NOT NULL,
    by_user INTEGER REFERENCES users(id),
    by_name TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX positive_offsite_enterprise ON positive_offsite(enterprise_id, seen_on);

-- Undo (tests/e2e/dashboard.test.mjs takes a database back to schema 6 with every "-- undo:"
-- line, newest migration first, and lets the later migrations run again).
-- undo: DROP TABLE positive_offsite
-- undo: DROP TABLE positive_onsite_requests
-- undo: DROP TABLE positive_nominations
-- undo: DROP TABLE positive_list
