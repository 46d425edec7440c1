-- envgov schema 17: the rectify hub (src/rectify/) — every problem found at an enterprise at any
-- of the three levels (企业自查 enterprise, 属地巡查 local, 执法监察 enforcement) and from any source,
-- and the rectification orders (整改) that close it, each order a case of type rectification.

-- A problem: level, where it came from (source_kind: inspect_task, selfcheck, patrol, alarm,
-- complaint, campaign, manual; source_id that record), the monitoring point and alarm concerned,
-- its category (permit, facility, ledger, hazardous_waste, online_monitoring, emergency_plan,
-- eia, other), the clause or rule breached and the violation type (a code of the
-- penalty.discretion rule set, '' = not, or not yet, a violation). found_on is a China date;
-- status open → rectifying (an order issued) → closed (every order verified).
CREATE TABLE problems (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    region_code TEXT NOT NULL,
    level TEXT NOT NULL,
    source_kind TEXT NOT NULL,
    source_id INTEGER,
    point_id INTEGER REFERENCES points(id),
    alarm_id INTEGER REFERENCES alarms(id),
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    clause TEXT NOT NULL DEFAULT '',
    violation_type TEXT NOT NULL DEFAULT '',
    found_on TEXT NOT NULL,
    found_by INTEGER REFERENCES users(id),
    status TEXT NOT NULL DEFAULT 'open',
    closed_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX problems_enterprise ON problems(enterprise_id, id);
CREATE INDEX problems_region ON problems(region_code, status);
CREATE INDEX problems_level ON problems(level, found_on);
CREATE INDEX problems_source ON problems(source_kind, source_id);

-- A rectification order: of a problem (or not: origin penalty / exempt / campaign with origin_id
-- that record), what must be done, the deadline in working days and its date (due_on, a China
-- date from the case's clock; NULL while the calendar lacks the year), the officer who verifies,
-- status issued → submitted → returned / verified, and its case.
CREATE TABLE rectify_orders (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    region_code TEXT NOT NULL,
    problem_id INTEGER REFERENCES problems(id),
    origin TEXT NOT NULL,
    origin_id INTEGER,
    requirement TEXT NOT NULL,
    workdays INTEGER NOT NULL,
    due_on TEXT,
    verifier_user_id INTEGER REFERENCES users(id),
    status TEXT NOT NULL DEFAULT 'issued',
    case_id INTEGER REFERENCES cases(id),
    verified_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX rectify_orders_problem ON rectify_orders(problem_id);
CREATE INDEX rectify_orders_origin ON rectify_orders(origin, origin_id);
CREATE INDEX rectify_orders_enterprise ON rectify_orders(enterprise_id, id);
CREATE INDEX rectify_orders_region ON rectify_orders(region_code, status);

-- undo: DROP TABLE rectify_orders
-- undo: DROP TABLE problems
