/*
** The registry's tables described as data (see struct entity_def in store.h). Read columns
** include display joins (region and industry names) so list pages need one query.
*/
#include "core/util.h"
#include "store/store.h"

static const char *const STATUS[] = {"active", "inactive", NULL};
static const char *const CATEGORY[] = {"key", "general", "special", NULL};
static const char *const TAGS[] = {"key_enterprise", "high_growth", "livelihood", "industrial_park",
                                   NULL};
static const char *const OUTLET_KIND[] = {"water", "air", NULL};
static const char *const OUTLET_TYPE[] = {"main", "general", "special", NULL};
static const char *const PROTOCOL[] = {"2017", "2005", NULL};
static const char *const ST_CODES[] = {"21", "22", "23", "24", "25", "26", "27", "31", "32", "33",
                                       "34", "35", "36", "37", "38", "39", "41", "51", "52", NULL};
static const char *const BASIS[] = {"rtd", "hour", "day", NULL};
static const char *const PERMIT_CLASS[] = {"key", "simplified", "registration", NULL};
static const char *const AGENCY_KIND[] = {"eia", "testing", "operation", NULL};
static const char *const ROLES[] = {"admin",   "leader",  "approver",   "inspector", "legal",
                                    "monitor", "service", "enterprise", "bank",      NULL};
static const char *const ORG_KIND[] = {"bureau",  "sub_bureau", "brigade",
                                       "section", "centre",     NULL};

#define SRV FF_SERVER
#define REQ FF_REQUIRED

static const struct field_def enterprise_fields[] = {
    {"uscc", FK_USCC, REQ | FF_SORT | FF_SEARCH | FF_FILTER, 18, NULL, 0, 0},
    {"name", FK_TEXT, REQ | FF_SORT | FF_SEARCH | FF_ZH, 200, NULL, 0, 0},
    {"region_code", FK_REGION, REQ | FF_SORT | FF_FILTER | FF_PREFIX, 6, NULL, 0, 0},
    {"industry_code", FK_INDUSTRY, REQ | FF_SORT | FF_FILTER | FF_PREFIX, 4, NULL, 0, 0},
    {"address", FK_TEXT, FF_SEARCH, 300, NULL, 0, 0},
    {"lat", FK_REAL, 0, 0, NULL, -90, 90},
    {"lng", FK_REAL, 0, 0, NULL, -180, 180},
    {"legal_rep", FK_TEXT, FF_SEARCH, 100, NULL, 0, 0},
    {"contact_name", FK_TEXT, 0, 100, NULL, 0, 0},
    {"contact_phone", FK_PHONE, 0, 40, NULL, 0, 0},
    {"category", FK_ENUM, REQ | FF_FILTER | FF_SORT, 0, CATEGORY, 0, 0},
    {"tags", FK_TAGS, FF_FILTER, 200, TAGS, 0, 0},
    {"status", FK_ENUM, SRV | FF_FILTER | FF_SORT, 0, STATUS, 0, 0},
    {"updated_at", FK_TEXT, SRV | FF_SORT, 0, NULL, 0, 0},
};

const struct entity_def ENTITY_ENTERPRISE = {
    "enterprise",
    "enterprises",
    "t.id, t.uscc, t.name, t.region_code,"
    " (SELECT name FROM regions WHERE code = t.region_code) AS region_name,"
    " t.industry_code, (SELECT name FROM industries WHERE code = t.industry_code) AS industry_name,"
    " t.address, t.lat, t.lng, t.legal_rep, t.contact_name, t.contact_phone, t.category,"
    " t.tags AS tags_list, t.status, t.created_at, t.updated_at",
    enterprise_fields,
    ARRAY_LEN(enterprise_fields),
    "id",
    NULL,
    "name",
    NULL,
    NULL};

static const struct field_def outlet_fields[] = {
    {"enterprise_id", FK_REF, SRV | FF_FILTER, 0, NULL, 0, 0},
    {"code", FK_TEXT, REQ | FF_SORT | FF_SEARCH, 16, NULL, 0, 0},
    {"name", FK_TEXT, REQ | FF_SEARCH, 100, NULL, 0, 0},
    {"kind", FK_ENUM, REQ | FF_FILTER | FF_CREATE_ONLY, 0, OUTLET_KIND, 0, 0},
    {"type", FK_ENUM, FF_FILTER, 0, OUTLET_TYPE, 0, 0},
    {"lat", FK_REAL, 0, 0, NULL, -90, 90},
    {"lng", FK_REAL, 0, 0, NULL, -180, 180},
    {"status", FK_ENUM, SRV | FF_FILTER, 0, STATUS, 0, 0},
};

