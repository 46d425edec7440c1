/*
** Adding one ledger record: the batch number (assigned from the site's daily serial of the kind
** when none is given), the link back to the producing batch, the code table's check of a new
** batch's waste code and the batch arithmetic of ledger.c; shared by people's records, devices'
** events and the 委外 records of a shipped manifest. Also the small helpers the module's files
** share (times, the rule set, working days).
*/
#include <stdio.h>
#include <string.h>

#include "calendar/calendar.h"
#include "core/err.h"
#include "core/util.h"
#include "platform/app.h"
#include "rules/rules.h"
#include "store/q_waste.h"
#include "waste/internal.h"

static bool batch_chars_ok(const char *s)
{
    if (!*s) {
        return false;
    }
    for (; *s; s++) {
        char c = *s;
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              c == '-' || c == '_')) {
            return false;
        }
    }
    return true;
}

static int refuse(const char **field, const char *f, char *err, size_t cap, const char *msg, int rc)
{
    *field = f;
    snprintf(err, cap, "%s", msg);
    return rc;
}

int waste_record_add(struct db *db, struct arena *a, int64_t site, struct waste_record_in *in,
                     const char *now, int64_t *id, const char **field, char *err, size_t cap)
{
    (void)a;
    if (in->batch_no && !batch_chars_ok(in->batch_no)) {
        return refuse(field, "batch_no", err, cap,
                      "批次号只能含字母、数字、- 和 _ / batch_no takes letters, digits, - and _",
                      ERR_INPUT);
    }
    char code[16] = "";
    struct waste_batch b;
    /* One writer per site at a time (decision 138): the row of this upsert is held until commit,
       so two transactions cannot both take the last tonnes of a batch on PostgreSQL's read
       committed (SQLite has one writer anyway). */
    char lock[32];
    int64_t ignored = 0;
    snprintf(lock, sizeof lock, "lock%lld", (long long)site);
    int rc = store_waste_serial_next(db, lock, 0, &ignored);
    if (rc) {
        return rc;
    }
    if (in->kind == WK_GENERATE) {
        if (!in->waste_code || !*in->waste_code) {
            return refuse(field, "waste_code", err, cap, "请填写废物代码 / waste_code is required",
                          ERR_INPUT);
        }
        rc = store_waste_code_get(db, WASTE_EDITION, in->waste_code, NULL);
        if (rc == ERR_NOTFOUND) {
            return refuse(field, "waste_code", err, cap,
                          "不是《国家危险废物名录》（2021 年版）的代码 / not a code of the 2021 "
                          "edition of the national list",
                          ERR_INPUT);
        }
        if (in->source_batch && *in->source_batch && in->batch_no &&
            strcmp(in->source_batch, in->batch_no)) {
            return refuse(field, "source_batch", err, cap,
                          "产生记录的产生批次即其批次号 / a generate record is its own producing "
                          "batch",
                          ERR_INPUT);
        }
        memset(&b, 0, sizeof b);
        str_copy(code, sizeof code, in->waste_code);
    } else {
        if (!in->source_batch || !*in->source_batch) {
            return refuse(field, "source_batch", err, cap,
                          "请填写产生批次号 / source_batch (the producing batch) is required",
                          ERR_INPUT);
        }
        rc = waste_batch_load(db, site, in->source_batch, &b, code);
        if (!rc && !*code) {
            return refuse(field, "source_batch", err, cap,
                          "本场所没有该产生批次 / the site has no such producing batch",
                          ERR_NOTFOUND);
        }
        if (!rc && in->waste_code && *in->waste_code && strcmp(in->waste_code, code)) {
            return refuse(field, "waste_code", err, cap,
                          "废物代码与产生批次不符 / waste_code differs from the producing batch's",
                          ERR_INPUT);
        }
    }
    if (!rc && (rc = waste_batch_apply(&b, in->kind, in->amount_t, err, cap)) != 0) {
        *field = "amount_t";
        return rc;
    }
    if (rc) {
        return rc;
    }
    if (in->batch_no) {
        str_copy(in->batch_out, sizeof in->batch_out, in->batch_no);
    } else {
        char area[32], day[11];
        int64_t serial = 0, key = 0;
        snprintf(area, sizeof area, "b%lld:%s", (long long)site, waste_kind_code[in->kind]);
        snprintf(day, sizeof day, "%.10s", in->occurred_at);
        char ymd[9];
        snprintf(ymd, sizeof ymd, "%.4s%.2s%.2s", day, day + 5, day + 8);
        parse_i64(ymd, 8, &key);
        rc = store_waste_serial_next(db, area, key, &serial);
        rc = rc ? rc
                : waste_batch_no(in->kind, day, (unsigned)serial, in->batch_out,
                                 sizeof in->batch_out);
        if (rc) {
            return rc;
        }
    }
    str_copy(in->source_out, sizeof in->source_out,
             in->kind == WK_GENERATE ? in->batch_out : in->source_batch);
    struct waste_record_row row = {.site_id = site,
                                   .manifest_id = in->manifest_id,
                                   .device_id = in->device_id,
                                   .created_by = in->created_by,
                                   .kind = waste_kind_code[in->kind],
                                   .batch_no = in->batch_out,
                                   .source_batch = in->source_out,
                                   .waste_code = code,
                                   .occurred_at = in->occurred_at,
                                   .container = in->container,
                                   .note = in->note,
                                   .amount_t = in->amount_t};
    rc = store_waste_record_insert(db, &row, now, id);
    if (rc == ERR_CONFLICT) {
        return refuse(field, "batch_no", err, cap,
                      "本场所已有该批次号 / the site has that batch number already", rc);
    }
    in->in_store_t = waste_batch_in_store(&b);
    return rc;
}

