/*
** Filing requests and complaints: the request.clocks rule set in force for the region, the
** possible repeat (same category within the radius and window: linked, never merged), the
** tracking code, the row and its case on the casework engine (clock: close_days calendar
** days; the acceptance limit accept_workdays is kept on the row). Also the contract of
** request.h that the service module reads, and the case type.
*/
#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "calendar/calendar.h"
#include "core/err.h"
#include "core/util.h"
#include "platform/app.h"
#include "request/internal.h"

#define STAFF_ACT (ROLE_ADMIN | ROLE_LEADER | ROLE_SERVICE | ROLE_INSPECTOR | ROLE_APPROVER)
#define LEADERS (ROLE_LEADER | ROLE_ADMIN)

/* ---------------- the case type ---------------- */

static const char *const STATES[] = {"received", "accepted", "handling", "extension_requested",
                                     "closed",   "rated",    "rejected", "referred",
                                     "reopened", NULL};
static const char *const FINAL[] = {"rated", "rejected", "referred", "reopened", NULL};
static const char *const NOTE[] = {"note", NULL};
static const char *const REFER[] = {"referred_to", NULL};
static const char *const ANSWER[] = {"answer", NULL};
static const char *const RATING[] = {"satisfaction", NULL};
static const char *const EXTENSION[] = {"extension", NULL};

static const struct case_transition TRANSITIONS[] = {
    {"received", "accepted", "accept", STAFF_ACT, NULL, CLOCK_NONE, "受理", "Accept"},
    {"received", "rejected", "reject", STAFF_ACT, NOTE, CLOCK_STOP, "不予受理", "Reject"},
    {"received", "referred", "refer", STAFF_ACT, REFER, CLOCK_STOP, "转送有权机关", "Refer"},
    {"accepted", "handling", "dispatch", STAFF_ACT, NULL, CLOCK_NONE, "转办", "Dispatch"},
    {"handling", "handling", "dispatch", STAFF_ACT, NULL, CLOCK_NONE, "改派", "Re-dispatch"},
    {"handling", "handling", "note", STAFF_ACT, NOTE, CLOCK_NONE, "办理记录", "Add a note"},
    {"handling", "handling", "site_visit", STAFF_ACT, NULL, CLOCK_NONE, "现场核查", "Site visit"},
    {"handling", "extension_requested", "request_extension", STAFF_ACT, NOTE, CLOCK_NONE,
     "申请延期", "Request an extension"},
    {"extension_requested", "handling", "approve_extension", LEADERS, EXTENSION, CLOCK_EXTEND,
     "批准延期", "Approve the extension"},
    {"extension_requested", "handling", "deny_extension", LEADERS, NOTE, CLOCK_NONE, "不批准延期",
     "Deny the extension"},
    {"handling", "closed", "close", STAFF_ACT, ANSWER, CLOCK_STOP, "办结", "Close"},
    {"closed", "rated", "follow_up", STAFF_ACT, RATING, CLOCK_NONE, "回访", "Follow up"},
    {"closed", "reopened", "reopen", STAFF_ACT, NOTE, CLOCK_NONE, "重新办理", "Reopen"},
};

/* The request row's state for a case state. */
static const char *row_state(const char *case_state)
{
    return !strcmp(case_state, "extension_requested") || !strcmp(case_state, "reopened")
               ? "handling"
               : case_state;
}

static int case_follow(struct db *db, int64_t id, const struct case_transition *tr,
                       const struct case_actor *who, const char *note, const char *now);
static bool case_visible(struct db *db, int64_t id, const struct principal *p, bool scope_ok);

/* An enterprise user sees the case of its own request, never that of a complaint about it
   (decision 108); everyone else as the scope says. */
static bool case_visible(struct db *db, int64_t id, const struct principal *p, bool scope_ok)
{
    if (!scope_ok || p->role != ROLE_ENTERPRISE) {
        return scope_ok;
    }
    struct request_row row;
    return !store_request_get(db, id, &row) && !strcmp(row.kind, "request");
}

static const struct case_type REQUEST_CASE = {
    .name = "request",
    .label_zh = "诉求与投诉",
    .label_en = "Request or complaint",
    .states = STATES,
    .final = FINAL,
    .transitions = TRANSITIONS,
    .n_transitions = sizeof TRANSITIONS / sizeof TRANSITIONS[0],
    .on_move = case_follow,
    .visible = case_visible,
};

void request_case_register(void)
{
    cases_type_register(&REQUEST_CASE);
}

/* A transition taken on the generic case page moves the row's state (the fields a page of
   this module writes — answer, referral — come only through its own API). */
static int case_follow(struct db *db, int64_t id, const struct case_transition *tr,
                       const struct case_actor *who, const char *note, const char *now)
{
    (void)who;
    (void)note;
    if (!strcmp(tr->action, "close") || !strcmp(tr->action, "refer") ||
        !strcmp(tr->action, "follow_up") || !strcmp(tr->action, "reopen")) {
        return ERR_CONFLICT; /* needs the answer / body / rating this module's page takes */
    }
    struct request_move m = {.state = row_state(tr->to)};
    if (!strcmp(tr->action, "reject")) {
        m.reject_reason = note;
    }
    return store_request_update(db, id, &m, now);
}

