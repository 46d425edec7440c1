-- envgov schema 18: inspections (src/inspect/) — inspection tasks (检查任务) from draws, alarms,
-- complaints, campaigns and by hand, each a case; their inspectors; the one visit per task with
-- its checklist answers (idempotent by the client's uuid) and the findings it recorded as
-- problems (the rectify hub's, 017); campaigns (专项行动) on the 五步工作法 and their targets.

-- A campaign: the plan published to its targets (step 1) with the self-check deadline, the
-- visit window (step 2), and when its results were published (step 5). status: draft →
-- published → closed.
CREATE TABLE inspect_campaigns (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    region_prefix TEXT NOT NULL DEFAULT '',
    plan TEXT NOT NULL,
    selfcheck_due TEXT NOT NULL,
    visit_from TEXT NOT NULL,
    visit_to TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft',
    published_at TEXT,
    results_at TEXT,
    results_note TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX inspect_campaigns_status ON inspect_campaigns(status, id);

-- A campaign's target firm and its self-check (step 1), returned by the enterprise.
CREATE TABLE inspect_campaign_targets (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES inspect_campaigns(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    region_code TEXT NOT NULL,
    selfcheck_at TEXT,
    selfcheck_note TEXT NOT NULL DEFAULT '',
    selfcheck_by INTEGER REFERENCES users(id),
    UNIQUE (campaign_id, enterprise_id)
);
CREATE INDEX inspect_campaign_targets_ent ON inspect_campaign_targets(enterprise_id, campaign_id);

-- A task: whose visit, why (source_kind/source_id: the draw target, alarm, complaint …), the
-- purpose positive_onsite_check judges, level (enforcement | local), the planned day, the lead
-- inspector (NULL = the org unit's), its case (a draw target's task shares the draw's case),
-- status = the case's state (scheduled | awaiting_approval | done | not_approved), the
-- outcome and the day it was done.
CREATE TABLE inspect_tasks (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    region_code TEXT NOT NULL,
    title TEXT NOT NULL,
    source_kind TEXT NOT NULL,
    source_id INTEGER,
    purpose TEXT NOT NULL,
    level TEXT NOT NULL DEFAULT 'enforcement',
    planned_on TEXT NOT NULL,
    lead_user_id INTEGER REFERENCES users(id),
    campaign_id INTEGER REFERENCES inspect_campaigns(id),
    case_id INTEGER REFERENCES cases(id),
    status TEXT NOT NULL DEFAULT 'scheduled',
    outcome TEXT NOT NULL DEFAULT '',
    done_on TEXT,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX inspect_tasks_lead ON inspect_tasks(lead_user_id, status, planned_on);
CREATE INDEX inspect_tasks_enterprise ON inspect_tasks(enterprise_id, id);
CREATE INDEX inspect_tasks_source ON inspect_tasks(source_kind, source_id);
CREATE INDEX inspect_tasks_campaign ON inspect_tasks(campaign_id, status);
CREATE INDEX inspect_tasks_level ON inspect_tasks(level, status, planned_on);

-- The inspectors of a task (seq 1 = the lead).
CREATE TABLE inspect_task_inspectors (
    task_id INTEGER NOT NULL REFERENCES inspect_tasks(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    seq INTEGER NOT NULL,
    PRIMARY KEY (task_id, user_id)
);
CREATE INDEX inspect_task_inspectors_user ON inspect_task_inspectors(user_id, task_id);

-- The visit: one per task (the checklist done once), keyed also by the uuid the phone made
-- for the submission so a retried submit finds it; the checklist version (rule set) used and
-- the answers as given ({"item id": "yes" | "no" | "na"}).
CREATE TABLE inspect_visits (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL UNIQUE REFERENCES inspect_tasks(id),
    client_uuid TEXT NOT NULL UNIQUE,
    rule_set_id INTEGER REFERENCES rule_sets(id),
    rule_version INTEGER,
    checklist_key TEXT NOT NULL,
    answers_json TEXT NOT NULL,
    outcome TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    visited_on TEXT NOT NULL,
    by_user INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);

-- A finding of the visit: the checklist item it answers and the problem recorded for it
-- (problems, the hub's table of schema 17).
CREATE TABLE inspect_findings (
    id INTEGER PRIMARY KEY,
    visit_id INTEGER NOT NULL REFERENCES inspect_visits(id),
    task_id INTEGER NOT NULL REFERENCES inspect_tasks(id),
    item_id TEXT NOT NULL,
    problem_id INTEGER NOT NULL
);
CREATE INDEX inspect_findings_task ON inspect_findings(task_id, id);

-- undo: DROP TABLE inspect_findings
-- undo: DROP TABLE inspect_visits
-- undo: DROP TABLE inspect_task_inspectors
-- undo: DROP TABLE inspect_tasks
-- undo: DROP TABLE inspect_campaign_targets
-- undo: DROP TABLE inspect_campaigns
