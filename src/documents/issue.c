/*
** Issuing documents: number (per org unit, year and series, inside the caller's transaction),
** render, store the PDF content-addressed as an attachment, record the document and its audit
** row. Everything that can refuse an issue is checked before the number is drawn, so a refused
** issue never touches the sequence; a failure after it makes the caller roll back, which gives
** the number back. Also the permit-expiry reminder letter and its nightly run.
*/
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "accounts/accounts.h"
#include "core/err.h"
#include "core/log.h"
#include "core/settings.h"
#include "core/util.h"
#include "documents/documents.h"
#include "platform/app.h"
#include "platform/platform.h"
#include "rules/rules.h"
#include "store/q_documents.h"

#define PDF_MAX (16u << 20)

const char *documents_public_url(void)
{
    static __thread char url[512];
    const char *s = settings_get("public_url");
    snprintf(url, sizeof url, "%s", s && *s ? s : "http://127.0.0.1:8080");
    size_t n = strlen(url);
    while (n > 0 && url[n - 1] == '/') {
        url[--n] = 0;
    }
    return url;
}

/* Everything a document needs that can be missing, looked up before a number is drawn. */
struct issue_ctx {
    const struct doc_kind *kind;
    struct doc_org org;
    struct doc_enterprise ent;
    int year;
};

static int issue_check(struct db *db, const struct doc_issue *in, struct issue_ctx *x, char *err,
                       size_t errcap)
{
    int64_t year;
    x->kind = documents_kind(in->kind);
    if (!x->kind) {
        snprintf(err, errcap, "未知的文书类型 %s / unknown document kind", in->kind);
        return ERR_INPUT;
    }
    if (!in->today || strlen(in->today) != 10 || parse_i64(in->today, 4, &year)) {
        snprintf(err, errcap, "成文日期无效 / bad issue date");
        return ERR_INPUT;
    }
    x->year = (int)year;
    int rc = store_doc_org_unit(db, in->org_unit_id, &x->org);
    if (rc) {
        snprintf(err, errcap, "签发机构不存在 / the issuing org unit does not exist");
        return rc;
    }
    if (!x->org.prefix[0]) {
        snprintf(err, errcap,
                 "%s 未设置文书编号前缀（doc_prefix），请管理员在机构设置中填写 / the org unit "
                 "has no document-number prefix (doc_prefix); an admin must set it",
                 x->org.name);
        return ERR_INPUT;
    }
    rc = store_doc_enterprise(db, in->enterprise_id, &x->ent);
    if (rc) {
        snprintf(err, errcap, "企业不存在 / the enterprise does not exist");
        return rc;
    }
    char number[96];
    if (in->dedup_key && !store_doc_find(db, in->kind, in->dedup_key, number)) {
        snprintf(err, errcap, "已发出 %s / already issued as %s", number, number);
        return ERR_CONFLICT;
    }
    return 0;
}

/* Fill the kind's paragraphs and render the PDF into pdf. */
static int issue_render(const struct doc_issue *in, const struct issue_ctx *x, const char *number,
                        const char *url, struct buf *pdf, char *err, size_t errcap)
{
    struct buf text[8];
    const char *paras[8];
    size_t n = x->kind->n_paragraphs < 8 ? x->kind->n_paragraphs : 8;
    for (size_t i = 0; i < n; i++) {
        buf_init(&text[i], 1 << 16);
        documents_fill(x->kind->paragraphs[i], in->fields, in->n_fields, &text[i]);
        paras[i] = text[i].p;
    }
    char date[64];
    documents_date_cn(in->today, date, sizeof date);
    struct doc_content c = {x->org.name, number,      x->kind->title, x->ent.name, paras,
                            n,           x->org.name, date,           url,         NULL};
    int rc = documents_render(&c, pdf, err, errcap);
    for (size_t i = 0; i < n; i++) {
        buf_release(&text[i]);
    }
    return rc;
}