const struct entity_def ENTITY_OUTLET = {
    "outlet",
    "outlets",
    "t.id, t.enterprise_id, (SELECT name FROM enterprises WHERE id = t.enterprise_id) AS "
    "enterprise_name, t.code, t.name, t.kind, t.type, t.lat, t.lng, t.status, t.created_at,"
    " t.updated_at",
    outlet_fields,
    ARRAY_LEN(outlet_fields),
    "enterprise_id",
    "enterprise_id",
    "code",
    NULL,
    NULL};

static const struct field_def point_fields[] = {
    {"enterprise_id", FK_REF, SRV | FF_FILTER, 0, NULL, 0, 0},
    {"outlet_id", FK_REF, FF_FILTER, 0, NULL, 0, 0},
    {"mn", FK_TEXT, REQ | FF_SORT | FF_SEARCH | FF_FILTER, 32, NULL, 0, 0},
    {"name", FK_TEXT, REQ | FF_SEARCH, 100, NULL, 0, 0},
    {"protocol", FK_ENUM, 0, 0, PROTOCOL, 0, 0},
    {"st", FK_ENUM, FF_FILTER, 0, ST_CODES, 0, 0},
    {"password", FK_SECRET, REQ | FF_HIDDEN, 6, NULL, 0, 0},
    {"rtd_interval_s", FK_INT, 0, 0, NULL, 30, 3600},
    {"min_interval_min", FK_INT, 0, 0, NULL, 1, 60},
    {"status", FK_ENUM, SRV | FF_FILTER, 0, STATUS, 0, 0},
};

const struct entity_def ENTITY_POINT = {
    "point",
    "points",
    "t.id, t.enterprise_id, (SELECT name FROM enterprises WHERE id = t.enterprise_id) AS "
    "enterprise_name, t.outlet_id, (SELECT code FROM outlets WHERE id = t.outlet_id) AS "
    "outlet_code,"
    " t.mn, t.name, t.protocol, t.st, t.rtd_interval_s, t.min_interval_min, t.status,"
    " t.created_at, t.updated_at",
    point_fields,
    ARRAY_LEN(point_fields),
    "enterprise_id",
    "enterprise_id",
    "mn",
    NULL,
    NULL};

static const struct field_def limit_fields[] = {
    {"outlet_id", FK_REF, SRV | FF_FILTER, 0, NULL, 0, 0},
    {"enterprise_id", FK_REF, SRV | FF_FILTER, 0, NULL, 0, 0},
    {"pollutant_code", FK_POLLUTANT, REQ | FF_FILTER | FF_SORT | FF_CREATE_ONLY, 8, NULL, 0, 0},
    {"value", FK_REAL, REQ, 0, NULL, 0, 1e9},
    {"unit", FK_TEXT, REQ, 20, NULL, 0, 0},
    {"basis", FK_ENUM, REQ | FF_FILTER | FF_CREATE_ONLY, 0, BASIS, 0, 0},
    {"standard", FK_TEXT, 0, 200, NULL, 0, 0},
    {"status", FK_ENUM, SRV | FF_FILTER, 0, STATUS, 0, 0},
};

const struct entity_def ENTITY_LIMIT = {
    "limit",
    "emission_limits",
    "t.id, t.outlet_id, t.enterprise_id, t.pollutant_code,"
    " (SELECT name FROM pollutants WHERE code = t.pollutant_code) AS pollutant_name, t.value,"
    " t.unit, t.basis, t.standard, t.status, t.created_at, t.updated_at",
    limit_fields,
    ARRAY_LEN(limit_fields),
    "enterprise_id",
    "outlet_id",
    "pollutant_code",
    NULL,
    NULL};

static const struct field_def permit_fields[] = {
    {"enterprise_id", FK_REF, SRV | FF_FILTER, 0, NULL, 0, 0},
    {"number", FK_TEXT, REQ | FF_SORT | FF_SEARCH, 40, NULL, 0, 0},
    {"class", FK_ENUM, REQ | FF_FILTER, 0, PERMIT_CLASS, 0, 0},
    {"valid_from", FK_DATE, REQ | FF_SORT, 10, NULL, 0, 0},
    {"valid_to", FK_DATE, FF_SORT, 10, NULL, 0, 0},
    {"issuer", FK_TEXT, 0, 100, NULL, 0, 0},
    {"status", FK_ENUM, SRV | FF_FILTER, 0, STATUS, 0, 0},
};

const struct entity_def ENTITY_PERMIT = {
    "permit",
    "permits",
    "t.id, t.enterprise_id, (SELECT name FROM enterprises WHERE id = t.enterprise_id) AS "
    "enterprise_name, t.number, t.class, t.valid_from, t.valid_to, t.issuer, t.status,"
    " t.created_at, t.updated_at",
    permit_fields,
    ARRAY_LEN(permit_fields),
    "enterprise_id",
    "enterprise_id",
    "valid_to",
    NULL,
    NULL};

