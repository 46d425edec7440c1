/*
** The hazardous-waste module's queries (q_waste.h).
*/
#include "store/q_waste.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/util.h"
#include "http/http.h"
#include "store/scope.h"

const struct audit_kind waste_audit_kinds[] = {
    {"waste_site", "(SELECT name FROM waste_sites WHERE id = ?5)",
     "SELECT id FROM waste_sites WHERE enterprise_id = ?1"},
    {"waste_record", "(SELECT kind || ' ' || batch_no FROM waste_records WHERE id = ?5)",
     "SELECT r.id FROM waste_records r JOIN waste_sites s ON s.id = r.site_id WHERE"
     " s.enterprise_id = ?1"},
    {"waste_device", "(SELECT name FROM waste_devices WHERE id = ?5)", NULL},
    {"waste_plan", "(SELECT CAST(year AS TEXT) || ' ' || class FROM waste_plans WHERE id = ?5)",
     "SELECT p.id FROM waste_plans p JOIN waste_sites s ON s.id = p.site_id WHERE"
     " s.enterprise_id = ?1"},
    {"waste_manifest", "(SELECT number FROM waste_manifests WHERE id = ?5)",
     "SELECT id FROM waste_manifests WHERE enterprise_id = ?1"},
    {"waste_paper", "(SELECT paper_no FROM waste_paper_manifests WHERE id = ?5)",
     "SELECT id FROM waste_paper_manifests WHERE enterprise_id = ?1"},
    {0},
};

static int one_row(int rc)
{
    return rc == DB_ROW ? 0 : rc == DB_DONE ? ERR_NOTFOUND : rc < 0 ? rc : ERR_DB;
}

/* ---------------- codes ---------------- */

int store_waste_codes_count(struct db *db, const char *edition, int64_t *n)
{
    struct db_stmt *st;
    int rc =
        db_queryf(db, &st, "SELECT COUNT(*) FROM waste_codes WHERE edition = ?1", "t", edition);
    return rc ? rc : db_step_id(st, n);
}

int store_waste_code_insert(struct db *db, const char *const *c)
{
    return db_runf(db,
                   "INSERT INTO waste_codes (edition, code, category, category_name, industry,"
                   " description, traits) VALUES (?1,?2,?3,?4,?5,?6,?7) ON CONFLICT (edition, code)"
                   " DO NOTHING",
                   "ttttttt", c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
}

int store_waste_code_get(struct db *db, const char *edition, const char *code, char cat[8])
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT category FROM waste_codes WHERE edition = ?1 AND code = ?2",
                       "tt", edition, code);
    if (rc) {
        return rc;
    }
    rc = one_row(db_step(st));
    if (!rc && cat) {
        db_column_copy(st, 0, cat, 8);
    }
    db_done(st);
    return rc;
}

int store_waste_codes_json(struct db *db, const char *edition, const char *q, const char *category,
                           struct buf *out)
{
    struct db_stmt *st;
    char pat[120];
    snprintf(pat, sizeof pat, "%%%s%%", q ? q : "");
    int rc = db_queryf(db, &st,
                       "SELECT edition, code, category, category_name, industry, description,"
                       " traits FROM waste_codes WHERE edition = ?1 AND (code LIKE ?2 OR"
                       " description LIKE ?2) AND (?3 = '' OR category = ?3) ORDER BY category,"
                       " code",
                       "ttt", edition, pat, category ? category : "");
    if (rc) {
        return rc;
    }
    size_t n;
    buf_puts(out, "{\"items\":");
    rc = db_rows_json(st, 1, 1000, out, &n);
    db_done(st);
    buf_putc(out, '}');
    return rc;
}

/* ---------------- sites ---------------- */

int store_waste_site_insert(struct db *db, const struct waste_site_row *s, const char *address,
                            const char *now, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO waste_sites (enterprise_id, name, address, declared_t,"
                       " own_facility, licensed, capacity_t, created_at, updated_at) VALUES"
                       " (?1,?2,?3,?4,?5,?6,?7,?8,?8) RETURNING id",
                       "ittriirt", s->enterprise_id, s->name, address, s->declared_t,
                       (int64_t)s->own_facility, (int64_t)s->licensed, s->capacity_t, now);
    return rc ? rc : db_step_id(st, id);
}

#define SITE_COLS                                                                                  \
    "w.id, w.enterprise_id, w.name, e.name, e.region_code, w.declared_t, w.capacity_t,"            \
    " w.own_facility, w.licensed"

static void site_read(struct db_stmt *st, struct waste_site_row *s)
{
    s->id = db_column_int(st, 0);
    s->enterprise_id = db_column_int(st, 1);
    db_column_copy(st, 2, s->name, sizeof s->name);
    db_column_copy(st, 3, s->enterprise_name, sizeof s->enterprise_name);
    db_column_copy(st, 4, s->region, sizeof s->region);
    s->declared_t = db_column_real(st, 5);
    s->capacity_t = db_column_real(st, 6);
    s->own_facility = db_column_int(st, 7) != 0;
    s->licensed = db_column_int(st, 8) != 0;
}

int store_waste_site_get(struct db *db, int64_t id, struct waste_site_row *s)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT " SITE_COLS " FROM waste_sites w JOIN enterprises e ON e.id ="
                       " w.enterprise_id WHERE w.id = ?1",
                       "i", id);
    if (rc) {
        return rc;
    }
    rc = one_row(db_step(st));
    if (!rc) {
        site_read(st, s);
    }
    db_done(st);
    return rc;
}

#define ANNUAL_SQL                                                                                 \
    "(SELECT COALESCE(MAX(y.s), 0) FROM (SELECT SUM(r.amount_t) AS s FROM waste_records r WHERE"   \
    " r.site_id = w.id AND r.kind = 'generate' AND r.occurred_at >= ?1 GROUP BY"                   \
    " substr(r.occurred_at, 1, 4)) y)"
#define STOCK_SQL                                                                                  \
    "(SELECT COALESCE(SUM(CASE r.kind WHEN 'store_in' THEN r.amount_t WHEN 'store_out' THEN"       \
    " -r.amount_t WHEN 'returned' THEN r.amount_t ELSE 0 END), 0) FROM waste_records r WHERE"      \
    " r.site_id = w.id)"

int store_waste_annual_max(struct db *db, int64_t site, int first_year, double *out)
{
    struct db_stmt *st;
    char from[8];
    snprintf(from, sizeof from, "%04d", first_year);
    int rc = db_queryf(db, &st, "SELECT " ANNUAL_SQL " FROM waste_sites w WHERE w.id = ?2", "ti",
                       from, site);
    if (rc) {
        return rc;
    }
    rc = one_row(db_step(st));
    *out = rc ? 0 : db_column_real(st, 0);
    db_done(st);
    return rc;
}