static int issue_audit(struct db *db, const struct doc_issue *in, const struct doc_issued *out,
                       const struct issue_ctx *x)
{
    struct buf after;
    buf_init(&after, 4096);
    buf_printf(&after, "{\"kind\":\"%s\",\"number\":", in->kind);
    buf_json_str(&after, out->number, strlen(out->number));
    buf_printf(&after,
               ",\"sha256\":\"%s\",\"attachment_id\":%lld,\"enterprise_id\":%lld,"
               "\"org_unit_id\":%lld,\"subject_kind\":\"%s\",\"subject_id\":%lld}",
               out->sha256, (long long)out->attachment_id, (long long)x->ent.id,
               (long long)x->org.id, in->subject_kind ? in->subject_kind : "",
               (long long)in->subject_id);
    struct audit_entry a = {in->issued_by, in->actor, "document",     out->id, "issue",
                            NULL,          after.p,   in->request_id, in->ip};
    int rc = store_audit_add(db, &a);
    buf_release(&after);
    return rc;
}

/* Store the PDF as an attachment (of the case when there is one, else of the enterprise). */
static int issue_store(struct db *db, const struct doc_issue *in, const struct issue_ctx *x,
                       const struct buf *pdf, struct doc_issued *out)
{
    struct attachment_row a = {0};
    sha256_hex(pdf->p, pdf->len, out->sha256);
    snprintf(a.sha256, sizeof a.sha256, "%s", out->sha256);
    snprintf(a.name, sizeof a.name, "%s-%s.pdf", x->kind->name, out->number);
    snprintf(a.content_type, sizeof a.content_type, "application/pdf");
    snprintf(a.entity, sizeof a.entity, "%s", in->case_id ? "case" : "enterprise");
    a.entity_id = in->case_id ? in->case_id : x->ent.id;
    a.enterprise_id = x->ent.id;
    a.size = (int64_t)pdf->len;
    int rc = attach_blob_store(out->sha256, pdf);
    return rc ? rc : store_attachment_insert(db, &a, in->issued_by, &out->attachment_id);
}

int documents_issue(struct db *db, const struct doc_issue *in, struct doc_issued *out, char *err,
                    size_t errcap)
{
    struct issue_ctx x;
    char cache[1024];
    snprintf(cache, sizeof cache, "%s/cache/fonts", app.data_dir);
    documents_font_cache(cache);
    memset(out, 0, sizeof *out);
    err[0] = 0;
    int rc = issue_check(db, in, &x, err, errcap);
    if (rc) {
        return rc;
    }
    /* From here on a failure must roll the transaction back (the number is drawn). */
    rc = store_doc_seq_next(db, x.org.id, x.year, x.kind->series, &out->seq);
    documents_number(x.org.prefix, x.kind->series, x.year, out->seq, out->number,
                     sizeof out->number);
    random_token(16, out->verify_token, sizeof out->verify_token);
    char url[700];
    snprintf(url, sizeof url, "%s/verify/%s", documents_public_url(), out->verify_token);
    struct buf pdf;
    buf_init(&pdf, PDF_MAX);
    if (!rc) {
        rc = issue_render(in, &x, out->number, url, &pdf, err, errcap);
    }
    if (!rc) {
        rc = issue_store(db, in, &x, &pdf, out);
    }
    struct doc_row d = {in->kind,          out->number,   x.kind->series,     x.kind->title,
                        in->subject_kind,  in->dedup_key, out->sha256,        in->today,
                        out->verify_token, x.org.id,      out->seq,           x.ent.id,
                        in->subject_id,    in->case_id,   out->attachment_id, (int64_t)pdf.len,
                        in->issued_by,     x.year,        in->rule_set_id,    in->rule_version};
    if (!rc) {
        rc = store_doc_insert(db, &d, &out->id);
        out->rule_set_id = in->rule_set_id;
        out->rule_version = in->rule_version;
    }
    if (!rc) {
        rc = issue_audit(db, in, out, &x);
    }
    buf_release(&pdf);
    if (rc && !*err) {
        snprintf(err, errcap, "文书签发失败 / the document could not be issued: %s", db_errmsg(db));
    }
    /* Past the checks nothing is the caller's input: say so, so callers roll back. */
    return rc == ERR_INPUT || rc == ERR_NOTFOUND || rc == ERR_CONFLICT ? ERR_DB : rc;
}

/* ---- the permit-expiry reminder letter ---- */

static int64_t day_of(const char *ymd)
{
    struct tm tm = {0};
    int64_t y, m, d;
    if (strlen(ymd) < 10 || parse_i64(ymd, 4, &y) || parse_i64(ymd + 5, 2, &m) ||
        parse_i64(ymd + 8, 2, &d)) {
        return -1;
    }
    tm.tm_year = (int)y - 1900;
    tm.tm_mon = (int)m - 1;
    tm.tm_mday = (int)d;
    return (int64_t)timegm(&tm) / 86400;
}

