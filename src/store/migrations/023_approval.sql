-- envgov schema 23: EIA approval (环评审批, src/approval/). The classification catalogue (分类管理
-- 名录, representative items, edited by admin), applications with their site check, proposed and
-- final class, route (rule set approval.routes), 容缺 items, the one-time notice, the case on the
-- statutory clock (cases, type eia), the decision and the obligations after approval that become
-- the enterprise's to-do items. Dates are China dates (YYYY-MM-DD), times UTC ISO.

-- A catalogue item (建设项目环境影响评价分类管理名录 2021 structure): item_no ("二十三、55"),
-- category (行业类别), project_type (项目类别), the condition text per class as the 名录 reads,
-- and what the proposal evaluates: industry_prefixes (GB/T 4754 code prefixes, comma-separated),
-- default_class (report | form | registration | none: not under EIA management), report_keywords
-- (a project whose name, capacity or process names one is a 报告书: "电镀,含氰"),
-- report_min_investment (万元; 0 = not by investment).
CREATE TABLE eia_catalogue (
    id INTEGER PRIMARY KEY,
    item_no TEXT NOT NULL,
    category TEXT NOT NULL,
    project_type TEXT NOT NULL,
    industry_prefixes TEXT NOT NULL DEFAULT '',
    report_cond TEXT NOT NULL DEFAULT '',
    form_cond TEXT NOT NULL DEFAULT '',
    registration_cond TEXT NOT NULL DEFAULT '',
    default_class TEXT NOT NULL DEFAULT 'form' CHECK (default_class IN ('report', 'form', 'registration', 'none')),
    report_keywords TEXT NOT NULL DEFAULT '',
    report_min_investment REAL NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'active',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX eia_catalogue_item ON eia_catalogue(item_no);

-- An application. geometry: GeoJSON geometry text. pollutants_json: [{code, name, tonnes}].
-- checklist_json: the rule set's checklist for its class with each item's attachment
-- [{code, name, required, essential, attachment_id}]. missing_json: 容缺 items
-- [{code, name, due_on, received_on}]. assessments: 多评合一, the assessments decided together, a
-- comma list of eia, radiation (辐射环评), outfall (入河排污口设置). bundle_json: 打捆审批, the other
-- small firms of the same type in the same park filed as this one project [{enterprise_id, name}]. zoning_json: the site check's answer. proposed_class: the
-- catalogue's (raised once when the site is sensitive); class: the one applied (a staff override
-- keeps class_reason). route: exempt | commitment | direct | normal | record (登记表 备案);
-- route_reasons_json: why other routes were not open [{code, text_zh, text_en}].
-- state: filed | notice (一次性告知 sent, waiting) | accepted | approved | rejected | recorded |
-- exempt | withdrawn | revoked (a false commitment found at the verification). limit_days: ceil(statutory × compression).
CREATE TABLE eia_applications (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    enterprise_name TEXT NOT NULL,
    region_code TEXT NOT NULL,
    project_name TEXT NOT NULL,
    industry_code TEXT NOT NULL,
    geometry TEXT NOT NULL,
    investment REAL NOT NULL DEFAULT 0,
    capacity TEXT NOT NULL DEFAULT '',
    pollutants_json TEXT NOT NULL DEFAULT '[]',
    park TEXT NOT NULL DEFAULT '',
    preparer_agency_id INTEGER REFERENCES agencies(id),
    consult_id INTEGER NOT NULL DEFAULT 0,
    catalogue_id INTEGER REFERENCES eia_catalogue(id),
    proposed_class TEXT NOT NULL,
    class TEXT NOT NULL CHECK (class IN ('report', 'form', 'registration', 'none')),
    class_reason TEXT NOT NULL DEFAULT '',
    sensitive INTEGER NOT NULL DEFAULT 0,
    zoning_verdict TEXT NOT NULL DEFAULT '',
    zoning_json TEXT NOT NULL DEFAULT '{}',
    route TEXT NOT NULL CHECK (route IN ('exempt', 'commitment', 'direct', 'normal', 'record')),
    route_reasons_json TEXT NOT NULL DEFAULT '[]',
    key_project INTEGER NOT NULL DEFAULT 0,
    officer_user_id INTEGER REFERENCES users(id),
    checklist_json TEXT NOT NULL DEFAULT '[]',
    missing_json TEXT NOT NULL DEFAULT '[]',
    commitment_signed INTEGER NOT NULL DEFAULT 0,
    assessments TEXT NOT NULL DEFAULT 'eia',
    bundle_json TEXT NOT NULL DEFAULT '[]',
    state TEXT NOT NULL DEFAULT 'filed' CHECK (state IN ('filed', 'notice', 'accepted', 'approved', 'rejected', 'recorded', 'exempt', 'withdrawn', 'revoked')),
    statutory_days INTEGER NOT NULL DEFAULT 0,
    ratio REAL NOT NULL DEFAULT 1,
    limit_days INTEGER NOT NULL DEFAULT 0,
    rule_set_id INTEGER REFERENCES rule_sets(id),
    rule_version INTEGER NOT NULL DEFAULT 0,
    case_id INTEGER REFERENCES cases(id),
    verify_case_id INTEGER REFERENCES cases(id),
    receipt_no TEXT NOT NULL DEFAULT '',
    notice_text TEXT NOT NULL DEFAULT '',
    notice_on TEXT,
    conditions TEXT NOT NULL DEFAULT '',
    decision_reason TEXT NOT NULL DEFAULT '',
    comment_until TEXT,
    filed_by INTEGER REFERENCES users(id),
    decided_by INTEGER REFERENCES users(id),
    filed_on TEXT NOT NULL,
    accepted_on TEXT,
    decided_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX eia_applications_enterprise ON eia_applications(enterprise_id, id);
CREATE INDEX eia_applications_state ON eia_applications(state, filed_on);
CREATE UNIQUE INDEX eia_applications_receipt ON eia_applications(receipt_no) WHERE receipt_no <> '';

-- The obligations after approval (温馨提示卡): kind acceptance | permit | total_quantity |
-- verification; the enterprise's to-do items until done.
CREATE TABLE eia_obligations (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES eia_applications(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    due_on TEXT NOT NULL,
    done_on TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX eia_obligations_enterprise ON eia_obligations(enterprise_id, done_on, due_on);
CREATE INDEX eia_obligations_application ON eia_obligations(application_id);

-- Classified collective review sessions (分类集中评审): experts [{name, title, org}] review the
-- applications of one kind on one day; while the session is open each application's case is in
-- expert review (the clock paused).
CREATE TABLE eia_sessions (
    id INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    held_on TEXT NOT NULL,
    experts_json TEXT NOT NULL DEFAULT '[]',
    opinion TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE TABLE eia_session_items (
    session_id INTEGER NOT NULL REFERENCES eia_sessions(id),
    application_id INTEGER NOT NULL REFERENCES eia_applications(id),
    PRIMARY KEY (session_id, application_id)
);
CREATE INDEX eia_session_items_application ON eia_session_items(application_id);

-- undo: DROP TABLE eia_session_items
-- undo: DROP TABLE eia_sessions
-- undo: DROP TABLE eia_obligations
-- undo: DROP TABLE eia_applications
-- undo: DROP TABLE eia_catalogue
