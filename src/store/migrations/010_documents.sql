-- envgov schema 10: official documents (公文) — numbered, rendered to PDF, stored as attachments,
-- verifiable by anyone through the token their QR code carries (扫码验真).

-- The org unit's document-number prefix (发文机关代字): 湖环 for 湖州市生态环境局, 湖环长 for its
-- 长兴分局. Empty until an admin sets it; a unit without one cannot issue documents.
ALTER TABLE org_units ADD COLUMN doc_prefix TEXT NOT NULL DEFAULT '';

-- One sequence per org unit, year and series (the kind word of the number: 函, 罚 …). The
-- issuing transaction increments last and inserts the document, so a number is never used
-- twice and a failed issue gives its number back (no gaps).
CREATE TABLE doc_sequences (
    org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
    year INTEGER NOT NULL,
    series TEXT NOT NULL,
    last INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (org_unit_id, year, series)
);

-- Issued documents. The PDF is an attachment (content-addressed by sha256) of the enterprise,
-- or of the case when case_id is set; verify_token is the unguessable key of the public page.
-- dedup_key limits a kind to one document per key (a permit's reminder per validity period).
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    number TEXT NOT NULL UNIQUE,
    org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
    year INTEGER NOT NULL,
    series TEXT NOT NULL,
    seq INTEGER NOT NULL,
    title TEXT NOT NULL,
    enterprise_id INTEGER REFERENCES enterprises(id),
    subject_kind TEXT NOT NULL DEFAULT '',
    subject_id INTEGER,
    dedup_key TEXT,
    case_id INTEGER,
    attachment_id INTEGER NOT NULL REFERENCES attachments(id),
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    issue_date TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    issued_by INTEGER REFERENCES users(id),
    verify_token TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'issued',
    UNIQUE (org_unit_id, year, series, seq),
    UNIQUE (kind, dedup_key)
);
CREATE INDEX documents_enterprise ON documents(enterprise_id, id);
CREATE INDEX documents_subject ON documents(subject_kind, subject_id);

-- Undo (tests/e2e/dashboard.test.mjs takes a database back to schema 6 with every "-- undo:"
-- line, newest migration first, and lets the later migrations run again). SQLite cannot drop a
-- column with a foreign key: such a column is renamed out of the way.
-- undo: DROP TABLE documents
-- undo: DROP TABLE doc_sequences
-- undo: ALTER TABLE org_units DROP COLUMN doc_prefix