struct best_unit {
    const char *region;
    int64_t id;
    size_t len;
};

static void best_unit_row(struct db_stmt *st, void *arg)
{
    struct best_unit *b = arg;
    char pre[7];
    accounts_region_prefix(db_column_text(st, 1, NULL), pre);
    size_t n = strlen(pre);
    if (n > b->len && !strncmp(b->region, pre, n)) {
        b->len = n;
        b->id = db_column_int(st, 0);
    }
}

/* The org unit whose regions cover region most narrowly (属地), else the root unit. */
static int responsible_unit(struct db *db, const char *region, int64_t *id)
{
    struct best_unit b = {region, 0, 0};
    int rc = store_doc_org_regions(db, best_unit_row, &b);
    if (!rc && !b.id) {
        rc = store_doc_org_root(db, &b.id);
    }
    *id = b.id;
    return rc;
}

static int permit_due(const struct doc_permit *p, const char *today, int64_t window_days,
                      int64_t *days_left, char *err, size_t errcap)
{
    int64_t t = day_of(today), v = day_of(p->valid_to);
    *days_left = v - t;
    if (strcmp(p->status, "active")) {
        snprintf(err, errcap, "该许可证已注销 / the permit is not active");
        return ERR_INPUT;
    }
    if (t < 0 || v < 0 || *days_left < 0) {
        snprintf(err, errcap, "该许可证已过期，不能发到期提醒 / the permit has expired");
        return ERR_INPUT;
    }
    if (*days_left > window_days) {
        snprintf(
            err, errcap,
            "该许可证 %lld 日后到期，尚未进入 %lld 日提醒期（规则集 permit.expiry）/ the permit "
            "expires in %lld days, outside the %lld-day reminder window (rule set "
            "permit.expiry)",
            (long long)*days_left, (long long)window_days, (long long)*days_left,
            (long long)window_days);
        return ERR_AGAIN;
    }
    return 0;
}

/* The reminder window of region on today: warn_days of the permit.expiry version in force
   there (decision 63: the setting permit_reminder_days is gone, and no version in force is an
   error to fix in the rule sets, not a silent default). */
static int reminder_window(struct db *db, const char *region, const char *today, int64_t *days,
                           struct rule_ref *ref, char *err, size_t errcap)
{
    json_t *body = NULL;
    int rc = rules_resolve(db, "permit.expiry", region, today, &body, ref);
    *days = rc ? 0 : rules_int(body, "warn_days", 0);
    json_decref(body);
    if (rc == ERR_NOTFOUND || (!rc && *days < 1)) {
        snprintf(err, errcap,
                 "区域 %s 于 %s 没有生效的到期提醒规则集（permit.expiry）/ no permit.expiry rule "
                 "set is in force for region %s on %s",
                 region, today, region, today);
        return ERR_INPUT;
    }
    return rc;
}

int documents_permit_reminder(struct db *db, int64_t permit_id, int64_t org_unit_id,
                              const char *today, int64_t issued_by, const char *actor,
                              struct doc_issued *out, char *err, size_t errcap)
{
    struct doc_permit p;
    struct doc_enterprise e;
    struct rule_ref ref;
    int64_t days_left, window;
    err[0] = 0;
    int rc = store_doc_permit(db, permit_id, &p);
    rc = rc ? rc : store_doc_enterprise(db, p.enterprise_id, &e);
    if (rc) {
        snprintf(err, errcap, "许可证不存在 / no such permit");
        return rc;
    }
    if ((rc = reminder_window(db, e.region_code, today, &window, &ref, err, errcap)) ||
        (rc = permit_due(&p, today, window, &days_left, err, errcap))) {
        return rc;
    }
    if (!org_unit_id && (rc = responsible_unit(db, e.region_code, &org_unit_id))) {
        snprintf(err, errcap, "找不到签发机构 / no org unit can issue this letter");
        return rc;
    }
    struct doc_org org;
    if (store_doc_org_unit(db, org_unit_id, &org)) {
        snprintf(org.name, sizeof org.name, "生态环境主管部门");
    }
    char key[160], valid_to[64], left[24];
    snprintf(key, sizeof key, "permit:%lld:%s", (long long)p.id, p.valid_to);
    documents_date_cn(p.valid_to, valid_to, sizeof valid_to);
    snprintf(left, sizeof left, "%lld", (long long)days_left);
    struct doc_field f[] = {{"permit_number", p.number},
                            {"valid_to", valid_to},
                            {"days_left", left},
                            {"org_unit", org.name}};
    struct doc_issue in = {.kind = "permit_reminder",
                           .org_unit_id = org_unit_id,
                           .enterprise_id = e.id,
                           .subject_kind = "permit",
                           .subject_id = p.id,
                           .dedup_key = key,
                           .fields = f,
                           .n_fields = ARRAY_LEN(f),
                           .today = today,
                           .issued_by = issued_by,
                           .actor = actor,
                           .rule_set_id = ref.id,
                           .rule_version = ref.version};
    rc = documents_issue(db, &in, out, err, errcap);
    if (!rc && (rc = rules_mark_used(db, &ref))) {
        snprintf(err, errcap,
                 "规则集 permit.expiry 刚被修改，请重试 / the permit.expiry rule set changed "
                 "meanwhile; try again");
    }
    return rc;
}