static const struct field_def agency_fields[] = {
    {"uscc", FK_USCC, REQ | FF_SEARCH | FF_FILTER | FF_SORT, 18, NULL, 0, 0},
    {"name", FK_TEXT, REQ | FF_SORT | FF_SEARCH | FF_ZH, 200, NULL, 0, 0},
    {"kind", FK_ENUM, REQ | FF_FILTER, 0, AGENCY_KIND, 0, 0},
    {"region_code", FK_REGION, REQ | FF_FILTER | FF_PREFIX, 6, NULL, 0, 0},
    {"address", FK_TEXT, FF_SEARCH, 300, NULL, 0, 0},
    {"contact_name", FK_TEXT, 0, 100, NULL, 0, 0},
    {"contact_phone", FK_PHONE, 0, 40, NULL, 0, 0},
    {"status", FK_ENUM, SRV | FF_FILTER, 0, STATUS, 0, 0},
};

const struct entity_def ENTITY_AGENCY = {
    "agency",
    "agencies",
    "t.id, t.uscc, t.name, t.kind, t.region_code,"
    " (SELECT name FROM regions WHERE code = t.region_code) AS region_name, t.address,"
    " t.contact_name, t.contact_phone, t.status, t.created_at, t.updated_at",
    agency_fields,
    ARRAY_LEN(agency_fields),
    NULL,
    NULL,
    "name",
    NULL,
    NULL};

static const struct field_def user_fields[] = {
    {"username", FK_TEXT, REQ | FF_SORT | FF_SEARCH | FF_CREATE_ONLY, 64, NULL, 0, 0},
    {"display_name", FK_TEXT, REQ | FF_SEARCH, 100, NULL, 0, 0},
    {"role", FK_ENUM, REQ | FF_FILTER, 0, ROLES, 0, 0},
    {"org_unit_id", FK_REF, FF_FILTER, 0, NULL, 0, 0},
    {"enterprise_id", FK_REF, FF_FILTER, 0, NULL, 0, 0},
    {"email", FK_TEXT, 0, 200, NULL, 0, 0},
    {"phone", FK_PHONE, 0, 40, NULL, 0, 0},
    {"status", FK_ENUM, SRV | FF_FILTER, 0, STATUS, 0, 0},
};

const struct entity_def ENTITY_USER = {
    "user",
    "users",
    "t.id, t.username, t.display_name, t.role, t.org_unit_id,"
    " (SELECT name FROM org_units WHERE id = t.org_unit_id) AS org_unit_name, t.enterprise_id,"
    " (SELECT name FROM enterprises WHERE id = t.enterprise_id) AS enterprise_name, t.email,"
    " t.phone, t.status, t.must_change_password, t.locked_until, t.created_at, t.updated_at",
    user_fields,
    ARRAY_LEN(user_fields),
    NULL,
    NULL,
    "username",
    NULL,
    NULL};

static const struct field_def org_unit_fields[] = {
    {"name", FK_TEXT, REQ | FF_SORT | FF_SEARCH | FF_ZH, 100, NULL, 0, 0},
    {"parent_id", FK_REF, FF_FILTER, 0, NULL, 0, 0},
    {"kind", FK_ENUM, REQ | FF_FILTER, 0, ORG_KIND, 0, 0},
    {"status", FK_ENUM, SRV | FF_FILTER, 0, STATUS, 0, 0},
    {"doc_prefix", FK_TEXT, 0, 20, NULL, 0, 0},
};

const struct entity_def ENTITY_ORG_UNIT = {
    "org_unit",
    "org_units",
    "t.id, t.name, t.parent_id, t.kind, t.status, t.doc_prefix,"
    " (SELECT GROUP_CONCAT(region_code) FROM org_unit_regions WHERE org_unit_id = t.id) AS "
    "regions_list, t.created_at, t.updated_at",
    org_unit_fields,
    ARRAY_LEN(org_unit_fields),
    NULL,
    NULL,
    "name",
    NULL,
    NULL};

static const char *const ALARM_KIND[] = {"exceed",  "early_warning", "flag", "stuck",
                                         "offline", "condition",     NULL};
static const char *const ALARM_STATUS[] = {"open", "acknowledged", "closed", NULL};

static const struct field_def alarm_fields[] = {
    {"point_id", FK_REF, SRV | FF_FILTER, 0, NULL, 0, 0},
    {"enterprise_id", FK_REF, SRV | FF_FILTER, 0, NULL, 0, 0},
    {"kind", FK_ENUM, SRV | FF_FILTER | FF_SORT, 0, ALARM_KIND, 0, 0},
    {"factor", FK_TEXT, SRV | FF_FILTER, 16, NULL, 0, 0},
    {"status", FK_ENUM, SRV | FF_FILTER | FF_SORT, 0, ALARM_STATUS, 0, 0},
    {"first_at", FK_TEXT, SRV | FF_SORT, 0, NULL, 0, 0},
    {"last_at", FK_TEXT, SRV | FF_SORT, 0, NULL, 0, 0},
    {"count", FK_INT, SRV | FF_SORT, 0, NULL, 0, 0},
};

