-- envgov schema 25: service to enterprises (src/service/). Pairings (分包) of officers with
-- enterprises, sessions (企业服务日, 企业环保咨询日, 大学堂 trainings) with their agenda items and
-- attendance, service records per officer and org unit, the key-project risk ledger, and the
-- outbound messages (webhook, SMS) any module may enqueue, which the monitor's delivery thread
-- sends with retries. Dates are China dates (YYYY-MM-DD), times UTC ISO.

-- tier: leader (领导包联重点企业) | manager (中层包联成长型企业) | staff (审批/服务人员包联重点项目).
-- region_code: the enterprise's, copied (the 十百千 counts group on its county).
CREATE TABLE service_pairings (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    tier TEXT NOT NULL CHECK (tier IN ('leader', 'manager', 'staff')),
    project_name TEXT NOT NULL DEFAULT '',
    region_code TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX service_pairings_one ON service_pairings(user_id, enterprise_id) WHERE status = 'active';
CREATE INDEX service_pairings_enterprise ON service_pairings(enterprise_id, id);
CREATE INDEX service_pairings_region ON service_pairings(region_code, tier);

-- kind: service_day | consultation | training. A service day is one a month per org unit
-- (the job builds it); state: planned | held.
CREATE TABLE service_sessions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('service_day', 'consultation', 'training')),
    title TEXT NOT NULL,
    held_on TEXT NOT NULL,
    org_unit_id INTEGER REFERENCES org_units(id),
    place TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'held')),
    outcome TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX service_sessions_day ON service_sessions(org_unit_id, held_on) WHERE kind = 'service_day';
CREATE INDEX service_sessions_kind ON service_sessions(kind, held_on);

-- An agenda item: an enterprise's open request (request_id, from the request module) or an
-- item added by hand; outcome and resolved after the session.
CREATE TABLE service_items (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES service_sessions(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    request_id INTEGER,
    title TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT '',
    resolved INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
-- NULL request ids (items by hand) are distinct in a unique index, in SQLite and PostgreSQL alike.
CREATE UNIQUE INDEX service_items_request ON service_items(session_id, request_id);
CREATE INDEX service_items_enterprise ON service_items(enterprise_id, id);

-- Who came: one row per enterprise and session, with the number of people.
CREATE TABLE service_attendance (
    session_id INTEGER NOT NULL REFERENCES service_sessions(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    people INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (session_id, enterprise_id)
);

-- kind: visit | training | problem_solved | consultation. org_unit_id: the officer's, copied.
CREATE TABLE service_records (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    org_unit_id INTEGER REFERENCES org_units(id),
    enterprise_id INTEGER REFERENCES enterprises(id),
    kind TEXT NOT NULL CHECK (kind IN ('visit', 'training', 'problem_solved', 'consultation')),
    occurred_on TEXT NOT NULL,
    summary TEXT NOT NULL,
    session_id INTEGER REFERENCES service_sessions(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX service_records_user ON service_records(user_id, occurred_on);
CREATE INDEX service_records_unit ON service_records(org_unit_id, occurred_on);

-- The key-project risk ledger (重点项目环境和社会风险台账): state open → closed (销号, with a
-- result); case_id: its service_risk case, whose clock runs to the deadline and escalates
-- (督办) to the leader's to-do when overdue; overdue_sent: the overdue message was enqueued.
CREATE TABLE service_risks (
    id INTEGER PRIMARY KEY,
    project_name TEXT NOT NULL,
    enterprise_id INTEGER REFERENCES enterprises(id),
    region_code TEXT NOT NULL,
    lat REAL,
    lng REAL,
    category TEXT NOT NULL CHECK (category IN ('environmental', 'social')),
    risk TEXT NOT NULL,
    level TEXT NOT NULL DEFAULT 'medium' CHECK (level IN ('low', 'medium', 'high')),
    owner_user_id INTEGER NOT NULL REFERENCES users(id),
    measures TEXT NOT NULL DEFAULT '',
    deadline TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
    result TEXT NOT NULL DEFAULT '',
    closed_on TEXT,
    case_id INTEGER REFERENCES cases(id),
    overdue_sent INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX service_risks_state ON service_risks(state, deadline);

-- Outbound messages of any module (channel webhook: to the org unit's webhook, signed; sms: to
-- the sms_gateway_url setting's endpoint for recipient). status: pending → sent, or → failed
-- after webhook_max_attempts; a failed one is resent by hand (pending again).
CREATE TABLE outbound_messages (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL CHECK (channel IN ('webhook', 'sms')),
    event TEXT NOT NULL,
    org_unit_id INTEGER REFERENCES org_units(id),
    recipient TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    source_kind TEXT NOT NULL DEFAULT '',
    source_id INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at TEXT NOT NULL,
    last_code INTEGER,
    last_error TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    done_at TEXT
);
CREATE INDEX outbound_messages_due ON outbound_messages(status, next_at);
CREATE INDEX outbound_messages_source ON outbound_messages(source_kind, source_id);

-- undo: DROP TABLE outbound_messages
-- undo: DROP TABLE service_risks
-- undo: DROP TABLE service_records
-- undo: DROP TABLE service_attendance
-- undo: DROP TABLE service_items
-- undo: DROP TABLE service_sessions
-- undo: DROP TABLE service_pairings