#define RUN_MAX 1000

struct due_ids {
    int64_t ids[RUN_MAX];
    size_t n;
};

static void due_row(struct db_stmt *st, void *arg)
{
    struct due_ids *d = arg;
    if (d->n < RUN_MAX) {
        d->ids[d->n++] = db_column_int(st, 0);
    }
}

/* The candidates reach as far as any window may (the schema's maximum of warn_days); each
   permit is then held to its own region's window. */
#define WINDOW_MAX_DAYS 365

int documents_permit_reminders_run(struct store *s, const char *today, int *issued, int *failed)
{
    static __thread struct due_ids due;
    char until[11];
    int64_t t = day_of(today);
    *issued = *failed = 0;
    if (t < 0) {
        return ERR_INPUT;
    }
    date_cn((t + WINDOW_MAX_DAYS) * 86400 - 8 * 3600, until);
    due.n = 0;
    struct db *rd = store_read(s);
    int rc = store_doc_permits_due(rd, today, until, "permit_reminder", RUN_MAX, due_row, &due);
    store_release(s, rd);
    /* One transaction per letter: rendering takes tens of milliseconds, and the writer lock is
       everyone's (the HJ 212 writer, every API write). One letter that fails rolls back alone. */
    for (size_t i = 0; !rc && i < due.n; i++) {
        struct doc_issued out;
        char err[512] = "";
        struct db *db;
        rc = store_begin(s, &db);
        if (rc) {
            break;
        }
        int one =
            documents_permit_reminder(db, due.ids[i], 0, today, 0, "job", &out, err, sizeof err);
        if (one) {
            store_rollback(s, db);
        } else {
            one = store_commit(s, db);
        }
        if (one == ERR_AGAIN) {
            continue; /* not in its region's window yet */
        }
        if (one == ERR_INPUT || one == ERR_CONFLICT) {
            /* Refused before numbering (no prefix for its unit …): the others still go out. */
            log_warn("documents: permit %lld: no reminder: %s", (long long)due.ids[i], err);
        } else if (one) {
            log_error("documents: permit %lld: %s (%s)", (long long)due.ids[i],
                      err[0] ? err : "not issued", err_name(one));
            (*failed)++;
        } else {
            (*issued)++;
        }
    }
    return rc;
}

/* The prefixes (发文机关代字) of the bureau the demo is modelled on, for its units that have
   none yet; every other unit's prefix is the admin's to set. */
int documents_seed(struct store *s, char *err, size_t errcap)
{
    static const char *const units[][2] = {
        {"湖州市生态环境局", "湖环"},           {"湖州市生态环境局长兴分局", "湖环长"},
        {"湖州市生态环境局安吉分局", "湖环安"}, {"湖州市生态环境局德清分局", "湖环德"},
        {"湖州市生态环境局吴兴分局", "湖环吴"}, {"湖州市生态环境局南浔分局", "湖环浔"},
    };
    struct db *db;
    int rc = store_begin(s, &db);
    if (rc) {
        snprintf(err, errcap, "documents: cannot begin the seed transaction");
        return rc;
    }
    for (size_t i = 0; !rc && i < ARRAY_LEN(units); i++) {
        rc = store_doc_prefix_default(db, units[i][0], units[i][1]);
    }
    if (rc) {
        snprintf(err, errcap, "documents: cannot set the document-number prefixes: %s",
                 db_errmsg(db));
        store_rollback(s, db);
        return rc;
    }
    return store_commit(s, db);
}
