-- envgov schema 11: periodic jobs run by the scheduler of `envgov serve` (src/jobs/), exactly
-- once across the processes that share this database.

-- One row per job a module declares (added by the scheduler when it first sees the job). The
-- row is the lease: a process runs the job only after one conditional UPDATE set lease_owner
-- and lease_until_ms on it (the job is due and nobody holds an unexpired lease), and clears the
-- lease when the run ends. A holder that crashed loses its lease when lease_until_ms passes.
-- Times are Unix milliseconds.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    next_run_ms INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until_ms INTEGER,
    last_started_ms INTEGER,
    last_finished_ms INTEGER,
    last_duration_ms INTEGER,
    last_status TEXT CHECK (last_status IN ('ok', 'failed')),
    last_error TEXT NOT NULL DEFAULT '',
    last_success_ms INTEGER,
    run_count INTEGER NOT NULL DEFAULT 0,
    fail_count INTEGER NOT NULL DEFAULT 0
);

-- The recent runs of each job (the scheduler keeps the last jobs_keep_runs of each): kind
-- 'scheduled' runs carry the slot (the next_run_ms that was due), 'manual' ones the actor
-- (a user name, or "cli" for `envgov job run`).
CREATE TABLE job_runs (
    id INTEGER PRIMARY KEY,
    job TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('scheduled', 'manual')),
    slot_ms INTEGER,
    owner TEXT NOT NULL,
    actor TEXT NOT NULL DEFAULT '',
    started_ms INTEGER NOT NULL,
    finished_ms INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    error TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX job_runs_job ON job_runs(job, id);

-- Undo (tests/e2e/dashboard.test.mjs takes a database back to schema 6 with every "-- undo:"
-- line, newest migration first, and lets the later migrations run again). SQLite cannot drop a
-- column with a foreign key: such a column is renamed out of the way.
-- undo: DROP TABLE job_runs
-- undo: DROP TABLE jobs
