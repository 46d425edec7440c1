-- envgov schema 2: online monitoring over HJ 212 — readings, message de-duplication, the
-- quarantine of frames from unknown or wrongly authenticated devices, per-device protocol
-- deviation counters and the raw-frame log.

CREATE TABLE readings (
    point_id INTEGER NOT NULL REFERENCES points(id),
    cn TEXT NOT NULL,
    data_time TEXT NOT NULL,
    factor TEXT NOT NULL,
    kind TEXT NOT NULL,
    value REAL,
    flag TEXT NOT NULL DEFAULT '',
    received_at TEXT NOT NULL,
    PRIMARY KEY (point_id, cn, data_time, factor, kind)
);

CREATE TABLE hj212_messages (
    mn TEXT NOT NULL,
    qn TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (mn, qn)
);

CREATE TABLE hj212_quarantine (
    id INTEGER PRIMARY KEY,
    mn TEXT NOT NULL,
    pw TEXT NOT NULL,
    reason TEXT NOT NULL,
    raw TEXT NOT NULL,
    peer TEXT NOT NULL DEFAULT '',
    received_at TEXT NOT NULL
);
CREATE INDEX hj212_quarantine_mn ON hj212_quarantine(mn, id);

CREATE TABLE hj212_deviations (
    mn TEXT NOT NULL,
    deviation TEXT NOT NULL,
    count INTEGER NOT NULL,
    last_at TEXT NOT NULL,
    PRIMARY KEY (mn, deviation)
);

CREATE TABLE hj212_frames (
    id INTEGER PRIMARY KEY,
    point_id INTEGER,
    mn TEXT NOT NULL,
    raw TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX hj212_frames_point ON hj212_frames(point_id, id);
CREATE INDEX hj212_frames_time ON hj212_frames(received_at);
