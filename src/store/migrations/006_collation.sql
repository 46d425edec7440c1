-- envgov schema 6: names sort by pinyin. The zh collation is ICU's Chinese order (pinyin for Han
-- characters); every envgov connection registers it (src/store/sqlite.c), PostgreSQL's migration
-- creates it from the same ICU. The enterprise list sorts by name by default, so its name index
-- follows the collation. The sqlite3 shell does not know the collation: it can read every table,
-- but a change to enterprises there fails ("no such collation sequence: zh").
DROP INDEX enterprises_name;
CREATE INDEX enterprises_name ON enterprises(name COLLATE zh, id);

-- The ICU version the indexes in zh were built in: at start envgov rebuilds them (REINDEX) when
-- libicu reports another, since an index in an outdated order misleads queries. SQLite only;
-- PostgreSQL keeps this itself (pg_collation.collversion), and envgov refreshes it there.
CREATE TABLE collation_versions (
    name TEXT PRIMARY KEY,
    version TEXT NOT NULL
);
