-- envgov schema 6: names sort by pinyin. The zh collation is ICU's Chinese order (pinyin for Han
-- characters), the same ICU order SQLite connections register; it needs a PostgreSQL built with
-- ICU (Debian's and the PGDG packages are). The enterprise list sorts by name by default, so its
-- name index is on the expression the lists sort by: the name with 长 sorted as 常, since ICU
-- reads 长 zhǎng while most names read it cháng (长兴, 长江), in zh.
CREATE COLLATION IF NOT EXISTS zh (provider = icu, locale = 'zh');
DROP INDEX enterprises_name;
CREATE INDEX enterprises_name ON enterprises(replace(name, '长', '常') COLLATE zh, id);

-- The ICU version the indexes in zh were built in: at start envgov rebuilds them (REINDEX) when
-- libicu reports another, since an index in an outdated order misleads queries. SQLite only;
-- PostgreSQL keeps this itself (pg_collation.collversion), and envgov refreshes it there.
CREATE TABLE collation_versions (
    name TEXT PRIMARY KEY,
    version TEXT NOT NULL
);