int store_waste_in_store(struct db *db, int64_t site, double *out)
{
    struct db_stmt *st;
    int rc =
        db_queryf(db, &st, "SELECT " STOCK_SQL " FROM waste_sites w WHERE w.id = ?1", "i", site);
    if (rc) {
        return rc;
    }
    rc = one_row(db_step(st));
    *out = rc ? 0 : db_column_real(st, 0);
    db_done(st);
    return rc;
}

int store_waste_sites_each(struct db *db, const struct scope *sc, int first_year, waste_site_fn fn,
                           void *ctx)
{
    struct buf sql;
    buf_init(&sql, 4096);
    buf_puts(&sql, "SELECT " SITE_COLS ", " ANNUAL_SQL ", " STOCK_SQL
                   ", (SELECT COUNT(*) FROM waste_warnings k WHERE k.site_id = w.id AND"
                   " k.resolved_at IS NULL) FROM waste_sites w JOIN enterprises e ON e.id ="
                   " w.enterprise_id WHERE ");
    store_scope_sql(&sql, sc, "e.id", "e.region_code", 10);
    buf_puts(&sql, " ORDER BY e.region_code, w.id");
    struct db_stmt *st;
    int rc = db_prepare(db, sql.p, &st);
    char from[8];
    snprintf(from, sizeof from, "%04d", first_year);
    rc = rc ? rc : db_bind_text(st, 1, from, (size_t)-1);
    rc = rc ? rc : store_scope_bind(st, sc, 10);
    buf_release(&sql);
    if (rc) {
        return rc;
    }
    while ((rc = db_step(st)) == DB_ROW) {
        struct waste_site_row s;
        site_read(st, &s);
        struct waste_site_list_row r = {&s, db_column_real(st, 9), db_column_real(st, 10),
                                        db_column_int(st, 11)};
        fn(&r, ctx);
    }
    db_done(st);
    return rc == DB_DONE ? 0 : rc < 0 ? rc : ERR_DB;
}

/* ---------------- ledger ---------------- */

/* The index of s in names[0..n), or -1. */
static int name_index(const char *const *names, int n, const char *s)
{
    for (int i = 0; s && i < n; i++) {
        if (!strcmp(names[i], s)) {
            return i;
        }
    }
    return -1;
}

int store_waste_batch(struct db *db, int64_t site, const char *source_batch,
                      struct store_waste_sums *b, char code[16])
{
    struct db_stmt *st;
    memset(b, 0, sizeof *b);
    code[0] = 0;
    int rc = db_queryf(db, &st,
                       "SELECT kind, SUM(amount_t), MIN(waste_code) FROM waste_records WHERE"
                       " site_id = ?1 AND source_batch = ?2 GROUP BY kind",
                       "it", site, source_batch);
    if (rc) {
        return rc;
    }
    while ((rc = db_step(st)) == DB_ROW) {
        const char *k = db_column_text(st, 0, NULL);
        double v = db_column_real(st, 1);
        static const char *const kinds[] = {"generate",     "store_in",  "store_out", "self_use",
                                            "self_dispose", "outsource", "returned"};
        int kind = name_index(kinds, 7, k);
        double *slot[7] = {&b->generated, &b->stored_in,  &b->stored_out, &b->used,
                           &b->disposed,  &b->outsourced, &b->returned};
        if (kind >= 0) {
            *slot[kind] = v;
        }
        if (kind == 0) {
            db_column_copy(st, 2, code, 16);
        }
    }
    db_done(st);
    return rc == DB_DONE ? 0 : rc < 0 ? rc : ERR_DB;
}

int store_waste_record_insert(struct db *db, const struct waste_record_row *r, const char *now,
                              int64_t *id)
{
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "INSERT INTO waste_records (site_id, kind, batch_no, source_batch,"
                        " waste_code, amount_t, occurred_at, container, note, manifest_id,"
                        " device_id, created_by, created_at) VALUES"
                        " (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13) RETURNING id",
                        &st);
    if (rc) {
        return rc;
    }
    db_bind_int(st, 1, r->site_id);
    db_bind_text(st, 2, r->kind, (size_t)-1);
    db_bind_text(st, 3, r->batch_no, (size_t)-1);
    db_bind_text(st, 4, r->source_batch, (size_t)-1);
    db_bind_text(st, 5, r->waste_code, (size_t)-1);
    db_bind_real(st, 6, r->amount_t);
    db_bind_text(st, 7, r->occurred_at, (size_t)-1);
    db_bind_text(st, 8, r->container ? r->container : "", (size_t)-1);
    db_bind_text(st, 9, r->note ? r->note : "", (size_t)-1);
    r->manifest_id ? db_bind_int(st, 10, r->manifest_id) : db_bind_null(st, 10);
    r->device_id ? db_bind_int(st, 11, r->device_id) : db_bind_null(st, 11);
    r->created_by ? db_bind_int(st, 12, r->created_by) : db_bind_null(st, 12);
    db_bind_text(st, 13, now, (size_t)-1);
    return db_step_id(st, id);
}

int store_waste_serial_next(struct db *db, const char *area, int64_t key, int64_t *n)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO waste_serials (area, year, last) VALUES (?1, ?2, 1) ON"
                       " CONFLICT (area, year) DO UPDATE SET last = waste_serials.last + 1"
                       " RETURNING last",
                       "ti", area, key);
    return rc ? rc : db_step_id(st, n);
}

#define RECORD_COLS                                                                                \
    "id, site_id, kind, batch_no, source_batch, waste_code, amount_t, occurred_at, container,"     \
    " note, manifest_id, device_id, created_at"

int store_waste_records_json(struct db *db, int64_t site, const char *kind, const char *batch,
                             size_t limit, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT " RECORD_COLS " FROM waste_records WHERE site_id = ?1 AND (?2 = ''"
                       " OR kind = ?2) AND (?3 = '' OR source_batch = ?3 OR batch_no = ?3) ORDER"
                       " BY occurred_at DESC, id DESC",
                       "itt", site, kind ? kind : "", batch ? batch : "");
    if (rc) {
        return rc;
    }
    size_t n;
    buf_puts(out, "{\"items\":");
    rc = db_rows_json(st, 1, limit, out, &n);
    db_done(st);
    buf_putc(out, '}');
    return rc;
}

