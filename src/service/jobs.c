/*
** The job service.day: for every org unit whose officers have active pairings, make sure the
** coming enterprise service day (day service_day of the month, default the 5th) exists and its
** agenda holds every open request (request.h) of the unit's paired firms, most urgent first;
** each firm whose items were added gets an SMS, and the unit's webhook the agenda's summary.
** Run daily, it keeps the agenda current until the day; one transaction per unit.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "core/settings.h"
#include "core/util.h"
#include "http/json.h"
#include "monitor/outbound.h"
#include "request/request.h"
#include "service/internal.h"
#include "store/q_service.h"

#define AGENDA_PER_FIRM 50

struct ids {
    int64_t *v;
    size_t n, cap;
};

/* Every id, however many: the lists grow (a unit with more firms than guessed still has them
   all on its agenda). */
static void ids_add(int64_t id, void *ctx)
{
    struct ids *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = id;
}

/* Add one firm's open requests to the agenda; *added gets how many. */
static int firm_items(struct db *db, int64_t session_id, int64_t ent, const struct ids *existing,
                      const char *now, int *added)
{
    *added = 0;
    struct buf b;
    buf_init(&b, 1 << 22);
    int rc = request_open_for_enterprise(db, ent, AGENDA_PER_FIRM, &b);
    json_t *arr = rc ? NULL : json_loadb(b.p, b.len, 0, NULL);
    buf_release(&b);
    if (rc || !json_is_array(arr)) {
        json_decref(arr);
        return rc ? rc : ERR_INPUT;
    }
    /* The agenda is the enterprise's to read (and its SMS counts them): only its own requests,
       never a complaint that names it (decision 108: the complainant's words and tracking code
       are not the enterprise's to see). */
    for (size_t i = json_array_size(arr); i-- > 0;) {
        const char *kind = json_string_value(json_object_get(json_array_get(arr, i), "kind"));
        if (!kind || strcmp(kind, "request") != 0) {
            json_array_remove(arr, i);
        }
    }
    size_t n = json_array_size(arr);
    struct service_agenda_req *reqs = xcalloc(n ? n : 1, sizeof *reqs);
    size_t *order = xcalloc(n ? n : 1, sizeof *order);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        reqs[i].id = json_integer_value(json_object_get(o, "id"));
        reqs[i].clock = json_string_value(json_object_get(o, "clock"));
        reqs[i].due_at = json_string_value(json_object_get(o, "due_at"));
        reqs[i].received_at = json_string_value(json_object_get(o, "received_at"));
    }
    size_t k = service_agenda_plan(reqs, n, existing->v, existing->n, order, n);
    for (size_t i = 0; !rc && i < k; i++) {
        json_t *o = json_array_get(arr, order[i]);
        const char *title = json_string_value(json_object_get(o, "title"));
        const char *code = json_string_value(json_object_get(o, "tracking_code"));
        char t[600];
        snprintf(t, sizeof t, "%s%s%s%s", code ? "[" : "", code ? code : "", code ? "] " : "",
                 title ? title : "诉求");
        int64_t id;
        rc = store_service_item_insert(db, session_id, ent, reqs[order[i]].id, t, now, &id);
        *added += !rc;
    }
    free(order);
    free(reqs);
    json_decref(arr);
    return rc;
}

static int unit_day(struct db *db, int64_t unit, const char *held_on, const char *now,
                    int *items_added, int *firms_told)
{
    *items_added = *firms_told = 0;
    int64_t session = 0;
    int rc = store_service_day_find(db, unit, held_on, &session);
    if (!rc && !session) {
        char title[64];
        snprintf(title, sizeof title, "%.7s 企业服务日", held_on);
        rc =
            store_service_session_insert(db, "service_day", title, held_on, unit, 0, now, &session);
    }
    struct ids firms = {0};
    struct ids existing = {0};
    rc = rc ? rc : store_service_unit_enterprises(db, unit, ids_add, &firms);
    rc = rc ? rc : store_service_item_requests(db, session, ids_add, &existing);
    for (size_t i = 0; !rc && i < firms.n; i++) {
        int added = 0;
        rc = firm_items(db, session, firms.v[i], &existing, now, &added);
        if (!rc && added) {
            *items_added += added;
            char region[16], name[256], phone[32], text[400];
            rc = store_service_enterprise(db, firms.v[i], region, name, sizeof name, phone);
            snprintf(text, sizeof text,
                     "贵企业有 %d 项诉求已列入 %s 企业服务日议程，届时请派员参加。", added,
                     held_on);
            int64_t mid;
            rc = rc ? rc
                    : outbound_enqueue(db, "sms", "service.agenda", unit, phone, text,
                                       "service_session", session, now, &mid);
            *firms_told += !rc && mid;
        }
    }
    if (!rc && *items_added) {
        struct buf b;
        buf_init(&b, 4096);
        buf_putc(&b, '{');
        json_kv_str(&b, "event", "service.agenda", false);
        buf_printf(&b, ",\"session\":{\"id\":%lld", (long long)session);
        json_kv_str(&b, "held_on", held_on, true);
        buf_printf(&b, ",\"org_unit_id\":%lld},\"items_added\":%d,\"firms\":%zu", (long long)unit,
                   *items_added, firms.n);
        json_kv_str(&b, "created_at", now, true);
        buf_putc(&b, '}');
        int64_t mid;
        rc = outbound_enqueue(db, "webhook", "service.agenda", unit, NULL, b.p, "service_session",
                              session, now, &mid);
        buf_release(&b);
    }
    free(firms.v);
    free(existing.v);
    return rc;
}

int service_job_day(struct job_run *jr)
{
    char now[32], today[11], held_on[11];
    time_iso(jr->now_ms / 1000, now);
    date_cn(jr->now_ms / 1000, today);
    if (service_day_next(today, (int)settings_int("service_day"), held_on)) {
        snprintf(jr->error, sizeof jr->error, "service_day must be 1..28");
        return ERR_INPUT;
    }
    struct ids units = {0};
    struct db *rdb = store_read(jr->store);
    int rc = store_service_paired_units(rdb, ids_add, &units);
    store_release(jr->store, rdb);
    int items = 0, told = 0;
    for (size_t i = 0; !rc && i < units.n; i++) {
        struct db *db = NULL;
        rc = store_begin(jr->store, &db);
        int a = 0, t = 0;
        rc = rc ? rc : unit_day(db, units.v[i], held_on, now, &a, &t);
        if (!rc) {
            rc = store_commit(jr->store, db);
        } else if (db) {
            store_rollback(jr->store, db);
        }
        items += a, told += t;
    }
    free(units.v);
    if (rc) {
        snprintf(jr->error, sizeof jr->error, "service day agenda failed (%d)", rc);
        return rc;
    }
    snprintf(jr->note, sizeof jr->note,
             "%s 企业服务日：%zu 个单位，新增议题 %d 项，通知企业 %d 家 / service day %s: %zu "
             "units, %d items added, %d firms told",
             held_on, units.n, items, told, held_on, units.n, items, told);
    return 0;
}
