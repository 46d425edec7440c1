-- envgov schema 19: the three-level patrol (src/patrol/, 桐乡's 企业自查、属地巡查、执法监察) —
-- a permit's clauses, the enterprise self-check tasks generated from them and from the
-- enterprise's monitoring points, and the local (town/street) patrol rounds. Problems found at
-- any level are rows of problems (017_rectify) with their rectification orders.

-- A clause of a permit (许可证条款): its number in the permit ("第十二条", "4.2"), its text,
-- what kind of duty it sets (duty: self_monitoring 自行监测, ledger 台账, report 执行报告,
-- facility 设施运行, other 其他) and how often the duty falls due (monthly, quarterly, yearly).
-- enterprise_id is the permit's, copied for scope. status active | retired: a retired clause
-- generates no more tasks; its past tasks stay.
CREATE TABLE permit_clauses (
    id INTEGER PRIMARY KEY,
    permit_id INTEGER NOT NULL REFERENCES permits(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    code TEXT NOT NULL,
    text TEXT NOT NULL,
    duty TEXT NOT NULL,
    frequency TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (permit_id, code)
);
CREATE INDEX permit_clauses_enterprise ON permit_clauses(enterprise_id, status);

-- A self-check task (企业自查任务): one duty of one enterprise for one period. duty_key names the
-- duty ("clause:12", "point:5:online", "point:5:calibration"); period is the duty's period
-- ("2026-12", "2026Q4", "2026"), so a task exists once per enterprise × period × duty however
-- often the job runs. due_on: working days from the first day of the month it was generated in
-- (NULL when the calendar lacks the year). status open → done | problem; problem_id is the
-- problem the answer recorded.
CREATE TABLE selfcheck_tasks (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    region_code TEXT NOT NULL,
    period TEXT NOT NULL,
    month TEXT NOT NULL,
    duty_key TEXT NOT NULL,
    clause_id INTEGER REFERENCES permit_clauses(id),
    point_id INTEGER REFERENCES points(id),
    duty TEXT NOT NULL,
    title TEXT NOT NULL,
    due_on TEXT,
    status TEXT NOT NULL DEFAULT 'open',
    answer TEXT NOT NULL DEFAULT '',
    answered_at TEXT,
    answered_by INTEGER REFERENCES users(id),
    problem_id INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (enterprise_id, period, duty_key)
);
CREATE INDEX selfcheck_tasks_open ON selfcheck_tasks(status, due_on);
CREATE INDEX selfcheck_tasks_month ON selfcheck_tasks(month, region_code);

-- A local patrol round (属地巡查): staff of an org unit visited an enterprise on a day;
-- outcome no_problem | problems_found, n_problems the problems it recorded.
CREATE TABLE patrol_rounds (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    region_code TEXT NOT NULL,
    org_unit_id INTEGER REFERENCES org_units(id),
    patrolled_on TEXT NOT NULL,
    patroller_id INTEGER REFERENCES users(id),
    patroller_name TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL,
    n_problems INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX patrol_rounds_month ON patrol_rounds(patrolled_on, region_code);
CREATE INDEX patrol_rounds_enterprise ON patrol_rounds(enterprise_id, patrolled_on);

-- The rectification workflow on the hub's orders (017_rectify): each evidence submission of
-- an order (整改材料), its text and who sent it (attachments: entity rectify_order), and the
-- verifier's verdict on it — '' while it waits, verified, or returned with a reason. seq counts
-- an order's submissions from 1 (a resubmission after a return is the next).
CREATE TABLE rectify_submissions (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES rectify_orders(id),
    seq INTEGER NOT NULL,
    evidence TEXT NOT NULL,
    submitted_by INTEGER REFERENCES users(id),
    submitted_by_name TEXT NOT NULL DEFAULT '',
    submitted_at TEXT NOT NULL,
    late INTEGER NOT NULL DEFAULT 0,
    verdict TEXT NOT NULL DEFAULT '',
    verdict_reason TEXT NOT NULL DEFAULT '',
    verdict_by INTEGER REFERENCES users(id),
    verdict_by_name TEXT NOT NULL DEFAULT '',
    verdict_at TEXT,
    UNIQUE (order_id, seq)
);

-- Undo (tests/e2e/dashboard.test.mjs, newest migration first).
-- undo: DROP TABLE rectify_submissions
-- undo: DROP TABLE patrol_rounds
-- undo: DROP TABLE selfcheck_tasks
-- undo: DROP TABLE permit_clauses