int store_waste_record_json(struct db *db, int64_t id, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT " RECORD_COLS " FROM waste_records WHERE id = ?1", "i", id);
    if (rc) {
        return rc;
    }
    rc = one_row(db_step(st));
    if (!rc) {
        db_row_json(st, out);
    }
    db_done(st);
    return rc;
}

#define STOCK_EXPR                                                                                 \
    "SUM(CASE kind WHEN 'store_in' THEN amount_t WHEN 'store_out' THEN -amount_t WHEN"             \
    " 'returned' THEN amount_t ELSE 0 END)"

int store_waste_inventory_json(struct db *db, int64_t site, const char *from_month, struct buf *out)
{
    struct db_stmt *st;
    size_t n;
    int rc = db_queryf(db, &st,
                       "SELECT source_batch, MIN(waste_code) AS waste_code, " STOCK_EXPR
                       " AS in_store_t, MIN(CASE WHEN kind = 'store_in' THEN occurred_at END) AS"
                       " first_in_at FROM waste_records WHERE site_id = ?1 GROUP BY source_batch"
                       " HAVING " STOCK_EXPR " > 0.0005 ORDER BY first_in_at, source_batch",
                       "i", site);
    if (rc) {
        return rc;
    }
    buf_puts(out, ",\"batches\":");
    rc = db_rows_json(st, 1, 2000, out, &n);
    db_done(st);
    rc = rc ? rc
            : db_queryf(db, &st,
                        "SELECT r.waste_code, MIN(c.category) AS category, " STOCK_EXPR
                        " AS in_store_t FROM waste_records r LEFT JOIN waste_codes c ON c.edition"
                        " = '2021' AND c.code = r.waste_code WHERE r.site_id = ?1 GROUP BY"
                        " r.waste_code HAVING " STOCK_EXPR " > 0.0005 ORDER BY r.waste_code",
                        "i", site);
    if (rc) {
        return rc;
    }
    buf_puts(out, ",\"by_code\":");
    rc = db_rows_json(st, 1, 500, out, &n);
    db_done(st);
    rc = rc ? rc
            : db_queryf(db, &st,
                        "SELECT substr(occurred_at, 1, 7) AS month, kind, SUM(amount_t) AS"
                        " amount_t FROM waste_records WHERE site_id = ?1 AND occurred_at >= ?2"
                        " GROUP BY substr(occurred_at, 1, 7), kind ORDER BY month, kind",
                        "it", site, from_month);
    if (rc) {
        return rc;
    }
    buf_puts(out, ",\"months\":");
    rc = db_rows_json(st, 1, 200, out, &n);
    db_done(st);
    return rc;
}

int store_waste_year_rows(struct db *db, struct arena *a, int64_t site, int year,
                          struct store_waste_year_row **rows, size_t *n)
{
    char from[24], to[24];
    snprintf(from, sizeof from, "%04d-01-01", year);
    snprintf(to, sizeof to, "%04d-01-01", year + 1);
    return store_waste_period_rows(db, a, site, from, to, rows, n);
}

int store_waste_period_rows(struct db *db, struct arena *a, int64_t site, const char *from,
                            const char *to, struct store_waste_year_row **rows, size_t *n)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st,
        "SELECT r.waste_code, COALESCE(MIN(c.category), ''), COALESCE(MIN(c.description), ''),"
        " COALESCE(MIN(c.traits), ''),"
        " SUM(CASE WHEN r.kind = 'generate' AND r.occurred_at >= ?2 THEN r.amount_t ELSE 0 END),"
        " SUM(CASE WHEN r.kind = 'store_in' AND r.occurred_at >= ?2 THEN r.amount_t ELSE 0 END),"
        " SUM(CASE WHEN r.kind = 'self_use' AND r.occurred_at >= ?2 THEN r.amount_t ELSE 0 END),"
        " SUM(CASE WHEN r.kind = 'self_dispose' AND r.occurred_at >= ?2 THEN r.amount_t ELSE 0"
        " END),"
        " SUM(CASE WHEN r.kind = 'outsource' AND r.occurred_at >= ?2 THEN r.amount_t WHEN r.kind ="
        " 'returned' AND r.occurred_at >= ?2 THEN -r.amount_t ELSE 0 END),"
        " " STOCK_EXPR " FROM waste_records r LEFT JOIN waste_codes c ON c.edition = '2021' AND"
        " c.code = r.waste_code WHERE r.site_id = ?1 AND r.occurred_at < ?3 GROUP BY r.waste_code"
        " ORDER BY r.waste_code",
        "itt", site, from, to);
    if (rc) {
        return rc;
    }
    size_t cap = 64;
    *rows = arena_zalloc(a, cap * sizeof **rows);
    *n = 0;
    while ((rc = db_step(st)) == DB_ROW && *n < cap) {
        struct store_waste_year_row *r = &(*rows)[(*n)++];
        r->code = arena_strdup(a, db_column_text(st, 0, NULL));
        r->category = arena_strdup(a, db_column_text(st, 1, NULL));
        r->description = arena_strdup(a, db_column_text(st, 2, NULL));
        r->traits = arena_strdup(a, db_column_text(st, 3, NULL));
        r->generated = db_column_real(st, 4);
        r->stored_in = db_column_real(st, 5);
        r->used = db_column_real(st, 6);
        r->disposed = db_column_real(st, 7);
        r->outsourced = db_column_real(st, 8);
        r->year_end_store = db_column_real(st, 9);
    }
    db_done(st);
    return rc == DB_DONE || rc == DB_ROW ? 0 : rc < 0 ? rc : ERR_DB;
}

/* ---------------- devices and events ---------------- */

int store_waste_device_insert(struct db *db, int64_t site, const char *name, const char *hash,
                              const char *now, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO waste_devices (site_id, name, token_hash, created_at) VALUES"
                       " (?1,?2,?3,?4) RETURNING id",
                       "ittt", site, name, hash, now);
    return rc ? rc : db_step_id(st, id);
}

int store_waste_device_by_hash(struct db *db, const char *hash, int64_t *id, int64_t *site,
                               char name[64])
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, site_id, name FROM waste_devices WHERE token_hash = ?1 AND"
                       " active = 1",
                       "t", hash);
    if (rc) {
        return rc;
    }
    rc = one_row(db_step(st));
    if (!rc) {
        *id = db_column_int(st, 0);
        *site = db_column_int(st, 1);
        db_column_copy(st, 2, name, 64);
    }
    db_done(st);
    return rc;
}

