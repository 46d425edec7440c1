/*
** The waste module's descriptor: routes, the seed of the shipped code table
** (data/codes/waste_codes_2021.csv into waste_codes), the job waste.warnings and its schedule
** setting, the to-do source, the audit kinds, the `envgov waste sim` command and the demo (a
** generator's store with a year and a half of ledger, its filed plan and manifests, a licensed
** receiver). The rule set it reads (waste.rules) is seeded by the rules module from data/rules/.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "core/arena.h"
#include "core/embed.h"
#include "core/err.h"
#include "core/log.h"
#include "core/table.h"
#include "core/util.h"
#include "jobs/jobs.h"
#include "platform/cli.h"
#include "store/q_waste.h"
#include "waste/internal.h"

#define CODES_PATH "data/codes/waste_codes_2021.csv"

static int seed(struct store *s, char *err, size_t errcap)
{
    const struct embed_file *f = embed_find(CODES_PATH);
    if (!f) {
        snprintf(err, errcap, "%s is missing from the binary", CODES_PATH);
        return ERR_NOTFOUND;
    }
    int64_t have = 0, lines = 0;
    for (size_t i = 0; i < f->size; i++) {
        lines += f->data[i] == '\n';
    }
    struct db *rd = store_read(s);
    int rc = store_waste_codes_count(rd, WASTE_EDITION, &have);
    store_release(s, rd);
    if (rc || have >= lines - 1) {
        return rc;
    }
    struct arena a;
    arena_init(&a, 1 << 16);
    struct table t;
    rc = csv_parse((const char *)f->data, f->size, &a, 10000, 8, &t, err, errcap);
    struct db *db = NULL;
    rc = rc ? rc : store_begin(s, &db);
    for (size_t row = 1; !rc && row < t.n_rows; row++) {
        rc = t.n_cols == 7 ? store_waste_code_insert(db, (const char *const *)t.cells[row])
                           : ERR_INPUT;
        if (rc) {
            snprintf(err, errcap, "%s row %zu: cannot load", CODES_PATH, row + 1);
        }
    }
    if (db) {
        rc = rc ? (store_rollback(s, db), rc) : store_commit(s, db);
    }
    if (!rc) {
        log_info("loaded %zu waste codes of the %s edition", t.n_rows - 1, WASTE_EDITION);
    }
    arena_free(&a);
    return rc;
}

/* ---------------- demo ---------------- */

struct demo {
    struct db *db;
    struct arena *a;
    int64_t site;
    const char *now;
};

static int demo_record(struct demo *d, enum waste_kind kind, const char *source, const char *code,
                       double t, const char *day, char batch[48])
{
    struct waste_record_in in = {.kind = (int)kind,
                                 .source_batch = source,
                                 .waste_code = code,
                                 .amount_t = t,
                                 .container = "200L 铁桶"};
    snprintf(in.occurred_at, sizeof in.occurred_at, "%s 09:30:00", day);
    const char *field;
    char err[300];
    int64_t id;
    int rc = waste_record_add(d->db, d->a, d->site, &in, d->now, &id, &field, err, sizeof err);
    if (rc) {
        log_error("waste demo: %s %s: %s (%s)", waste_kind_code[kind], day, err, field);
    } else if (batch) {
        snprintf(batch, 48, "%s", in.batch_out);
    }
    return rc;
}

/* A manifest of the batches (stored out first) from the demo site to receiver, taken to state
   (closed, or arrived and waiting for the receiver's confirmation). */
