-- envgov schema 13 (PostgreSQL): reserved for the credit module's migration (013_credit.pg.sql,
-- another branch). This placeholder only keeps the numbers contiguous in the positive-list
-- branch; removed at merge.
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
    applied_at TEXT NOT NULL);
