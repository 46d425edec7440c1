-- envgov schema 24: requests and complaints (诉求与投诉, src/request/). A request is an
-- enterprise's consultation, problem, policy question or approval help (kind 'request',
-- enterprise_id set); a complaint comes from the public by the online form, Open311, a hotline
-- call (12369 or the local number) or a visit (kind 'complaint'). Each has a tracking code (the
-- complainant's only handle: the tracking page and Open311 show what a complainant may see and
-- nothing more) and a case of type 'request' on the casework engine (its clock: the close limit
-- of the request.clocks rule set; accept_due_at is the acceptance limit). Times UTC ISO; lat/lng
-- WGS 84 degrees (NULL when only an address was given).

-- channel: online | open311 | hotline_12369 | hotline_local | visit | enterprise.
-- state: received → accepted → handling → closed → rated, or rejected | referred; reopened
-- requests go back to handling on a new case (case_id is the current one).
-- repeat_of: the earlier complaint of the same category within the repeat radius and window
-- (shown to staff as a link, never merged). form_nonce: the one-use public form token's nonce.
-- contact_*: never shown to the public; anonymous = 1 keeps them empty and hides the name from
-- the handling unit too.
CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    tracking_code TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('request', 'complaint')),
    category TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('online', 'open311', 'hotline_12369', 'hotline_local', 'visit', 'enterprise')),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    lat REAL,
    lng REAL,
    region_code TEXT NOT NULL DEFAULT '',
    enterprise_id INTEGER REFERENCES enterprises(id),
    anonymous INTEGER NOT NULL DEFAULT 0,
    contact_name TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'received' CHECK (state IN ('received', 'accepted', 'handling', 'closed', 'rated', 'rejected', 'referred')),
    case_id INTEGER REFERENCES cases(id),
    org_unit_id INTEGER REFERENCES org_units(id),
    assignee_user_id INTEGER REFERENCES users(id),
    repeat_of INTEGER REFERENCES requests(id),
    public_notes TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT '',
    reject_reason TEXT NOT NULL DEFAULT '',
    referred_to TEXT NOT NULL DEFAULT '',
    satisfaction INTEGER,
    inspect_task_id INTEGER,
    open311_key_id INTEGER,
    form_nonce TEXT UNIQUE,
    rule_set_id INTEGER REFERENCES rule_sets(id),
    rule_version INTEGER NOT NULL DEFAULT 0,
    accept_due_at TEXT,
    received_at TEXT NOT NULL,
    closed_at TEXT,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX requests_enterprise ON requests(enterprise_id, state, id);
CREATE INDEX requests_received ON requests(received_at, id);
CREATE INDEX requests_state ON requests(state, received_at);
CREATE INDEX requests_category ON requests(category, received_at);
CREATE INDEX requests_region ON requests(region_code, received_at);

-- Open311 client applications: the key's SHA-256 (the key is shown once), a per-minute limit.
CREATE TABLE open311_keys (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    key_prefix TEXT NOT NULL,
    per_minute INTEGER NOT NULL DEFAULT 60,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    created_by INTEGER REFERENCES users(id),
    last_used_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- The secret that signs the public form's tokens, shared by every process (one row).
CREATE TABLE request_secret (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- undo: DROP TABLE request_secret
-- undo: DROP TABLE open311_keys
-- undo: DROP TABLE requests
