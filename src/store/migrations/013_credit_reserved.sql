-- envgov schema 13: reserved for the credit module's migration (013_credit.sql, another
-- branch). This placeholder only keeps the numbers contiguous in the positive-list branch
-- (the store applies 1, 2, 3 … in turn); removed at merge.
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
    applied_at TEXT NOT NULL);