int store_waste_devices_json(struct db *db, int64_t site, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, name, active, last_seen_at, created_at, (SELECT COUNT(*) FROM"
                       " waste_device_events v WHERE v.device_id = d.id) AS events FROM"
                       " waste_devices d WHERE site_id = ?1 ORDER BY id",
                       "i", site);
    if (rc) {
        return rc;
    }
    size_t n;
    rc = db_rows_json(st, 1, 200, out, &n);
    db_done(st);
    return rc;
}

int store_waste_device_touch(struct db *db, int64_t id, const char *now)
{
    return db_runf(db, "UPDATE waste_devices SET last_seen_at = ?2 WHERE id = ?1", "it", id, now);
}

int store_waste_event_get(struct db *db, int64_t device, const char *event_id, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT answer FROM waste_device_events WHERE device_id = ?1 AND event_id"
                       " = ?2",
                       "it", device, event_id);
    if (rc) {
        return rc;
    }
    rc = one_row(db_step(st));
    if (!rc) {
        size_t len;
        const char *p = db_column_text(st, 0, &len);
        buf_append(out, p, len);
    }
    db_done(st);
    return rc;
}

int store_waste_event_insert(struct db *db, int64_t device, const char *event_id, int64_t record_id,
                             const char *answer, const char *now)
{
    return db_runf(db,
                   "INSERT INTO waste_device_events (device_id, event_id, record_id, answer,"
                   " created_at) VALUES (?1,?2,?3,?4,?5)",
                   "ititt", device, event_id, record_id, answer, now);
}

/* ---------------- plans ---------------- */

int store_waste_plan_put(struct db *db, int64_t site, int year, const char *cls,
                         const char *tables_json, const char *due_on, const char *now, int64_t *id)
{
    struct db_stmt *st;
    int rc =
        db_queryf(db, &st, "SELECT id, state FROM waste_plans WHERE site_id = ?1 AND year = ?2",
                  "ii", site, (int64_t)year);
    if (rc) {
        return rc;
    }
    rc = db_step(st);
    bool filed = rc == DB_ROW && !strcmp(db_column_text(st, 1, NULL), "filed");
    *id = rc == DB_ROW ? db_column_int(st, 0) : 0;
    db_done(st);
    if (rc < 0) {
        return rc;
    }
    if (filed) {
        return ERR_CONFLICT;
    }
    if (*id) {
        return db_runf(db,
                       "UPDATE waste_plans SET class = ?2, tables_json = ?3, due_on = ?4,"
                       " updated_at = ?5 WHERE id = ?1",
                       "itttt", *id, cls, tables_json, due_on, now);
    }
    rc = db_queryf(db, &st,
                   "INSERT INTO waste_plans (site_id, year, class, tables_json, due_on,"
                   " created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?6) RETURNING id",
                   "iitttt", site, (int64_t)year, cls, tables_json, due_on, now);
    return rc ? rc : db_step_id(st, id);
}

#define PLAN_COLS                                                                                  \
    "p.id, p.site_id, p.year, p.class, p.state, p.filing_no, p.due_on, p.filed_at, p.late,"        \
    " p.created_at, p.updated_at"

int store_waste_plan_json(struct db *db, int64_t id, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st, "SELECT " PLAN_COLS ", p.tables_json FROM waste_plans p WHERE p.id = ?1", "i", id);
    if (rc) {
        return rc;
    }
    rc = one_row(db_step(st));
    if (!rc) {
        db_row_json(st, out);
    }
    db_done(st);
    return rc;
}

int store_waste_plan_get(struct db *db, int64_t id, int64_t *site, int *year, char state[8],
                         char due[11])
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st, "SELECT site_id, year, state, due_on FROM waste_plans WHERE id = ?1", "i", id);
    if (rc) {
        return rc;
    }
    rc = one_row(db_step(st));
    if (!rc) {
        *site = db_column_int(st, 0);
        *year = (int)db_column_int(st, 1);
        db_column_copy(st, 2, state, 8);
        db_column_copy(st, 3, due, 11);
    }
    db_done(st);
    return rc;
}

int store_waste_plan_file(struct db *db, int64_t id, const char *filing_no, bool late,
                          const char *now)
{
    return db_runf(db,
                   "UPDATE waste_plans SET state = 'filed', filing_no = ?2, late = ?3, filed_at ="
                   " ?4, updated_at = ?4 WHERE id = ?1",
                   "itit", id, filing_no, (int64_t)late, now);
}

int store_waste_plans_json(struct db *db, int64_t site, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT " PLAN_COLS " FROM waste_plans p WHERE p.site_id = ?1 ORDER BY"
                       " p.year DESC",
                       "i", site);
    if (rc) {
        return rc;
    }
    size_t n;
    rc = db_rows_json(st, 1, 50, out, &n);
    db_done(st);
    return rc;
}

int store_waste_plan_filed(struct db *db, struct arena *a, int64_t site, int year, int64_t *id,
                           const char **tables_json)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, tables_json FROM waste_plans WHERE site_id = ?1 AND year = ?2"
                       " AND state = 'filed'",
                       "ii", site, (int64_t)year);
    if (rc) {
        return rc;
    }
    rc = one_row(db_step(st));
    if (!rc) {
        *id = db_column_int(st, 0);
        *tables_json = arena_strdup(a, db_column_text(st, 1, NULL));
    }
    db_done(st);
    return rc;
}

/* ---------------- manifests ---------------- */

int store_waste_enterprise(struct db *db, int64_t id, char region[16], char *name, size_t cap)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT region_code, name FROM enterprises WHERE id = ?1", "i", id);
    if (rc) {
        return rc;
    }
    rc = one_row(db_step(st));
    if (!rc) {
        db_column_copy(st, 0, region, 16);
        if (name) {
            db_column_copy(st, 1, name, cap);
        }
    }
    db_done(st);
    return rc;
}

int store_waste_manifest_insert(struct db *db, const struct waste_manifest_row *m, int64_t user,
                                const char *now, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "INSERT INTO waste_manifests (number, site_id, enterprise_id, receiver_id,"
                        " plan_id, carrier_name, vehicle_no, carrier_licence, state, created_by,"
                        " created_at, updated_at, cross_province) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,"
                        "'draft',?9,?10,?10,?11) RETURNING id",
                        &st);
    if (rc) {
        return rc;
    }
    db_bind_text(st, 1, m->number, (size_t)-1);
    db_bind_int(st, 2, m->site_id);
    db_bind_int(st, 3, m->enterprise_id);
    db_bind_int(st, 4, m->receiver_id);
    m->plan_id ? db_bind_int(st, 5, m->plan_id) : db_bind_null(st, 5);
    db_bind_text(st, 6, m->carrier_name, (size_t)-1);
    db_bind_text(st, 7, m->vehicle_no, (size_t)-1);
    db_bind_text(st, 8, m->carrier_licence, (size_t)-1);
    user ? db_bind_int(st, 9, user) : db_bind_null(st, 9);
    db_bind_text(st, 10, now, (size_t)-1);
    db_bind_int(st, 11, m->cross_province ? 1 : 0);
    return db_step_id(st, id);
}

