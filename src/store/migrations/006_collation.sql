-- envgov schema 6: names sort by pinyin. The zh collation is ICU's Chinese order (pinyin for Han
-- characters); every envgov connection registers it (src/store/sqlite.c), PostgreSQL's migration
-- creates it from the same ICU. The enterprise list sorts by name by default, so its name index
-- follows the collation. The sqlite3 shell does not know the collation: it can read every table,
-- but a change to enterprises there fails ("no such collation sequence: zh").
DROP INDEX enterprises_name;
CREATE INDEX enterprises_name ON enterprises(name COLLATE zh, id);