/* ---------------- the rule set ---------------- */

int request_clocks_load(struct db *db, const char *region, const char *today,
                        struct request_clocks *k)
{
    *k = (struct request_clocks){3, 2, 30, 30, 50, 30, {0}};
    json_t *body = NULL;
    int rc = rules_resolve(db, "request.clocks", region ? region : "", today, &body, &k->ref);
    if (rc) {
        memset(&k->ref, 0, sizeof k->ref);
        return rc == ERR_NOTFOUND ? 0 : rc;
    }
    k->accept_workdays = (int)rules_int(body, "accept_workdays", 3);
    k->start_workdays = (int)rules_int(body, "start_workdays", 2);
    k->close_days = (int)rules_int(body, "close_days", 30);
    k->close_extension_days = (int)rules_int(body, "close_extension_days", 30);
    k->repeat_radius_m = (int)rules_int(body, "repeat_radius_m", 50);
    k->repeat_days = (int)rules_int(body, "repeat_days", 30);
    json_decref(body);
    return 0;
}

/* ---------------- repeats ---------------- */

struct near_scan {
    double lat, lng, radius;
    int64_t best;
    double best_d;
    struct buf *out;
    int n, max;
};

static void repeat_row(int64_t id, const char *code, const char *cat, const char *state,
                       const char *at, double lat, double lng, void *ctx)
{
    (void)code, (void)cat, (void)state, (void)at;
    struct near_scan *s = ctx;
    double d = request_distance_m(s->lat, s->lng, lat, lng);
    if (d <= s->radius && (!s->best || id < s->best)) {
        s->best = id; /* the earliest of the window is the original */
        s->best_d = d;
    }
}

/* Degrees of latitude and longitude that hold radius metres around lat. */
static void box_of(double lat, double radius, double *dlat, double *dlng)
{
    *dlat = radius / 111000.0 * 1.01;
    double c = cos(lat * M_PI / 180.0);
    *dlng = c > 0.01 ? *dlat / c : 180;
}

static void days_before(const char *now, int days, char out[32])
{
    int64_t t = case_iso_seconds(now) - (int64_t)days * 86400;
    time_iso(t, out);
}

/* The original a new complaint repeats (0 = none). */
static int find_repeat(struct db *db, const struct request_input *in,
                       const struct request_clocks *k, const char *now, int64_t *orig)
{
    *orig = 0;
    if (!in->has_point || strcmp(in->kind, "complaint")) {
        return 0;
    }
    struct near_scan s = {in->lat, in->lng, k->repeat_radius_m, 0, 0, NULL, 0, 0};
    double dlat, dlng;
    char since[32];
    box_of(in->lat, s.radius, &dlat, &dlng);
    days_before(now, k->repeat_days, since);
    int rc = store_request_points_each(db, in->category, in->lat, in->lng, dlat, dlng, since, 0,
                                       repeat_row, &s);
    *orig = s.best;
    return rc;
}

/* ---------------- filing ---------------- */

static int accept_due(const char *today, int n, char out[32])
{
    int32_t d, o;
    int missing = 0;
    if (calendar_date_parse(today, 10, &d)) {
        return ERR_INPUT;
    }
    pthread_rwlock_rdlock(&app.cal_lock);
    int rc = app.cal ? calendar_add_workdays(app.cal, d, n, &o, &missing) : ERR_NOTFOUND;
    pthread_rwlock_unlock(&app.cal_lock);
    if (rc) {
        return rc;
    }
    char day[11];
    calendar_date_format(o, day);
    snprintf(out, 32, "%sT15:59:59Z", day); /* the end of that day in China (UTC+8) */
    return 0;
}

