-- envgov schema 20: administrative penalty cases (行政处罚, src/penalty/) — a case from a problem
-- (the rectify hub's problems, migration 017) through 立案, 调查, 告知, 听证, 决定, 执行, 结案 on
-- the casework engine (cases.subject_kind 'penalty_case'), the discretion worked out (裁量), the
-- no-penalty check (轻微不罚 / 首违不罚), the decision and its publication.
-- problem_id names problems(id) without a foreign key: numbers are handed to branches in
-- parallel, and a database may hold 020 before 017 (decision 65).

-- One case. status follows its case's state (filed | investigating | noticed | hearing |
-- deciding | executing | closed). found_on is the day the violation was discovered (the
-- problem's), filed_on the day it was filed (立案). The discretion: the factor levels chosen as a
-- JSON object in factors, the advisory amount and its reasoning lines (JSON array), the
-- mitigation asked (none | lighter 从轻 | reduced 减轻), and the amount decided with the
-- officer's written reason when it departs from the advisory one. The no-penalty check: the
-- item applied (exempt_item, '' = none) and every item as evaluated then (exempt_eval, JSON).
-- The decision: outcome penalty | no_penalty | none (not decided yet), decided_on, the
-- document number and the documents (documents.id) of the prior notice and of the decision;
-- the education given with a no-penalty decision; the rectification order opened (origin
-- 'exempt' or 'penalty'); the credit event filed (credit_events.id). published 1 = the
-- decision is on the public page (unless its credit event is revoked: credit repair).
CREATE TABLE penalty_cases (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    region_code TEXT NOT NULL,
    problem_id INTEGER,
    case_id INTEGER REFERENCES cases(id),
    violation_type TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'filed',
    title TEXT NOT NULL DEFAULT '',
    facts TEXT NOT NULL DEFAULT '',
    found_on TEXT NOT NULL,
    filed_on TEXT NOT NULL,
    noticed_on TEXT,
    hearing_requested INTEGER NOT NULL DEFAULT 0,
    factors TEXT NOT NULL DEFAULT '{}',
    mitigation TEXT NOT NULL DEFAULT 'none' CHECK (mitigation IN ('none', 'lighter', 'reduced')),
    mitigation_basis TEXT NOT NULL DEFAULT '',
    advisory_yuan INTEGER NOT NULL DEFAULT 0,
    reasoning TEXT NOT NULL DEFAULT '[]',
    amount_yuan INTEGER NOT NULL DEFAULT 0,
    departure_reason TEXT NOT NULL DEFAULT '',
    discretion_rule_set_id INTEGER NOT NULL DEFAULT 0,
    discretion_rule_version INTEGER NOT NULL DEFAULT 0,
    exempt_item TEXT NOT NULL DEFAULT '',
    exempt_eval TEXT NOT NULL DEFAULT '[]',
    exempt_rule_set_id INTEGER NOT NULL DEFAULT 0,
    exempt_rule_version INTEGER NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL DEFAULT 'none' CHECK (outcome IN ('penalty', 'no_penalty', 'none')),
    decided_on TEXT,
    decision_no TEXT NOT NULL DEFAULT '',
    notice_document_id INTEGER REFERENCES documents(id),
    decision_document_id INTEGER REFERENCES documents(id),
    education TEXT NOT NULL DEFAULT '',
    rectify_order_id INTEGER,
    credit_event_id INTEGER REFERENCES credit_events(id),
    executed_on TEXT,
    closed_on TEXT,
    published INTEGER NOT NULL DEFAULT 0,
    published_at TEXT,
    created_by INTEGER REFERENCES users(id),
    created_by_name TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX penalty_cases_enterprise ON penalty_cases(enterprise_id, violation_type, decided_on);
CREATE INDEX penalty_cases_problem ON penalty_cases(problem_id);
CREATE INDEX penalty_cases_status ON penalty_cases(status, id);
CREATE INDEX penalty_cases_published ON penalty_cases(published, decided_on);

-- Undo (tests/e2e/dashboard.test.mjs takes a database back to schema 6 with every "-- undo:"
-- line, newest migration first, and lets the later migrations run again).
-- undo: DROP TABLE penalty_cases
