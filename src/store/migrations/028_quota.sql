-- envgov schema 28: emission rights (排污权) and total quantity (总量) (src/quota/). Holdings in
-- lots per enterprise and pollutant (cod | nh3n | so2 | nox | vocs), amounts in integer kg a year
-- (t/a × 1000), with origin (initial allocation, paid purchase from the government, trading,
-- the reserve), validity, price (yuan per t/a) and a structured serial; pledged_kg is the part
-- of the lot a registered pledge encumbers (it never moves). The government reserve per
-- pollutant; the movement ledger (every change of a lot or the reserve, one row each);
-- total-quantity reviews of new projects with their items (ratio, required, the sources of the
-- replaced quantity, the reserve part served in priority order); banks and their users; pledge
-- loans (applied → checked | refused → approved | declined → registered → released) with the
-- lots each encumbers. Times UTC ISO, dates YYYY-MM-DD.

CREATE TABLE quota_lots (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    pollutant TEXT NOT NULL CHECK (pollutant IN ('cod', 'nh3n', 'so2', 'nox', 'vocs')),
    amount_kg INTEGER NOT NULL CHECK (amount_kg >= 0),
    pledged_kg INTEGER NOT NULL DEFAULT 0 CHECK (pledged_kg >= 0 AND pledged_kg <= amount_kg),
    origin TEXT NOT NULL CHECK (origin IN ('initial', 'purchase', 'trade', 'reserve')),
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    price REAL NOT NULL DEFAULT 0,
    serial TEXT NOT NULL UNIQUE,
    parent_id INTEGER REFERENCES quota_lots(id),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX quota_lots_enterprise ON quota_lots(enterprise_id, pollutant, valid_to);

CREATE TABLE quota_reserve (
    pollutant TEXT PRIMARY KEY CHECK (pollutant IN ('cod', 'nh3n', 'so2', 'nox', 'vocs')),
    amount_kg INTEGER NOT NULL DEFAULT 0 CHECK (amount_kg >= 0),
    updated_at TEXT NOT NULL
);

CREATE TABLE quota_movements (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('allocate', 'purchase', 'trade', 'reserve_sale',
        'buyback', 'retire', 'pledge', 'release', 'reserve_add')),
    pollutant TEXT NOT NULL,
    amount_kg INTEGER NOT NULL,
    from_enterprise_id INTEGER REFERENCES enterprises(id),
    to_enterprise_id INTEGER REFERENCES enterprises(id),
    lot_id INTEGER REFERENCES quota_lots(id),
    price REAL NOT NULL DEFAULT 0,
    ref_kind TEXT NOT NULL DEFAULT '',
    ref_id INTEGER,
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX quota_movements_from ON quota_movements(from_enterprise_id, id);
CREATE INDEX quota_movements_to ON quota_movements(to_enterprise_id, id);

CREATE TABLE quota_reviews (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    project TEXT NOT NULL,
    approval_ref TEXT NOT NULL DEFAULT '',
    investment_yuan REAL NOT NULL DEFAULT 0,
    livelihood INTEGER NOT NULL DEFAULT 0,
    tier TEXT NOT NULL CHECK (tier IN ('full', 'first', 'livelihood', 'normal')),
    state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'served', 'withdrawn')),
    rule_set_id INTEGER NOT NULL REFERENCES rule_sets(id),
    submitted_at TEXT NOT NULL,
    served_at TEXT,
    created_by INTEGER REFERENCES users(id)
);
CREATE INDEX quota_reviews_state ON quota_reviews(state, tier, submitted_at);

CREATE TABLE quota_review_items (
    review_id INTEGER NOT NULL REFERENCES quota_reviews(id),
    pollutant TEXT NOT NULL,
    new_kg INTEGER NOT NULL,
    missed_target INTEGER NOT NULL DEFAULT 0,
    ratio REAL NOT NULL,
    required_kg INTEGER NOT NULL,
    reserve_kg INTEGER NOT NULL DEFAULT 0,
    sources_json TEXT NOT NULL DEFAULT '[]',
    lot_id INTEGER REFERENCES quota_lots(id),
    PRIMARY KEY (review_id, pollutant)
);

CREATE TABLE quota_banks (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE quota_bank_users (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    bank_id INTEGER NOT NULL REFERENCES quota_banks(id)
);

CREATE TABLE quota_pledges (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    bank_id INTEGER NOT NULL REFERENCES quota_banks(id),
    pollutant TEXT NOT NULL,
    amount_kg INTEGER NOT NULL,
    appraised_yuan REAL NOT NULL,
    requested_yuan REAL NOT NULL,
    state TEXT NOT NULL DEFAULT 'applied' CHECK (state IN ('applied', 'checked', 'refused',
        'approved', 'declined', 'registered', 'released')),
    reasons TEXT NOT NULL DEFAULT '',
    credit_grade TEXT NOT NULL DEFAULT '',
    major_incident INTEGER NOT NULL DEFAULT 0,
    checked_by INTEGER REFERENCES users(id),
    checked_at TEXT,
    loan_yuan REAL,
    rate_percent REAL,
    decided_by INTEGER REFERENCES users(id),
    decided_at TEXT,
    registration_no TEXT UNIQUE,
    registered_at TEXT,
    released_at TEXT,
    rule_set_id INTEGER NOT NULL REFERENCES rule_sets(id),
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX quota_pledges_bank ON quota_pledges(bank_id, id);
CREATE INDEX quota_pledges_enterprise ON quota_pledges(enterprise_id, id);

CREATE TABLE quota_pledge_lots (
    pledge_id INTEGER NOT NULL REFERENCES quota_pledges(id),
    lot_id INTEGER NOT NULL REFERENCES quota_lots(id),
    amount_kg INTEGER NOT NULL,
    PRIMARY KEY (pledge_id, lot_id)
);

-- undo: DROP TABLE quota_pledge_lots
-- undo: DROP TABLE quota_pledges
-- undo: DROP TABLE quota_bank_users
-- undo: DROP TABLE quota_banks
-- undo: DROP TABLE quota_review_items
-- undo: DROP TABLE quota_reviews
-- undo: DROP TABLE quota_movements
-- undo: DROP TABLE quota_reserve
-- undo: DROP TABLE quota_lots
