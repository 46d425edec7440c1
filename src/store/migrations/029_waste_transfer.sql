-- envgov schema 29: the parts of the hazardous-waste transfer manifests 027 left out
-- (src/waste/manifest.c, transfer.c): the transport legs of a manifest (the first carrier at
-- shipping, each relay carrier's handover after it, 转移管理办法 art. 17); the paper manifests a
-- shipper enters when the electronic one could not be used (art. 20, within 10 working days of
-- the shipment), their lines as JSON; and the cross-province approval of a manifest (arts.
-- 23-28): whether its receiver is in another province, the case the firm applied on, the
-- approval's state and the reason of a refusal.
ALTER TABLE waste_manifests ADD COLUMN cross_province INTEGER NOT NULL DEFAULT 0;
ALTER TABLE waste_manifests ADD COLUMN approval_case_id INTEGER;
ALTER TABLE waste_manifests ADD COLUMN approval_state TEXT NOT NULL DEFAULT '';
ALTER TABLE waste_manifests ADD COLUMN approval_note TEXT NOT NULL DEFAULT '';

CREATE TABLE waste_manifest_legs (
    manifest_id INTEGER NOT NULL REFERENCES waste_manifests(id),
    leg_no INTEGER NOT NULL,
    carrier_name TEXT NOT NULL,
    vehicle_no TEXT NOT NULL,
    carrier_licence TEXT NOT NULL,
    handover_place TEXT NOT NULL DEFAULT '',
    handed_over_at TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (manifest_id, leg_no)
);

CREATE TABLE waste_paper_manifests (
    id INTEGER PRIMARY KEY,
    paper_no TEXT NOT NULL UNIQUE,
    site_id INTEGER NOT NULL REFERENCES waste_sites(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    receiver_id INTEGER NOT NULL REFERENCES enterprises(id),
    carrier_name TEXT NOT NULL,
    vehicle_no TEXT NOT NULL,
    shipped_on TEXT NOT NULL,
    received_on TEXT,
    entry_due TEXT NOT NULL,
    reason TEXT NOT NULL,
    lines_json TEXT NOT NULL,
    amount_t REAL NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX waste_paper_manifests_site ON waste_paper_manifests(site_id, id);
-- undo: DROP TABLE waste_paper_manifests
-- undo: DROP TABLE waste_manifest_legs
-- undo: ALTER TABLE waste_manifests DROP COLUMN approval_note
-- undo: ALTER TABLE waste_manifests DROP COLUMN approval_state
-- undo: ALTER TABLE waste_manifests DROP COLUMN approval_case_id
-- undo: ALTER TABLE waste_manifests DROP COLUMN cross_province
