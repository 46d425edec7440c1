-- envgov schema 5 (PostgreSQL): cheaper HJ 212 ingest; translation of 005_ingest.sql.

-- Unused: every query on readings filters by point first, which the primary key serves.
DROP INDEX readings_cn_time;

-- Message de-duplication keyed by QN first (the sending time): new keys land at the end of
-- the index. Pruned after hj212_dedup_hours by received_at.
ALTER TABLE hj212_messages DROP CONSTRAINT hj212_messages_pkey;
ALTER TABLE hj212_messages ADD PRIMARY KEY (qn, mn);
CREATE INDEX hj212_messages_time ON hj212_messages(received_at);
