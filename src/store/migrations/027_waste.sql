-- envgov schema 27: hazardous waste (危险废物, src/waste/). The code table of the 国家危险废物名录
-- by edition (code, HW category, industry, description, hazard traits: T toxicity, C
-- corrosivity, I ignitability, R reactivity, In infectivity); per site (an enterprise's plant or
-- store) the figures of its management class (HJ 1259-2022 4.2: the EIA or permit amount, an own
-- utilisation or disposal facility, a licence) and the store's capacity; the HJ 1259 ledger,
-- one row a record (generate 产生, store_in 入库, store_out 出库, self_use 自行利用, self_dispose
-- 自行处置, outsource 委外; returned 退回: what a receiver did not
-- accept, back in the shipper's store) with its batch number and the producing batch it links back to, in
-- tonnes; the warehouses' and smart scales' devices (token stored as its SHA-256) and the events
-- they posted (idempotent by device and event id, with the answer given); the annual management
-- plans (tables generated from the ledger, filing number); the electronic transfer manifests
-- (14-digit number, one per vehicle trip) with their lines, the serial per city and year; the
-- warnings the waste_warnings job raised. Times UTC ISO; occurred_at China time.

CREATE TABLE waste_codes (
    edition TEXT NOT NULL,
    code TEXT NOT NULL,
    category TEXT NOT NULL,
    category_name TEXT NOT NULL,
    industry TEXT NOT NULL,
    description TEXT NOT NULL,
    traits TEXT NOT NULL,
    PRIMARY KEY (edition, code)
);

CREATE TABLE waste_sites (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    declared_t REAL NOT NULL DEFAULT 0,
    own_facility INTEGER NOT NULL DEFAULT 0,
    licensed INTEGER NOT NULL DEFAULT 0,
    capacity_t REAL NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX waste_sites_enterprise ON waste_sites(enterprise_id, id);

CREATE TABLE waste_manifests (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    site_id INTEGER NOT NULL REFERENCES waste_sites(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    receiver_id INTEGER NOT NULL REFERENCES enterprises(id),
    plan_id INTEGER,
    carrier_name TEXT NOT NULL DEFAULT '',
    vehicle_no TEXT NOT NULL DEFAULT '',
    carrier_licence TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('draft', 'shipped', 'arrived', 'accepted', 'partly_accepted', 'refused', 'closed')),
    decision TEXT NOT NULL DEFAULT '',
    method TEXT NOT NULL DEFAULT '',
    discrepancy TEXT NOT NULL DEFAULT '',
    disposal_result TEXT NOT NULL DEFAULT '',
    shipped_at TEXT,
    arrived_at TEXT,
    arrived_on TEXT,
    confirm_due TEXT,
    confirmed_at TEXT,
    closed_at TEXT,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX waste_manifests_enterprise ON waste_manifests(enterprise_id, id);
CREATE INDEX waste_manifests_receiver ON waste_manifests(receiver_id, id);
CREATE INDEX waste_manifests_state ON waste_manifests(state, confirm_due);

CREATE TABLE waste_manifest_lines (
    manifest_id INTEGER NOT NULL REFERENCES waste_manifests(id),
    line_no INTEGER NOT NULL,
    source_batch TEXT NOT NULL,
    waste_code TEXT NOT NULL,
    amount_t REAL NOT NULL,
    accepted_t REAL,
    PRIMARY KEY (manifest_id, line_no)
);

CREATE TABLE waste_serials (
    area TEXT NOT NULL,
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (area, year)
);

CREATE TABLE waste_devices (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES waste_sites(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    active INTEGER NOT NULL DEFAULT 1,
    last_seen_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX waste_devices_site ON waste_devices(site_id);

CREATE TABLE waste_records (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES waste_sites(id),
    kind TEXT NOT NULL CHECK (kind IN ('generate', 'store_in', 'store_out', 'self_use', 'self_dispose', 'outsource', 'returned')),
    batch_no TEXT NOT NULL,
    source_batch TEXT NOT NULL,
    waste_code TEXT NOT NULL,
    amount_t REAL NOT NULL,
    occurred_at TEXT NOT NULL,
    container TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    manifest_id INTEGER REFERENCES waste_manifests(id),
    device_id INTEGER REFERENCES waste_devices(id),
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX waste_records_batch ON waste_records(site_id, batch_no);
CREATE INDEX waste_records_source ON waste_records(site_id, source_batch, id);
CREATE INDEX waste_records_time ON waste_records(site_id, occurred_at);

CREATE TABLE waste_device_events (
    device_id INTEGER NOT NULL REFERENCES waste_devices(id),
    event_id TEXT NOT NULL,
    record_id INTEGER REFERENCES waste_records(id),
    answer TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (device_id, event_id)
);

CREATE TABLE waste_plans (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES waste_sites(id),
    year INTEGER NOT NULL,
    class TEXT NOT NULL CHECK (class IN ('key', 'simplified', 'registered')),
    tables_json TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'filed')),
    filing_no TEXT UNIQUE,
    due_on TEXT NOT NULL,
    filed_at TEXT,
    late INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (site_id, year)
);

CREATE TABLE waste_warnings (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES waste_sites(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    kind TEXT NOT NULL CHECK (kind IN ('storage_time', 'over_capacity', 'unconfirmed', 'off_plan', 'ledger_gap')),
    ref TEXT NOT NULL,
    detail TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    resolved_at TEXT,
    UNIQUE (site_id, kind, ref)
);
CREATE INDEX waste_warnings_open ON waste_warnings(resolved_at, enterprise_id);

-- undo: DROP TABLE waste_warnings
-- undo: DROP TABLE waste_plans
-- undo: DROP TABLE waste_device_events
-- undo: DROP TABLE waste_records
-- undo: DROP TABLE waste_devices
-- undo: DROP TABLE waste_serials
-- undo: DROP TABLE waste_manifest_lines
-- undo: DROP TABLE waste_manifests
-- undo: DROP TABLE waste_sites
-- undo: DROP TABLE waste_codes