int store_waste_mline_insert(struct db *db, int64_t manifest, int line_no,
                             const struct waste_mline *l)
{
    return db_runf(db,
                   "INSERT INTO waste_manifest_lines (manifest_id, line_no, source_batch,"
                   " waste_code, amount_t) VALUES (?1,?2,?3,?4,?5)",
                   "iittr", manifest, (int64_t)line_no, l->source_batch, l->waste_code,
                   l->amount_t);
}

int store_waste_manifest_get(struct db *db, int64_t id, struct waste_manifest_row *m)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, number, site_id, enterprise_id, receiver_id,"
                       " COALESCE(plan_id, 0), state, COALESCE(confirm_due, ''),"
                       " COALESCE(arrived_on, ''), cross_province, COALESCE(approval_case_id, 0),"
                       " approval_state FROM waste_manifests WHERE id = ?1",
                       "i", id);
    if (rc) {
        return rc;
    }
    rc = one_row(db_step(st));
    if (!rc) {
        memset(m, 0, sizeof *m);
        m->id = db_column_int(st, 0);
        db_column_copy(st, 1, m->number, sizeof m->number);
        m->site_id = db_column_int(st, 2);
        m->enterprise_id = db_column_int(st, 3);
        m->receiver_id = db_column_int(st, 4);
        m->plan_id = db_column_int(st, 5);
        db_column_copy(st, 6, m->state, sizeof m->state);
        db_column_copy(st, 7, m->confirm_due, sizeof m->confirm_due);
        db_column_copy(st, 8, m->arrived_on, sizeof m->arrived_on);
        m->cross_province = db_column_int(st, 9) != 0;
        m->approval_case_id = db_column_int(st, 10);
        db_column_copy(st, 11, m->approval_state, sizeof m->approval_state);
    }
    db_done(st);
    return rc;
}

int store_waste_mlines(struct db *db, struct arena *a, int64_t manifest, struct waste_mline **l,
                       size_t *n)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT source_batch, waste_code, amount_t, COALESCE(accepted_t, -1) FROM"
                       " waste_manifest_lines WHERE manifest_id = ?1 ORDER BY line_no",
                       "i", manifest);
    if (rc) {
        return rc;
    }
    size_t cap = 64;
    *l = arena_zalloc(a, cap * sizeof **l);
    *n = 0;
    while ((rc = db_step(st)) == DB_ROW && *n < cap) {
        struct waste_mline *x = &(*l)[(*n)++];
        x->source_batch = arena_strdup(a, db_column_text(st, 0, NULL));
        x->waste_code = arena_strdup(a, db_column_text(st, 1, NULL));
        x->amount_t = db_column_real(st, 2);
        x->accepted_t = db_column_real(st, 3);
    }
    db_done(st);
    return rc == DB_DONE || rc == DB_ROW ? 0 : rc < 0 ? rc : ERR_DB;
}

int store_waste_mline_accept(struct db *db, int64_t manifest, int line_no, double accepted_t)
{
    return db_runf(db,
                   "UPDATE waste_manifest_lines SET accepted_t = ?3 WHERE manifest_id = ?1 AND"
                   " line_no = ?2",
                   "iir", manifest, (int64_t)line_no, accepted_t);
}

int store_waste_manifest_move(struct db *db, int64_t id, const struct waste_manifest_move *mv,
                              const char *now)
{
    /* time_col comes from the module's constant table, never from input */
    static const char *const cols[] = {"shipped_at", "arrived_at", "confirmed_at", "closed_at"};
    int k = name_index(cols, 4, mv->time_col);
    if (k < 0) {
        return ERR_INPUT;
    }
    char sql[512];
    snprintf(sql, sizeof sql,
             "UPDATE waste_manifests SET state = ?2, %s = ?3, updated_at = ?3, arrived_on ="
             " COALESCE(CAST(?4 AS TEXT), arrived_on), confirm_due = COALESCE(CAST(?5 AS TEXT),"
             " confirm_due), decision = COALESCE(CAST(?6 AS TEXT), decision), method ="
             " COALESCE(CAST(?7 AS TEXT), method), discrepancy = COALESCE(CAST(?8 AS TEXT),"
             " discrepancy), disposal_result = COALESCE(CAST(?9 AS TEXT), disposal_result) WHERE"
             " id = ?1",
             cols[k]);
    return db_runf(db, sql, "ittttttt", id, mv->state, now, mv->arrived_on, mv->confirm_due,
                   mv->decision, mv->method, mv->discrepancy, mv->disposal_result);
}

#define MANIFEST_COLS                                                                              \
    "m.id, m.number, m.site_id, w.name AS site_name, m.enterprise_id, e.name AS enterprise_name,"  \
    " m.receiver_id, rv.name AS receiver_name, m.plan_id, m.carrier_name, m.vehicle_no,"           \
    " m.carrier_licence, m.state, m.decision, m.method, m.discrepancy, m.disposal_result,"         \
    " m.shipped_at, m.arrived_at, m.arrived_on, m.confirm_due, m.confirmed_at, m.closed_at,"       \
    " m.created_at, (SELECT COALESCE(SUM(l.amount_t), 0) FROM waste_manifest_lines l WHERE"        \
    " l.manifest_id = m.id) AS amount_t, m.cross_province, m.approval_case_id, m.approval_state,"  \
    " m.approval_note, (SELECT COUNT(*) FROM waste_manifest_legs g WHERE g.manifest_id = m.id)"    \
    " AS legs_n"
#define MANIFEST_FROM                                                                              \
    " FROM waste_manifests m JOIN waste_sites w ON w.id = m.site_id JOIN enterprises e ON e.id ="  \
    " m.enterprise_id JOIN enterprises rv ON rv.id = m.receiver_id"