static int demo_manifest(struct demo *d, const struct waste_site_row *s, int64_t receiver,
                         char (*batches)[48], const double *t, size_t n, const char *day,
                         int64_t plan, bool close)
{
    struct waste_manifest_row m = {.site_id = s->id,
                                   .enterprise_id = s->enterprise_id,
                                   .receiver_id = receiver,
                                   .plan_id = plan,
                                   .carrier_name = "湖州危险货物运输有限公司",
                                   .vehicle_no = "浙E·D3127",
                                   .carrier_licence = "浙交运管许可湖字330500001234号"};
    int64_t serial = 0, id = 0;
    char area[16], t_ship[32], t_arrive[32], t_done[32];
    /* the manifest's own times on its day (UTC; 10:00, 15:00 and 17:00 China time) */
    snprintf(t_ship, sizeof t_ship, "%sT02:00:00Z", day);
    snprintf(t_arrive, sizeof t_arrive, "%sT07:00:00Z", day);
    snprintf(t_done, sizeof t_done, "%sT09:00:00Z", day);
    snprintf(area, sizeof area, "m%.4s", s->region);
    int rc = store_waste_serial_next(d->db, area, atoi_year(day), &serial);
    rc = rc ? rc : waste_manifest_number(atoi_year(day), s->region, (unsigned)serial, m.number);
    rc = rc ? rc : store_waste_manifest_insert(d->db, &m, 0, d->now, &id);
    for (size_t i = 0; !rc && i < n; i++) {
        struct waste_batch b;
        char code[16];
        rc = waste_batch_load(d->db, s->id, batches[i], &b, code);
        struct waste_mline l = {batches[i], code, t[i], -1};
        rc = rc ? rc : demo_record(d, WK_STORE_OUT, batches[i], NULL, t[i], day, NULL);
        rc = rc ? rc : store_waste_mline_insert(d->db, id, (int)i + 1, &l);
        struct waste_record_in in = {.kind = WK_OUTSOURCE,
                                     .source_batch = batches[i],
                                     .amount_t = t[i],
                                     .note = m.number,
                                     .manifest_id = id};
        snprintf(in.occurred_at, sizeof in.occurred_at, "%s 10:00:00", day);
        const char *field;
        char err[300];
        int64_t rid;
        rc = rc ? rc
                : waste_record_add(d->db, d->a, s->id, &in, d->now, &rid, &field, err, sizeof err);
        rc = rc || !close ? rc : store_waste_mline_accept(d->db, id, (int)i + 1, t[i]);
    }
    char due[11] = "";
    if (!rc && waste_workdays_after(day, 5, due)) {
        snprintf(due, sizeof due, "%s", day);
    }
    struct waste_manifest_move mv = {
        .state = "arrived", .time_col = "arrived_at", .arrived_on = day, .confirm_due = due};
    rc = rc ? rc
            : store_waste_manifest_move(
                  d->db, id,
                  &(struct waste_manifest_move){.state = "shipped", .time_col = "shipped_at"},
                  t_ship);
    /* leg 1 at the shipping; the manifest still open went by relay (art. 17) at 12:30 */
    char at[20];
    snprintf(at, sizeof at, "%s 10:00:00", day);
    rc = rc ? rc : store_waste_leg_first(d->db, id, at, 0, t_ship);
    if (!rc && !close) {
        snprintf(at, sizeof at, "%s 12:30:00", day);
        struct waste_leg relay = {.carrier_name = "浙北危险废物物流有限公司",
                                  .vehicle_no = "浙E·F0962",
                                  .carrier_licence = "浙交运管许可湖字330500002718号",
                                  .handover_place = "湖州南太湖危险废物中转站",
                                  .handed_over_at = at};
        int64_t leg;
        rc = store_waste_leg_add(d->db, id, &relay, 0, t_ship, &leg);
    }
    rc = rc ? rc : store_waste_manifest_move(d->db, id, &mv, t_arrive);
    if (!rc && close) {
        struct waste_manifest_move acc = {.state = "accepted",
                                          .time_col = "confirmed_at",
                                          .decision = "accepted",
                                          .method = "R9 废油再提炼"};
        struct waste_manifest_move cl = {.state = "closed",
                                         .time_col = "closed_at",
                                         .disposal_result = "已全部再生利用 / fully re-refined"};
        rc = store_waste_manifest_move(d->db, id, &acc, t_done);
        rc = rc ? rc : store_waste_manifest_move(d->db, id, &cl, t_done);
    }
    return rc;
}

static void month_day(int y, int m, int back, char out[11])
{
    unsigned k = (unsigned)(y * 12 + (m - 1) - back);
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%04u-%02u-05", k / 12 % 10000, k % 12 + 1);
    memcpy(out, tmp, 11);
}

