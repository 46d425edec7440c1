-- envgov schema 22: 三线一单 zoning (src/zoning/). Environmental control units (环境管控单元:
-- priority 优先保护 / key 重点管控 / general 一般管控) with their boundaries (GeoJSON geometry
-- text in lon/lat, CGCS2000 / WGS 84) and access lists (生态环境准入清单) in four dimensions,
-- grouped by edition (版本): an import creates or replaces one edition's units; one edition is in
-- force, old ones are kept. Pre-consultations (提前介入 / 招商咨询) record a planned project's
-- site check and its one-time notice of concerns. Times UTC ISO.

-- generation: bumped by every import that replaces the edition's units, so that each process's
-- spatial index (src/zoning/index.c) notices another process's import. in_force: 1 for at most
-- one edition (the partial unique index). source: geojson | shapefile.
CREATE TABLE zoning_editions (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    in_force INTEGER NOT NULL DEFAULT 0,
    generation INTEGER NOT NULL DEFAULT 1,
    source TEXT NOT NULL DEFAULT 'geojson',
    n_units INTEGER NOT NULL DEFAULT 0,
    n_items INTEGER NOT NULL DEFAULT 0,
    imported_by INTEGER REFERENCES users(id),
    imported_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX zoning_editions_in_force ON zoning_editions(in_force) WHERE in_force = 1;

-- One unit of an edition. geometry: a GeoJSON Polygon or MultiPolygon; min_lon … max_lat its
-- bounding box. sensitive: an environmentally sensitive area besides the priority units.
CREATE TABLE control_units (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES zoning_editions(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('priority', 'key', 'general')),
    region_code TEXT NOT NULL DEFAULT '',
    sensitive INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    geometry TEXT NOT NULL,
    min_lon REAL NOT NULL,
    min_lat REAL NOT NULL,
    max_lon REAL NOT NULL,
    max_lat REAL NOT NULL,
    n_items INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (edition_id, code)
);
CREATE INDEX zoning_units_region ON control_units(edition_id, region_code);

-- One item of a unit's access list. industries: comma list of GB/T 4754 code prefixes ("C26,C27"),
-- '' = every industry. position: the order within the unit's list.
CREATE TABLE zoning_items (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES control_units(id),
    position INTEGER NOT NULL,
    number TEXT NOT NULL,
    dimension TEXT NOT NULL CHECK (dimension IN ('spatial', 'emission', 'risk', 'resource')),
    effect TEXT NOT NULL CHECK (effect IN ('forbid', 'condition', 'allow')),
    industries TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL
);
CREATE INDEX zoning_items_unit ON zoning_items(unit_id, position);

-- A pre-consultation. enterprise_id NULL: a prospective investor not in the registry.
-- investment: 万元. check_json: the site check's answer at recording (zoning_site_check's JSON);
-- notice_json: the notice's paragraphs, fixed at recording (the PDF is rendered from them).
CREATE TABLE zoning_consults (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER REFERENCES enterprises(id),
    project_name TEXT NOT NULL,
    builder TEXT NOT NULL,
    industry TEXT NOT NULL DEFAULT '',
    investment REAL NOT NULL DEFAULT 0,
    region_code TEXT NOT NULL DEFAULT '',
    geometry TEXT NOT NULL,
    edition TEXT NOT NULL DEFAULT '',
    verdict TEXT NOT NULL,
    sensitive INTEGER NOT NULL DEFAULT 0,
    check_json TEXT NOT NULL,
    notice_json TEXT NOT NULL DEFAULT '[]',
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX zoning_consults_enterprise ON zoning_consults(enterprise_id, id);

-- undo: DROP TABLE zoning_consults
-- undo: DROP TABLE zoning_items
-- undo: DROP TABLE control_units
-- undo: DROP TABLE zoning_editions
