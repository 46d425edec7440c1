-- envgov schema 5: cheaper HJ 212 ingest.
-- Each index a frame's rows touch costs the writer a page per device per transaction when it is
-- keyed by device first (the key is where the next row of that device lands), and a page per
-- batch when it is keyed by time (every new row lands at the end).

-- Unused: every query on readings filters by point first, which the primary key serves.
DROP INDEX readings_cn_time;

-- Message de-duplication keyed by QN first: QN is the sending time (YYYYMMDDhhmmsszzz), so
-- new keys land at the end of the index instead of in one page per device. Rows older than
-- hj212_dedup_hours are pruned with the raw-frame log (by received_at, not by the device's QN).
CREATE TABLE hj212_messages_new (
    mn TEXT NOT NULL,
    qn TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (qn, mn)
) WITHOUT ROWID;
INSERT INTO hj212_messages_new (mn, qn, received_at)
    SELECT mn, qn, received_at FROM hj212_messages;
DROP TABLE hj212_messages;
ALTER TABLE hj212_messages_new RENAME TO hj212_messages;
CREATE INDEX hj212_messages_time ON hj212_messages(received_at);
