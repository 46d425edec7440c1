-- envgov schema 3: what the bureau does with the readings — point liveness, alarms and their
-- handling, in-app notifications with per-user read marks, per-org-unit webhooks with a
-- delivery log, and platform-initiated HJ 212 commands with their 9011/9012 exchange.

-- Derived hour/day values (from minute data) are marked so a device's own upload replaces them.
ALTER TABLE readings ADD COLUMN derived INTEGER NOT NULL DEFAULT 0;
CREATE INDEX readings_cn_time ON readings(cn, data_time);

-- Liveness per point: written by the gateway's writer (last frame, last data time, last flag).
CREATE TABLE point_status (
    point_id INTEGER PRIMARY KEY REFERENCES points(id),
    last_seen_at TEXT NOT NULL,
    last_data_time TEXT NOT NULL DEFAULT '',
    maintenance INTEGER NOT NULL DEFAULT 0
);

-- One row per alarm; consecutive triggers of the same (point, kind, factor) merge into the
-- open row (count, last_at). normal_since is set when values return to normal and cleared on a
-- new trigger; the sweep closes alarms normal for long enough.
CREATE TABLE alarms (
    id INTEGER PRIMARY KEY,
    point_id INTEGER NOT NULL REFERENCES points(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    kind TEXT NOT NULL,
    factor TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'open',
    first_at TEXT NOT NULL,
    last_at TEXT NOT NULL,
    data_time TEXT NOT NULL DEFAULT '',
    count INTEGER NOT NULL DEFAULT 1,
    value REAL,
    limit_value REAL,
    detail TEXT NOT NULL DEFAULT '',
    normal_since TEXT,
    ack_by INTEGER REFERENCES users(id),
    ack_at TEXT,
    ack_note TEXT NOT NULL DEFAULT '',
    closed_by INTEGER REFERENCES users(id),
    closed_at TEXT,
    close_reason TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX alarms_one_open ON alarms(point_id, kind, factor) WHERE status <> 'closed';
CREATE INDEX alarms_status ON alarms(status, id);
CREATE INDEX alarms_enterprise ON alarms(enterprise_id, id);

-- In-app notifications (alarm opened / closed), scoped like the enterprise they concern.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    alarm_id INTEGER REFERENCES alarms(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    event TEXT NOT NULL,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX notifications_enterprise ON notifications(enterprise_id, id);
CREATE TABLE notification_reads (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    last_read_id INTEGER NOT NULL
);

-- Outbound webhooks: one per org unit; a notification concerning an enterprise in the unit's
-- regions is delivered to it, with retries, and every attempt is visible.
CREATE TABLE webhooks (
    org_unit_id INTEGER PRIMARY KEY REFERENCES org_units(id),
    url TEXT NOT NULL,
    secret TEXT NOT NULL DEFAULT '',
    enabled INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
    notification_id INTEGER NOT NULL REFERENCES notifications(id),
    url TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at TEXT NOT NULL,
    last_code INTEGER,
    last_error TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    done_at TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_at);
CREATE INDEX webhook_deliveries_unit ON webhook_deliveries(org_unit_id, id);

-- Platform → device commands. status: queued → sent → accepted (9011 QnRtn=1) → done (9012
-- ExeRtn=1); or refused / failed / offline / timeout. result keeps the device's answer CP.
CREATE TABLE hj212_commands (
    id INTEGER PRIMARY KEY,
    point_id INTEGER NOT NULL REFERENCES points(id),
    cn TEXT NOT NULL,
    qn TEXT NOT NULL,
    params TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'queued',
    qn_rtn TEXT NOT NULL DEFAULT '',
    exe_rtn TEXT NOT NULL DEFAULT '',
    result TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    sent_at TEXT,
    answered_at TEXT
);
CREATE INDEX hj212_commands_point ON hj212_commands(point_id, id);
CREATE INDEX hj212_commands_status ON hj212_commands(status);