const struct entity_def ENTITY_ALARM = {
    "alarm",
    "alarms",
    "t.id, t.point_id, (SELECT name FROM points WHERE id = t.point_id) AS point_name,"
    " (SELECT mn FROM points WHERE id = t.point_id) AS mn, t.enterprise_id,"
    " (SELECT name FROM enterprises WHERE id = t.enterprise_id) AS enterprise_name,"
    " (SELECT region_code FROM enterprises WHERE id = t.enterprise_id) AS region_code,"
    " (SELECT r.name FROM regions r JOIN enterprises e ON r.code = e.region_code WHERE e.id ="
    " t.enterprise_id) AS region_name, t.kind,"
    " t.factor, (SELECT name FROM pollutants WHERE code = t.factor) AS factor_name,"
    " (SELECT unit FROM pollutants WHERE code = t.factor) AS unit, t.status, t.first_at,"
    " t.last_at, t.data_time, t.count, t.value, t.limit_value, t.detail, t.normal_since,"
    " t.ack_by, (SELECT display_name FROM users WHERE id = t.ack_by) AS ack_by_name, t.ack_at,"
    " t.ack_note, t.closed_by, (SELECT display_name FROM users WHERE id = t.closed_by) AS"
    " closed_by_name, t.closed_at, t.close_reason, t.rule_set_id, (SELECT version FROM rule_sets"
    " WHERE id = t.rule_set_id) AS rule_set_version, (SELECT region_prefix FROM rule_sets WHERE"
    " id = t.rule_set_id) AS rule_set_region",
    alarm_fields,
    ARRAY_LEN(alarm_fields),
    "enterprise_id",
    NULL,
    "-id",
    NULL,
    NULL};

static const char *const COMMAND_STATUS[] = {"queued", "sent",    "accepted", "refused", "done",
                                             "failed", "offline", "timeout",  NULL};

static const struct field_def command_fields[] = {
    {"point_id", FK_REF, SRV | FF_FILTER, 0, NULL, 0, 0},
    {"cn", FK_TEXT, SRV | FF_FILTER, 8, NULL, 0, 0},
    {"status", FK_ENUM, SRV | FF_FILTER, 0, COMMAND_STATUS, 0, 0},
};

const struct entity_def ENTITY_COMMAND = {
    "hj212_command",
    "hj212_commands",
    "t.id, t.point_id, t.cn, t.qn, t.params, t.status, t.qn_rtn, t.exe_rtn, t.result,"
    " t.created_by, (SELECT display_name FROM users WHERE id = t.created_by) AS created_by_name,"
    " t.created_at, t.sent_at, t.answered_at",
    command_fields,
    ARRAY_LEN(command_fields),
    NULL,
    "point_id",
    "-id",
    NULL,
    NULL};

static const struct field_def notification_fields[] = {
    {"enterprise_id", FK_REF, SRV | FF_FILTER, 0, NULL, 0, 0},
    {"alarm_id", FK_REF, SRV | FF_FILTER, 0, NULL, 0, 0},
    {"event", FK_TEXT, SRV | FF_FILTER, 16, NULL, 0, 0},
};

const struct entity_def ENTITY_NOTIFICATION = {
    "notification",
    "notifications",
    "t.id, t.alarm_id, t.enterprise_id, t.event, t.title, t.created_at,"
    " (SELECT kind FROM alarms WHERE id = t.alarm_id) AS alarm_kind,"
    " (SELECT point_id FROM alarms WHERE id = t.alarm_id) AS point_id",
    notification_fields,
    ARRAY_LEN(notification_fields),
    "enterprise_id",
    NULL,
    "-id",
    NULL,
    NULL};

static const char *const DELIVERY_STATUS[] = {"pending", "sent", "failed", NULL};

static const struct field_def delivery_fields[] = {
    {"org_unit_id", FK_REF, SRV | FF_FILTER, 0, NULL, 0, 0},
    {"status", FK_ENUM, SRV | FF_FILTER, 0, DELIVERY_STATUS, 0, 0},
};

const struct entity_def ENTITY_DELIVERY = {
    "webhook_delivery",
    "webhook_deliveries",
    "t.id, t.org_unit_id, t.notification_id, (SELECT title FROM notifications WHERE id ="
    " t.notification_id) AS title, t.url, t.status, t.attempts, t.next_at, t.last_code,"
    " t.last_error, t.created_at, t.done_at",
    delivery_fields,
    ARRAY_LEN(delivery_fields),
    NULL,
    "org_unit_id",
    "-id",
    NULL,
    NULL};