void waste_refusal(struct req *r, int rc, const char *field, const char *err)
{
    int status = rc == ERR_CONFLICT ? 409 : rc == ERR_NOTFOUND ? 422 : 422;
    const char *code = rc == ERR_CONFLICT
                           ? (field && !strcmp(field, "batch_no") ? "duplicate" : "over_balance")
                       : rc == ERR_NOTFOUND ? "not_found"
                                            : "invalid";
    if (rc == ERR_INPUT || rc == ERR_CONFLICT || rc == ERR_NOTFOUND) {
        resp_error(r, status, code, arena_strdup(r->a, err), field);
    }
}

int waste_china_time(const char *s, char out[20])
{
    size_t n = s ? strlen(s) : 0;
    if (n != 10 && n != 16 && n != 19) {
        return ERR_INPUT;
    }
    int32_t d;
    if (calendar_date_parse(s, 10, &d)) {
        return ERR_INPUT;
    }
    if (n == 10) {
        snprintf(out, 20, "%.10s 00:00:00", s);
        return 0;
    }
    int64_t h, m, sec = 0;
    if ((s[10] != ' ' && s[10] != 'T') || s[13] != ':' || parse_i64(s + 11, 2, &h) ||
        parse_i64(s + 14, 2, &m) || (n == 19 && (s[16] != ':' || parse_i64(s + 17, 2, &sec))) ||
        h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59 || s[11] == '-' || s[14] == '-' ||
        (n == 19 && s[17] == '-')) {
        return ERR_INPUT;
    }
    snprintf(out, 20, "%.10s %02d:%02d:%02d", s, (int)h, (int)m, (int)sec);
    return 0;
}

int atoi_year(const char *day)
{
    int64_t y = 0;
    return day && strlen(day) >= 4 && !parse_i64(day, 4, &y) ? (int)y : 0;
}

int waste_rules_load(struct db *db, const char *region, struct waste_rules *wr,
                     struct rule_ref *ref)
{
    *wr = (struct waste_rules){365, 365, 30, 5, 3, 31, 2, 10, 20};
    char today[11], err[200];
    date_cn(wall_ms() / 1000, today);
    json_t *body = NULL;
    struct rule_ref tmp;
    int rc = rules_resolve(db, "waste.rules", region ? region : "", today, &body, ref ? ref : &tmp);
    if (rc == ERR_NOTFOUND) {
        return 0;
    }
    rc = rc ? rc : waste_rules_parse(body, wr, err, sizeof err);
    json_decref(body);
    return rc;
}

int waste_workdays_after(const char *day, int n, char out[11])
{
    int32_t d, o;
    int missing = 0;
    if (calendar_date_parse(day, strlen(day), &d)) {
        return ERR_INPUT;
    }
    pthread_rwlock_rdlock(&app.cal_lock);
    int rc = app.cal ? calendar_add_workdays(app.cal, d, n, &o, &missing) : ERR_NOTFOUND;
    pthread_rwlock_unlock(&app.cal_lock);
    if (!rc) {
        calendar_date_format(o, out);
    }
    return rc;
}

int waste_year_rows(struct db *db, struct arena *a, int64_t site, int year,
                    struct waste_plan_row **rows, size_t *n)
{
    char from[16], to[16];
    snprintf(from, sizeof from, "%04d-01-01", year % 10000);
    snprintf(to, sizeof to, "%04d-01-01", (year + 1) % 10000);
    return waste_period_rows(db, a, site, from, to, rows, n);
}

int waste_period_rows(struct db *db, struct arena *a, int64_t site, const char *from,
                      const char *to, struct waste_plan_row **rows, size_t *n)
{
    struct store_waste_year_row *y = NULL;
    int rc = store_waste_period_rows(db, a, site, from, to, &y, n);
    *rows = arena_zalloc(a, (*n + 1) * sizeof **rows);
    for (size_t i = 0; !rc && i < *n; i++) {
        (*rows)[i] = (struct waste_plan_row){
            y[i].code,      y[i].category, y[i].description, y[i].traits,     y[i].generated,
            y[i].stored_in, y[i].used,     y[i].disposed,    y[i].outsourced, y[i].year_end_store};
    }
    return rc;
}