int store_waste_manifest_json(struct db *db, int64_t id, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT " MANIFEST_COLS MANIFEST_FROM " WHERE m.id = ?1", "i", id);
    if (rc) {
        return rc;
    }
    rc = one_row(db_step(st));
    if (!rc) {
        db_row_json(st, out);
    }
    db_done(st);
    if (rc) {
        return rc;
    }
    out->len--;
    buf_puts(out, ",\"lines\":");
    rc = db_queryf(db, &st,
                   "SELECT line_no, source_batch, waste_code, amount_t, accepted_t FROM"
                   " waste_manifest_lines WHERE manifest_id = ?1 ORDER BY line_no",
                   "i", id);
    if (rc) {
        return rc;
    }
    size_t n;
    rc = db_rows_json(st, 1, 0, out, &n);
    db_done(st);
    if (rc) {
        return rc;
    }
    buf_puts(out, ",\"legs\":");
    rc = db_queryf(db, &st,
                   "SELECT g.leg_no, g.carrier_name, g.vehicle_no, g.carrier_licence,"
                   " g.handover_place, g.handed_over_at, u.display_name AS recorded_by_name FROM"
                   " waste_manifest_legs g LEFT JOIN users u ON u.id = g.recorded_by WHERE"
                   " g.manifest_id = ?1 ORDER BY g.leg_no",
                   "i", id);
    if (rc) {
        return rc;
    }
    rc = db_rows_json(st, 1, 0, out, &n);
    db_done(st);
    buf_putc(out, '}');
    return rc;
}

int store_waste_leg_add(struct db *db, int64_t manifest, const struct waste_leg *l, int64_t user,
                        const char *now, int64_t *leg_no)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT COALESCE(MAX(leg_no), 0) + 1, COALESCE(MAX(handed_over_at), '')"
                       " FROM waste_manifest_legs WHERE manifest_id = ?1",
                       "i", manifest);
    if (rc) {
        return rc;
    }
    rc = one_row(db_step(st));
    bool before = false;
    if (!rc) {
        *leg_no = db_column_int(st, 0);
        before = strcmp(l->handed_over_at, db_column_text(st, 1, NULL)) < 0;
    }
    db_done(st);
    if (!rc && before) {
        return ERR_CONFLICT;
    }
    rc = rc ? rc
            : db_runf(db,
                      "INSERT INTO waste_manifest_legs (manifest_id, leg_no, carrier_name,"
                      " vehicle_no, carrier_licence, handover_place, handed_over_at, recorded_by,"
                      " created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,NULLIF(?8, 0),?9)",
                      "iitttttit", manifest, *leg_no, l->carrier_name, l->vehicle_no,
                      l->carrier_licence, l->handover_place ? l->handover_place : "",
                      l->handed_over_at, user, now);
    return rc ? rc
              : db_runf(db,
                        "UPDATE waste_manifests SET carrier_name = ?2, vehicle_no = ?3,"
                        " carrier_licence = ?4, updated_at = ?5 WHERE id = ?1",
                        "itttt", manifest, l->carrier_name, l->vehicle_no, l->carrier_licence, now);
}

int store_waste_leg_first(struct db *db, int64_t manifest, const char *at, int64_t user,
                          const char *now)
{
    return db_runf(db,
                   "INSERT INTO waste_manifest_legs (manifest_id, leg_no, carrier_name,"
                   " vehicle_no, carrier_licence, handover_place, handed_over_at, recorded_by,"
                   " created_at) SELECT id, 1, carrier_name, vehicle_no, carrier_licence, '', ?2,"
                   " NULLIF(?3, 0), ?4 FROM waste_manifests WHERE id = ?1",
                   "itit", manifest, at, user, now);
}

int store_waste_manifest_approval(struct db *db, int64_t id, const char *state, int64_t case_id,
                                  const char *note, const char *now)
{
    return db_runf(db,
                   "UPDATE waste_manifests SET approval_state = ?2, approval_case_id ="
                   " CASE WHEN ?3 = 0 THEN approval_case_id ELSE ?3 END, approval_note ="
                   " COALESCE(CAST(?4 AS TEXT), approval_note), updated_at = ?5 WHERE id = ?1",
                   "ititt", id, state, case_id, note, now);
}

int store_waste_paper_insert(struct db *db, const struct waste_paper_row *p, int64_t user,
                             const char *now, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT COUNT(*) FROM waste_paper_manifests WHERE paper_no = ?1",
                       "t", p->paper_no);
    int64_t taken = 0;
    rc = rc ? rc : db_step_id(st, &taken);
    if (!rc && taken) {
        return ERR_CONFLICT;
    }
    rc = rc ? rc
            : db_queryf(db, &st,
                        "INSERT INTO waste_paper_manifests (paper_no, site_id, enterprise_id,"
                        " receiver_id, carrier_name, vehicle_no, shipped_on, received_on,"
                        " entry_due, reason, lines_json, amount_t, created_by, created_at) VALUES"
                        " (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,NULLIF(?13, 0),?14) RETURNING id",
                        "tiiitttttttrit", p->paper_no, p->site_id, p->enterprise_id, p->receiver_id,
                        p->carrier_name, p->vehicle_no, p->shipped_on, p->received_on, p->entry_due,
                        p->reason, p->lines_json, p->amount_t, user, now);
    return rc ? rc : db_step_id(st, id);
}

#define PAPER_COLS                                                                                 \
    "p.id, p.paper_no, p.site_id, w.name AS site_name, p.enterprise_id, e.name AS"                 \
    " enterprise_name, p.receiver_id, rv.name AS receiver_name, p.carrier_name, p.vehicle_no,"     \
    " p.shipped_on, p.received_on, p.entry_due, p.reason, p.lines_json, p.amount_t, p.created_at"  \
    " FROM waste_paper_manifests p JOIN waste_sites w ON w.id = p.site_id JOIN enterprises e ON"   \
    " e.id = p.enterprise_id JOIN enterprises rv ON rv.id = p.receiver_id"

int store_waste_paper_json(struct db *db, int64_t id, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT " PAPER_COLS " WHERE p.id = ?1", "i", id);
    if (rc) {
        return rc;
    }
    rc = one_row(db_step(st));
    if (!rc) {
        db_row_json(st, out);
    }
    db_done(st);
    return rc;
}

