-- envgov schema 21: credit repair (信用修复, src/repair/). An enterprise applies for the repair
-- of one credit event of its own (a penalty or another negative event) with a statement of what
-- it did and attachments (entity credit_repair); the conditions of the credit.repair rule set
-- (minimum publicity served, rectification verified, no repeat of the same violation within a
-- year after an earlier repair, no veto item in force) are checked from data at filing and again
-- at the decision, and the legal section decides on a case of type credit_repair. A grant revokes
-- the event (credit_event_revoke, cause 'repair'): the grade is recomputed and the penalty's
-- publication withdrawn. Dates are China dates (YYYY-MM-DD), times UTC ISO.

-- enterprise_name (as it was at filing), event_type / event_occurred_on / source / source_id:
-- copied at filing (the list sorts, filters and searches on them). violation_key: what "the same violation" means for the repeat
-- condition (the penalty case's violation_type, else the event type). state: filed | granted |
-- refused | withdrawn. conditions_json: the last check, as an array of
-- {code, ok, values, text_zh, text_en}; conditions_ok whether every condition held then.
-- rule_set_id / rule_version: the credit.repair version that checked it (marked used).
CREATE TABLE credit_repairs (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    enterprise_name TEXT NOT NULL,
    region_code TEXT NOT NULL,
    event_id INTEGER NOT NULL REFERENCES credit_events(id),
    event_type TEXT NOT NULL,
    event_occurred_on TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    source_id INTEGER NOT NULL DEFAULT 0,
    violation_key TEXT NOT NULL DEFAULT '',
    statement TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'filed' CHECK (state IN ('filed', 'granted', 'refused', 'withdrawn')),
    conditions_json TEXT NOT NULL DEFAULT '[]',
    conditions_ok INTEGER NOT NULL DEFAULT 0,
    rule_set_id INTEGER REFERENCES rule_sets(id),
    rule_version INTEGER NOT NULL DEFAULT 0,
    case_id INTEGER REFERENCES cases(id),
    decision_reason TEXT NOT NULL DEFAULT '',
    filed_by INTEGER REFERENCES users(id),
    decided_by INTEGER REFERENCES users(id),
    filed_on TEXT NOT NULL,
    decided_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX credit_repairs_enterprise ON credit_repairs(enterprise_id, id);
CREATE INDEX credit_repairs_event ON credit_repairs(event_id, state);
-- One application under review per event, also between processes that check at once.
CREATE UNIQUE INDEX credit_repairs_open ON credit_repairs(event_id) WHERE state = 'filed';
CREATE INDEX credit_repairs_state ON credit_repairs(state, filed_on);

-- undo: DROP TABLE credit_repairs
