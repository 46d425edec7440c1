-- envgov schema 16 (PostgreSQL): review fixes to the house (jobs, documents, alarms).
-- Translation of 016_house.sql (PostgreSQL changes the constraints in place).

-- The lease names its acquisition, not only its process: a run releases the lease only while
-- the token it took it with is still there, so a run that overran its lease (another run took
-- the job over, in this process or another) cannot free the newer holder's lease.
ALTER TABLE jobs ADD COLUMN lease_token TEXT;

-- "Run now" from the admin page queues the run (status 'queued', the actor who asked, when)
-- for a scheduler, which claims it ('running', owner, started_ms) under the job's lease and
-- records the result in the same row; started/finished/duration are NULL until then.
ALTER TABLE job_runs DROP CONSTRAINT job_runs_status_check;
ALTER TABLE job_runs ADD CONSTRAINT job_runs_status_check
    CHECK (status IN ('queued', 'running', 'ok', 'failed'));
ALTER TABLE job_runs ALTER COLUMN started_ms DROP NOT NULL;
ALTER TABLE job_runs ALTER COLUMN finished_ms DROP NOT NULL;
ALTER TABLE job_runs ALTER COLUMN duration_ms DROP NOT NULL;
ALTER TABLE job_runs ADD COLUMN requested_ms BIGINT;
-- The schedulers look for queued runs on every tick.
CREATE INDEX job_runs_status ON job_runs(status, id);

-- The rule set (and its version) a document's content came from: the permit-expiry reminder
-- letter's window is permit.expiry's warn_days. NULL for a document from no rule set.
ALTER TABLE documents ADD COLUMN rule_set_id BIGINT REFERENCES rule_sets(id);
ALTER TABLE documents ADD COLUMN rule_version BIGINT;

-- The alarm list's date filter is "active in the span": first_at <= to (alarms_first_at, schema
-- 7) and last_at >= from, which had no index; it also serves sorting by last_at.
CREATE INDEX alarms_last_at ON alarms(last_at, id);

-- The orphan sweep of the blob store (store.maintain) reads the hashes attachment rows name,
-- one blob subdirectory (two hex digits) at a time.
CREATE INDEX attachments_sha256 ON attachments(sha256);

-- Undo (tests/e2e/dashboard.test.mjs takes a database back to schema 6 with every "-- undo:"
-- line, newest migration first, and lets the later migrations run again).
-- undo: DROP INDEX alarms_last_at
-- undo: DROP INDEX attachments_sha256
-- undo: ALTER TABLE documents DROP COLUMN rule_set_id
