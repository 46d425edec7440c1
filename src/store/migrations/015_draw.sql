-- envgov schema 15: 双随机一公开 draws (src/draw/) — plans with their committed seed and input
-- snapshot, the drawn targets and inspectors (each target an inspection case), and declared
-- relationships between inspectors and enterprises (recusal).

-- A plan: period ("2026Q4" or "2026"), region prefix, the supervision categories drawn (comma
-- list), the org unit whose inspectors form the roster (NULL: inspectors whose units cover the
-- region), the visit window; state draft → committed → drawn → revealed → published.
-- seed_hex is the secret 32-byte seed (hex), never shown before the plan is revealed;
-- seed_sha256 = SHA-256 of the seed bytes (the commitment); snapshot is the canonical input file
-- (docs/internals/draw.md) and snapshot_sha256 its SHA-256; rule_set_id/rule_version the
-- draw.ratios version the plan used. publish_due: the last day to publish (一公开).
CREATE TABLE draw_plans (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    period TEXT NOT NULL,
    region_prefix TEXT NOT NULL DEFAULT '',
    categories TEXT NOT NULL,
    org_unit_id INTEGER REFERENCES org_units(id),
    visit_from TEXT NOT NULL,
    visit_to TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'draft',
    rule_set_id INTEGER NOT NULL DEFAULT 0,
    rule_version INTEGER NOT NULL DEFAULT 0,
    seed_hex TEXT NOT NULL DEFAULT '',
    seed_sha256 TEXT NOT NULL DEFAULT '',
    snapshot TEXT NOT NULL DEFAULT '',
    snapshot_sha256 TEXT NOT NULL DEFAULT '',
    n_pool INTEGER NOT NULL DEFAULT 0,
    n_targets INTEGER NOT NULL DEFAULT 0,
    n_short INTEGER NOT NULL DEFAULT 0,
    publish_due TEXT,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    committed_at TEXT,
    drawn_at TEXT,
    revealed_at TEXT,
    published_at TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX draw_plans_state ON draw_plans(state, id);

-- A drawn target: its place in the selection (seq from 1), the weight it was drawn with, the
-- visit date, its inspection case, and the outcome the inspector recorded
-- ('no_problem', 'problems_found', 'could_not_inspect').
CREATE TABLE draw_targets (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES draw_plans(id),
    seq INTEGER NOT NULL,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    category TEXT NOT NULL,
    weight INTEGER NOT NULL,
    positive INTEGER NOT NULL DEFAULT 0,
    visit_date TEXT NOT NULL,
    case_id INTEGER REFERENCES cases(id),
    outcome TEXT,
    outcome_note TEXT NOT NULL DEFAULT '',
    outcome_at TEXT,
    outcome_by INTEGER REFERENCES users(id),
    UNIQUE (plan_id, seq)
);
CREATE INDEX draw_targets_enterprise ON draw_targets(enterprise_id, plan_id);

-- The inspectors of a target, in the order drawn (seq from 1; the first is the case's assignee).
CREATE TABLE draw_target_inspectors (
    target_id INTEGER NOT NULL REFERENCES draw_targets(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    seq INTEGER NOT NULL,
    PRIMARY KEY (target_id, user_id)
);
CREATE INDEX draw_target_inspectors_user ON draw_target_inspectors(user_id, target_id);

-- A declared relationship (利害关系) of an inspector with an enterprise: the pair is recused
-- from every draw while the declaration stands (withdrawn_at NULL).
CREATE TABLE draw_declarations (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    reason TEXT NOT NULL,
    declared_by INTEGER REFERENCES users(id),
    declared_at TEXT NOT NULL,
    withdrawn_at TEXT,
    withdrawn_by INTEGER REFERENCES users(id)
);
CREATE INDEX draw_declarations_pair ON draw_declarations(enterprise_id, user_id);
CREATE INDEX draw_declarations_user ON draw_declarations(user_id, id);

-- Undo (tests/e2e/dashboard.test.mjs, newest migration first). The draw reads credit_current
-- (013_credit) and positive_list (014_positive), which their migrations make and undo.
-- undo: DROP TABLE draw_target_inspectors
-- undo: DROP TABLE draw_targets
-- undo: DROP TABLE draw_declarations
-- undo: DROP TABLE draw_plans