static int demo(struct db *db, const char *today, struct buf *summary)
{
    int64_t firms[3];
    size_t nf = 0;
    int rc = store_waste_demo_firms(db, firms, 3, &nf);
    if (rc || nf < 2) {
        return rc;
    }
    char now[32];
    time_iso(wall_ms() / 1000, now);
    struct arena a;
    arena_init(&a, 1 << 16);
    struct waste_site_row gen = {.enterprise_id = firms[0], .declared_t = 40, .capacity_t = 30},
                          rec = {.enterprise_id = firms[1],
                                 .licensed = true,
                                 .own_facility = true,
                                 .capacity_t = 500};
    snprintf(gen.name, sizeof gen.name, "危险废物贮存库（一厂区）");
    snprintf(rec.name, sizeof rec.name, "危险废物利用处置中心");
    int64_t gid = 0, rid = 0;
    rc = store_waste_site_insert(db, &gen, "厂区东北角 1 号库", now, &gid);
    rc = rc ? rc : store_waste_site_insert(db, &rec, "园区循环经济产业园", now, &rid);
    rc = rc ? rc : store_waste_site_get(db, gid, &gen);
    struct demo d = {db, &a, gid, now};
    int y = atoi_year(today), m = (today[5] - '0') * 10 + (today[6] - '0');
    char oil[3][48];
    double oil_t[3];
    size_t n_oil = 0;
    int64_t plan = 0;
    for (int back = 17; !rc && back >= 0; back--) {
        char day[11];
        month_day(y, m, back, day);
        if (strcmp(day, today) > 0) {
            continue;
        }
        if (back == 11 || (back < 11 && !plan && atoi_year(day) == y)) {
            /* this year's plan, from last year's ledger, filed by 31 March */
            struct waste_plan_row *rows;
            size_t n;
            rc = waste_year_rows(db, &a, gid, y - 1, &rows, &n);
            json_t *p = rc ? NULL
                           : waste_plan_tables(WC_SIMPLIFIED, gen.name, gen.enterprise_name, 40, y,
                                               rows, n);
            char *tj = p ? json_dumps(json_object_get(p, "tables"), JSON_COMPACT) : NULL;
            char due[11], filing[32];
            snprintf(due, sizeof due, "%04d-03-31", y);
            snprintf(filing, sizeof filing, "HWGL%04d%.4s%05d", y, gen.region, 1);
            int64_t serial;
            rc = rc ? rc : store_waste_serial_next(db, "plan3305", y, &serial);
            rc = rc ? rc : store_waste_plan_put(db, gid, y, "simplified", tj, due, now, &plan);
            rc = rc ? rc : store_waste_plan_file(db, plan, filing, false, now);
            free(tj);
            json_decref(p);
        }
        double t = 1.2 + (double)((back * 37) % 9) / 10;
        rc = rc ? rc : demo_record(&d, WK_GENERATE, NULL, "900-249-08", t, day, oil[n_oil]);
        rc = rc ? rc : demo_record(&d, WK_STORE_IN, oil[n_oil], NULL, t, day, NULL);
        oil_t[n_oil++] = t;
        char pkg[48];
        double pt = 0.25 + (double)(back % 4) / 20;
        rc = rc ? rc : demo_record(&d, WK_GENERATE, NULL, "900-041-49", pt, day, pkg);
        rc = rc ? rc : demo_record(&d, WK_STORE_IN, pkg, NULL, pt, day, NULL);
        if (!rc && n_oil == 3) {
            char ship[11];
            month_day(y, m, back, ship);
            ship[8] = '2', ship[9] = '0';
            if (strcmp(ship, today) > 0) {
                snprintf(ship, sizeof ship, "%s", day);
            }
            rc = demo_manifest(&d, &gen, firms[1], oil, oil_t, 3, ship,
                               atoi_year(ship) == y ? plan : 0, back > 1);
            n_oil = 0;
        }
    }
    struct tally tl = {0, 0};
    rc = rc ? rc : waste_site_warnings(db, gid, today, now, &tl);
    arena_free(&a);
    if (!rc) {
        buf_printf(summary, ", 2 hazardous-waste sites (%d warnings)", tl.open);
    }
    return rc;
}

static int cmd_waste(const struct cli *c)
{
    return waste_cmd_sim(c);
}

static const char *const waste_opts[] = {"target", "token",  "events", "connections",
                                         "code",   "prefix", NULL};

static const struct module_command commands[] = {
    {"waste", cmd_waste, "Hazardous waste tools: simulate an intelligent warehouse's smart scale",
     "envgov waste sim --token TOKEN [--target [HOST:]PORT] [--events N] [--connections N]\n"
     "                 [--code WASTE_CODE (900-041-49)] [--prefix EVENT_ID_PREFIX (random)]\n"
     "  posts pairs of device events (a weighing, kind generate, then its store_in) with the\n"
     "  device token of POST /api/v1/waste/sites/{id}/devices; prints events/s and ack latency",
     waste_opts},
};

static const struct setting_def settings[] = {
    {"waste_warnings_schedule", "", false,
     "schedule of the job waste.warnings (default \"daily 02:10\"; \"every N\", \"daily HH:MM\" or "
     "\"monthly D HH:MM\", China time)"},
};

static const char *const seeded[] = {"waste_codes", NULL};

const struct module waste_module = {
    .name = "waste",
    .routes = waste_routes,
    .settings = settings,
    .n_settings = ARRAY_LEN(settings),
    .commands = commands,
    .n_commands = ARRAY_LEN(commands),
    .seed = seed,
    .seeded_tables = seeded,
    .jobs = waste_jobs,
    .n_jobs = 1,
    .todo_sources = waste_todo_sources,
    .n_todo_sources = 1,
    .audit_kinds = waste_audit_kinds,
    .demo = demo,
};