int store_waste_papers_json(struct db *db, const struct scope *sc, int64_t site, struct buf *out)
{
    struct buf sql;
    buf_init(&sql, 8192);
    buf_puts(&sql, "SELECT " PAPER_COLS " WHERE (?1 = 0 OR p.site_id = ?1) AND ((");
    store_scope_sql(&sql, sc, "e.id", "e.region_code", 10);
    buf_puts(&sql, ") OR (");
    store_scope_sql(&sql, sc, "rv.id", "rv.region_code", 10);
    buf_puts(&sql, ")) ORDER BY p.id DESC");
    struct db_stmt *st;
    int rc = db_prepare(db, sql.p, &st);
    buf_release(&sql);
    rc = rc ? rc : db_bind_int(st, 1, site);
    rc = rc ? rc : store_scope_bind(st, sc, 10);
    if (rc) {
        if (st) {
            db_done(st);
        }
        return rc;
    }
    size_t n;
    buf_puts(out, "{\"items\":");
    rc = db_rows_json(st, 1, 2000, out, &n);
    db_done(st);
    buf_putc(out, '}');
    return rc;
}

int store_waste_manifests_json(struct db *db, const struct scope *sc, int64_t site,
                               const char *state, struct buf *out)
{
    struct buf sql;
    buf_init(&sql, 8192);
    buf_puts(&sql, "SELECT " MANIFEST_COLS MANIFEST_FROM
                   " WHERE (?1 = 0 OR m.site_id = ?1) AND (?2 = '' OR m.state = ?2) AND ((");
    store_scope_sql(&sql, sc, "e.id", "e.region_code", 10);
    buf_puts(&sql, ") OR (");
    store_scope_sql(&sql, sc, "rv.id", "rv.region_code", 10);
    buf_puts(&sql, ")) ORDER BY m.id DESC");
    struct db_stmt *st;
    int rc = db_prepare(db, sql.p, &st);
    buf_release(&sql);
    rc = rc ? rc : db_bind_int(st, 1, site);
    rc = rc ? rc : db_bind_text(st, 2, state ? state : "", (size_t)-1);
    rc = rc ? rc : store_scope_bind(st, sc, 10);
    if (rc) {
        if (st) {
            db_done(st);
        }
        return rc;
    }
    size_t n;
    buf_puts(out, "{\"items\":");
    rc = db_rows_json(st, 1, 2000, out, &n);
    db_done(st);
    buf_putc(out, '}');
    return rc;
}

/* ---------------- warnings ---------------- */

int store_waste_warning_raise(struct db *db, int64_t site, int64_t ent, const char *kind,
                              const char *ref, const char *detail, const char *now, int *raised)
{
    int rc = db_runf(db,
                     "INSERT INTO waste_warnings (site_id, enterprise_id, kind, ref, detail,"
                     " raised_at) VALUES (?1,?2,?3,?4,?5,?6) ON CONFLICT (site_id, kind, ref) DO"
                     " UPDATE SET detail = excluded.detail, resolved_at = NULL, raised_at ="
                     " CASE WHEN waste_warnings.resolved_at IS NULL THEN waste_warnings.raised_at"
                     " ELSE excluded.raised_at END",
                     "iitttt", site, ent, kind, ref, detail, now);
    *raised = 0;
    if (!rc) {
        struct db_stmt *st;
        int64_t n = 0;
        rc = db_queryf(db, &st,
                       "SELECT COUNT(*) FROM waste_warnings WHERE site_id = ?1 AND kind = ?2 AND"
                       " ref = ?3 AND raised_at = ?4",
                       "ittt", site, kind, ref, now);
        rc = rc ? rc : db_step_id(st, &n);
        *raised = n > 0;
    }
    return rc;
}

int store_waste_warnings_resolve(struct db *db, int64_t site, const char *kind, const char *keep,
                                 const char *now)
{
    return db_runf(db,
                   "UPDATE waste_warnings SET resolved_at = ?4 WHERE site_id = ?1 AND kind = ?2"
                   " AND resolved_at IS NULL AND ',' || ?3 || ',' NOT LIKE '%,' || ref || ',%'",
                   "ittt", site, kind, keep, now);
}

#define WARNING_SQL                                                                                \
    "SELECT k.id, k.site_id, w.name AS site_name, k.enterprise_id, e.name AS enterprise_name,"     \
    " k.kind, k.ref, k.detail, k.raised_at FROM waste_warnings k JOIN waste_sites w ON w.id ="     \
    " k.site_id JOIN enterprises e ON e.id = k.enterprise_id WHERE k.resolved_at IS NULL AND"

static int warnings_query(struct db *db, const struct scope *sc, int64_t site, const char *cols,
                          bool order, struct db_stmt **st)
{
    struct buf sql;
    buf_init(&sql, 4096);
    buf_puts(&sql, cols);
    buf_puts(&sql, " (?1 = 0 OR k.site_id = ?1) AND ");
    store_scope_sql(&sql, sc, "e.id", "e.region_code", 10);
    if (order) {
        buf_puts(&sql, " ORDER BY k.raised_at DESC, k.id DESC");
    }
    int rc = db_prepare(db, sql.p, st);
    buf_release(&sql);
    rc = rc ? rc : db_bind_int(*st, 1, site);
    rc = rc ? rc : store_scope_bind(*st, sc, 10);
    return rc;
}

int store_waste_warnings_json(struct db *db, const struct scope *sc, int64_t site, struct buf *out)
{
    struct db_stmt *st = NULL;
    int rc = warnings_query(db, sc, site, WARNING_SQL, true, &st);
    size_t n;
    if (!rc) {
        buf_puts(out, "{\"items\":");
        rc = db_rows_json(st, 1, 1000, out, &n);
        buf_putc(out, '}');
    }
    if (st) {
        db_done(st);
    }
    return rc;
}

int store_waste_site_ids(struct db *db, int64_t **ids, size_t *n)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT id FROM waste_sites ORDER BY id", "");
    if (rc) {
        return rc;
    }
    size_t cap = 0;
    *ids = NULL;
    *n = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            *ids = xrealloc(*ids, cap * sizeof **ids);
        }
        (*ids)[(*n)++] = db_column_int(st, 0);
    }
    db_done(st);
    return rc == DB_DONE ? 0 : rc < 0 ? rc : ERR_DB;
}

int store_waste_stock(struct db *db, int64_t site, struct waste_stock_row *rows, size_t cap,
                      size_t *n)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT source_batch, MIN(waste_code), " STOCK_EXPR ", MIN(CASE WHEN kind"
                       " = 'store_in' THEN occurred_at END) FROM waste_records WHERE site_id = ?1"
                       " GROUP BY source_batch HAVING " STOCK_EXPR " > 0.0005 ORDER BY 4",
                       "i", site);
    if (rc) {
        return rc;
    }
    *n = 0;
    while ((rc = db_step(st)) == DB_ROW && *n < cap) {
        struct waste_stock_row *r = &rows[(*n)++];
        db_column_copy(st, 0, r->batch, sizeof r->batch);
        db_column_copy(st, 1, r->code, sizeof r->code);
        r->in_store_t = db_column_real(st, 2);
        db_column_copy(st, 3, r->first_in, sizeof r->first_in);
    }
    db_done(st);
    return rc == DB_DONE || rc == DB_ROW ? 0 : rc < 0 ? rc : ERR_DB;
}