int request_file(struct db *db, const struct request_input *in, int64_t actor_id, const char *actor,
                 const char *request_id, const char *ip, const char *now, int64_t *id,
                 char code[13])
{
    char today[11], cn[20], due[32] = "";
    snprintf(today, sizeof today, "%.10s", iso_utc_to_china(now, cn) ? cn : now);
    struct request_clocks k;
    int rc = request_clocks_load(db, in->region_code, today, &k);
    rc = rc ? rc : k.ref.id ? rules_mark_used(db, &k.ref) : 0;
    int64_t orig = 0;
    rc = rc ? rc : find_repeat(db, in, &k, now, &orig);
    if (rc) {
        return rc;
    }
    bool have_due = accept_due(today, k.accept_workdays, due) == 0;
    struct request_new n = {.kind = in->kind,
                            .category = in->category,
                            .channel = in->channel,
                            .title = in->title,
                            .description = in->description,
                            .address = in->address,
                            .has_point = in->has_point,
                            .lat = in->lat,
                            .lng = in->lng,
                            .region_code = in->region_code,
                            .enterprise_id = in->enterprise_id,
                            .anonymous = in->anonymous,
                            .contact_name = in->anonymous ? "" : in->contact_name,
                            .contact_phone = in->anonymous ? "" : in->contact_phone,
                            .contact_email = in->anonymous ? "" : in->contact_email,
                            .repeat_of = orig,
                            .open311_key_id = in->open311_key_id,
                            .rule_set_id = k.ref.id,
                            .rule_version = k.ref.version,
                            .created_by = actor_id,
                            .form_nonce = in->form_nonce,
                            .accept_due_at = have_due ? due : NULL,
                            .received_at = now};
    /* a collision of 50 random bits is unlikely; try again rather than fail a complaint */
    for (int tries = 0; tries < 4; tries++) {
        unsigned char rnd[10];
        randombytes_buf(rnd, sizeof rnd);
        request_tracking_code(rnd, code);
        n.tracking_code = code;
        rc = store_request_insert(db, &n, now, id);
        if (rc != ERR_CONFLICT || in->form_nonce) {
            break;
        }
    }
    if (rc) {
        return rc;
    }
    char title[400];
    snprintf(title, sizeof title, "%s：%s", !strcmp(in->kind, "complaint") ? "投诉" : "诉求",
             in->title);
    struct case_open o = {.type = "request",
                          .subject_kind = "request",
                          .subject_id = *id,
                          .enterprise_id = in->enterprise_id,
                          .region_code = in->region_code,
                          .title = title,
                          .unit = CU_DAYS,
                          .limit = k.close_days,
                          .rule_set_id = k.ref.id,
                          .rule_version = k.ref.version,
                          .limit_source = "rules request.clocks close_days"};
    int64_t case_id = 0;
    rc = cases_open(db, &o, actor_id, actor ? actor : "公众 / public", now, &case_id);
    struct request_move m = {.case_id = case_id};
    rc = rc ? rc : store_request_update(db, *id, &m, now);
    struct audit_entry a = {.actor_id = actor_id,
                            .actor = actor ? actor : "公众 / public",
                            .entity = "request",
                            .entity_id = *id,
                            .action = "create",
                            .request_id = request_id,
                            .ip = ip};
    return rc ? rc : store_audit_add(db, &a);
}

/* ---------------- the contract of request.h ---------------- */

int request_open_for_enterprise(struct db *db, int64_t enterprise_id, int max, struct buf *out)
{
    if (max < 1 || max > 500) {
        return ERR_INPUT;
    }
    char now[32];
    time_iso(wall_ms() / 1000, now);
    return store_request_open_for_enterprise(db, enterprise_id, max, now, out);
}

int request_open_count(struct db *db, int64_t enterprise_id, int64_t *count)
{
    return store_request_open_count(db, enterprise_id, count);
}

struct near_list {
    double lat, lng, radius;
    struct buf *out;
    int n, max;
};

static void near_row(int64_t id, const char *code, const char *cat, const char *state,
                     const char *at, double lat, double lng, void *ctx)
{
    struct near_list *s = ctx;
    double d = request_distance_m(s->lat, s->lng, lat, lng);
    if (d > s->radius || s->n >= s->max) {
        return;
    }
    buf_printf(s->out, "%s{\"id\":%lld,\"tracking_code\":", s->n++ ? "," : "", (long long)id);
    buf_json_str(s->out, code, strlen(code));
    buf_puts(s->out, ",\"category\":");
    buf_json_str(s->out, cat, strlen(cat));
    buf_printf(s->out,
               ",\"state\":\"%s\",\"received_at\":\"%s\",\"lat\":%.7f,\"lng\":%.7f,"
               "\"distance_m\":%.1f}",
               state, at, lat, lng, d);
}

int request_near(struct db *db, double lat, double lng, double radius_m, const char *since, int max,
                 struct buf *out)
{
    if (!request_point_valid(lat, lng) || !(radius_m > 0 && radius_m <= 50000) || max < 1 ||
        max > 500) {
        return ERR_INPUT;
    }
    int32_t day;
    if (since && calendar_date_parse(since, strlen(since), &day)) {
        return ERR_INPUT;
    }
    double dlat, dlng;
    box_of(lat, radius_m, &dlat, &dlng);
    struct near_list s = {lat, lng, radius_m, out, 0, max};
    char from[32] = "";
    if (since) {
        /* since is a China date: its first instant in UTC */
        snprintf(from, sizeof from, "%sT00:00:00+08:00", since);
        char u[32];
        if (request_iso_to_utc(from, u)) {
            return ERR_INPUT;
        }
        snprintf(from, sizeof from, "%s", u);
    }
    buf_putc(out, '[');
    int rc = store_request_points_each(db, NULL, lat, lng, dlat, dlng, from, 0, near_row, &s);
    buf_putc(out, ']');
    return rc;
}