int store_waste_unconfirmed(struct db *db, int64_t site, struct waste_due_row *rows, size_t cap,
                            size_t *n)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, number, confirm_due FROM waste_manifests WHERE site_id = ?1"
                       " AND state = 'arrived' AND confirm_due IS NOT NULL ORDER BY id",
                       "i", site);
    if (rc) {
        return rc;
    }
    *n = 0;
    while ((rc = db_step(st)) == DB_ROW && *n < cap) {
        struct waste_due_row *r = &rows[(*n)++];
        r->id = db_column_int(st, 0);
        db_column_copy(st, 1, r->number, sizeof r->number);
        db_column_copy(st, 2, r->due, sizeof r->due);
    }
    db_done(st);
    return rc == DB_DONE || rc == DB_ROW ? 0 : rc < 0 ? rc : ERR_DB;
}

/* Staff see the warnings within their scope, an enterprise its own (principal's scope). */
int store_waste_todo_json(struct db *db, const struct principal *p, size_t limit, struct buf *out,
                          size_t *n)
{
    struct db_stmt *st = NULL;
    int rc = warnings_query(db, &p->scope, 0,
                            "SELECT 'waste' AS source, k.id, e.name || '：' || k.detail AS title,"
                            " k.kind, k.site_id, k.raised_at, 'none' AS clock FROM waste_warnings"
                            " k JOIN waste_sites w ON w.id = k.site_id JOIN enterprises e ON e.id"
                            " = k.enterprise_id WHERE k.resolved_at IS NULL AND",
                            true, &st);
    rc = rc ? rc : db_rows_json(st, 1, limit, out, n);
    if (st) {
        db_done(st);
    }
    return rc;
}

int store_waste_todo_count(struct db *db, const struct principal *p, int64_t *n)
{
    struct db_stmt *st = NULL;
    int rc = warnings_query(db, &p->scope, 0,
                            "SELECT COUNT(*) FROM waste_warnings k JOIN enterprises e ON e.id ="
                            " k.enterprise_id WHERE k.resolved_at IS NULL AND",
                            false, &st);
    if (rc) {
        if (st) {
            db_done(st);
        }
        return rc;
    }
    return db_step_id(st, n);
}

int store_waste_demo_firms(struct db *db, int64_t *ids, size_t cap, size_t *n)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id FROM enterprises WHERE status = 'active' AND region_code ="
                       " '330502' ORDER BY id LIMIT 3",
                       "");
    if (rc) {
        return rc;
    }
    *n = 0;
    while ((rc = db_step(st)) == DB_ROW && *n < cap) {
        ids[(*n)++] = db_column_int(st, 0);
    }
    db_done(st);
    return rc == DB_DONE || rc == DB_ROW ? 0 : rc < 0 ? rc : ERR_DB;
}

bool store_waste_licensed(struct db *db, int64_t ent)
{
    struct db_stmt *st;
    int64_t n = 0;
    if (db_queryf(db, &st,
                  "SELECT COUNT(*) FROM waste_sites WHERE enterprise_id = ?1 AND licensed = 1", "i",
                  ent) ||
        db_step_id(st, &n)) {
        return false;
    }
    return n > 0;
}

int store_waste_manifest_carrier(struct db *db, int64_t id, const char *name, const char *vehicle,
                                 const char *licence)
{
    return db_runf(db,
                   "UPDATE waste_manifests SET carrier_name = COALESCE(CAST(?2 AS TEXT),"
                   " carrier_name), vehicle_no = COALESCE(CAST(?3 AS TEXT), vehicle_no),"
                   " carrier_licence = COALESCE(CAST(?4 AS TEXT), carrier_licence) WHERE id = ?1",
                   "ittt", id, name, vehicle, licence);
}

int store_waste_receivers_json(struct db *db, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT e.id, e.name, e.region_code FROM enterprises e WHERE e.status ="
                       " 'active' AND e.id IN (SELECT enterprise_id FROM waste_sites WHERE"
                       " licensed = 1) ORDER BY e.region_code, e.id",
                       "");
    if (rc) {
        return rc;
    }
    size_t n;
    buf_puts(out, "{\"items\":");
    rc = db_rows_json(st, 1, 500, out, &n);
    db_done(st);
    buf_putc(out, '}');
    return rc;
}

int store_waste_device_site(struct db *db, int64_t id, int64_t *site)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT site_id FROM waste_devices WHERE id = ?1", "i", id);
    if (rc) {
        return rc;
    }
    rc = db_step_id(st, site);
    return rc ? rc : *site ? 0 : ERR_NOTFOUND;
}

int store_waste_device_deactivate(struct db *db, int64_t id)
{
    return db_runf(db, "UPDATE waste_devices SET active = 0 WHERE id = ?1", "i", id);
}

int store_waste_unstored(struct db *db, int64_t site, const char *before,
                         struct waste_stock_row *rows, size_t cap, size_t *n)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st,
        "SELECT source_batch, MIN(waste_code), SUM(CASE kind WHEN 'generate' THEN amount_t WHEN"
        " 'store_in' THEN -amount_t ELSE 0 END), MIN(CASE WHEN kind = 'generate' THEN occurred_at"
        " END) FROM waste_records WHERE site_id = ?1 GROUP BY source_batch HAVING SUM(CASE kind"
        " WHEN 'generate' THEN amount_t WHEN 'store_in' THEN -amount_t ELSE 0 END) > 0.0005 AND"
        " MIN(CASE WHEN kind = 'generate' THEN occurred_at END) < ?2 ORDER BY 4",
        "it", site, before);
    if (rc) {
        return rc;
    }
    *n = 0;
    while ((rc = db_step(st)) == DB_ROW && *n < cap) {
        struct waste_stock_row *r = &rows[(*n)++];
        db_column_copy(st, 0, r->batch, sizeof r->batch);
        db_column_copy(st, 1, r->code, sizeof r->code);
        r->in_store_t = db_column_real(st, 2);
        db_column_copy(st, 3, r->first_in, sizeof r->first_in);
    }
    db_done(st);
    return rc == DB_DONE || rc == DB_ROW ? 0 : rc < 0 ? rc : ERR_DB;
}
