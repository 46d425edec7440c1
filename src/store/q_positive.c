/*
** Positive-list queries (q_positive.h). A list is scoped by the enterprise's region: the scope
** condition is written on the alias e (enterprises) with its parameters from ?20 upward, so a
** query's own parameters stay below. Dates are YYYY-MM-DD text and compare as text.
*/
#include "store/q_positive.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"

/* The scope condition on e into sql, its parameters numbered from p0 — right after the
   query's own, since PostgreSQL cannot type a parameter number the statement leaves out. */
static void scope_sql(const struct scope *sc, struct buf *sql, int p0)
{
    if (!sc || sc->kind == SCOPE_ALL) {
        buf_puts(sql, "1=1");
    } else if (sc->kind == SCOPE_ENTERPRISE) {
        buf_printf(sql, "e.id = ?%d", p0);
    } else if (sc->kind == SCOPE_NONE || sc->n_prefixes == 0) {
        buf_puts(sql, "1=0");
    } else {
        buf_putc(sql, '(');
        for (size_t i = 0; i < sc->n_prefixes && i < 32; i++) {
            buf_printf(sql, "%ssubstr(e.region_code, 1, length(?%zu)) = ?%zu", i ? " OR " : "",
                       (size_t)p0 + i, (size_t)p0 + i);
        }
        buf_putc(sql, ')');
    }
}

static void scope_bind(struct db_stmt *st, const struct scope *sc, int p0)
{
    if (sc && sc->kind == SCOPE_ENTERPRISE) {
        db_bind_int(st, p0, sc->enterprise_id);
    }
    for (size_t i = 0; sc && sc->kind == SCOPE_REGIONS && i < sc->n_prefixes && i < 32; i++) {
        db_bind_text(st, (int)(p0 + (int)i), sc->prefixes[i], (size_t)-1);
    }
}

/* "%" + s with % _ \ escaped + "%" into out, for LIKE ... ESCAPE '\'. */
static void like_any(const char *s, struct buf *out)
{
    buf_putc(out, '%');
    for (; *s; s++) {
        if (*s == '%' || *s == '_' || *s == '\\') {
            buf_putc(out, '\\');
        }
        buf_putc(out, *s);
    }
    buf_putc(out, '%');
}

/* The condition "entry l is in force on ?1". */
#define IN_FORCE                                                                                   \
    "l.listed_from <= ?1 AND l.listed_to > ?1 AND (l.removed_on IS NULL OR l.removed_on > ?1)"

int store_positive_listed(struct db *db, int64_t enterprise_id, const char *date, bool *listed)
{
    struct db_stmt *st;
    int64_t n = 0;
    int rc = db_queryf(
        db, &st, "SELECT COUNT(*) FROM positive_list l WHERE l.enterprise_id = ?2 AND " IN_FORCE,
        "ti", date, enterprise_id);
    rc = rc ? rc : db_step_id(st, &n);
    *listed = n > 0;
    return rc;
}

#define FACT_COLS                                                                                  \
    "e.id, e.name, e.region_code, COALESCE((SELECT name FROM regions WHERE code ="                 \
    " e.region_code), ''), e.category, e.tags, e.status,"                                          \
    " COALESCE((SELECT c.grade FROM credit_current c WHERE c.subject_kind = 'enterprise' AND"      \
    " c.subject_id = e.id), ''),"                                                                  \
    " COALESCE((SELECT MAX(v.occurred_on) FROM credit_events v WHERE v.subject_kind ="             \
    " 'enterprise' AND v.subject_id = e.id AND v.type = 'penalty' AND v.revoked_at IS NULL), '')," \
    " COALESCE((SELECT MAX(b.barred_to) FROM positive_list b WHERE b.enterprise_id = e.id AND"     \
    " b.malicious = 1), ''),"                                                                      \
    " COALESCE((SELECT MAX(l.listed_to) FROM positive_list l WHERE l.enterprise_id = e.id "        \
    "AND " IN_FORCE "), ''),"                                                                      \
    " COALESCE((SELECT MAX(l.id) FROM positive_list l WHERE l.enterprise_id = e.id AND " IN_FORCE  \
    "), 0),"                                                                                       \
    " COALESCE((SELECT MAX(n.id) FROM positive_nominations n WHERE n.enterprise_id = e.id AND"     \
    " n.state = 'pending'), 0)"

static void fact_row(struct db_stmt *st, struct positive_fact_row *f)
{
    memset(f, 0, sizeof *f);
    f->id = db_column_int(st, 0);
    db_column_copy(st, 1, f->name, sizeof f->name);
    db_column_copy(st, 2, f->region_code, sizeof f->region_code);
    db_column_copy(st, 3, f->region_name, sizeof f->region_name);
    db_column_copy(st, 4, f->category, sizeof f->category);
    db_column_copy(st, 5, f->tags, sizeof f->tags);
    db_column_copy(st, 6, f->status, sizeof f->status);
    db_column_copy(st, 7, f->grade, sizeof f->grade);
    db_column_copy(st, 8, f->last_penalty, sizeof f->last_penalty);
    db_column_copy(st, 9, f->barred_to, sizeof f->barred_to);
    db_column_copy(st, 10, f->listed_to, sizeof f->listed_to);
    f->listed_entry = db_column_int(st, 11);
    f->pending_nomination = db_column_int(st, 12);
}

int store_positive_facts(struct db *db, int64_t enterprise_id, const char *date,
                         struct positive_fact_row *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT " FACT_COLS " FROM enterprises e WHERE e.id = ?2", "ti",
                       date, enterprise_id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        fact_row(st, out);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_positive_candidates(struct db *db, const struct scope *sc, const char *q,
                              const char *region, const char *sort, bool desc, const char *date,
                              size_t max, void (*row)(const struct positive_fact_row *f, void *ctx),
                              void *ctx)
{
    struct buf sql, cond, pat;
    buf_init(&sql, 1 << 16);
    buf_init(&cond, 1 << 14);
    buf_init(&pat, 1024);
    scope_sql(sc, &cond, 5);
    if (q && *q) {
        like_any(q, &pat);
    }
    buf_printf(&sql,
               "SELECT " FACT_COLS " FROM enterprises e WHERE e.status = 'active' AND %s AND"
               " (?2 = '' OR e.name LIKE ?2 ESCAPE '\\') AND (?3 = '' OR substr(e.region_code,"
               " 1, length(?3)) = ?3) ORDER BY %s LIMIT ?4",
               cond.p,
               sort && !strcmp(sort, "name")
                   ? (desc ? "replace(e.name, '长', '常') COLLATE zh DESC, e.id DESC"
                           : "replace(e.name, '长', '常') COLLATE zh, e.id")
                   : (desc ? "e.region_code DESC, e.id DESC" : "e.region_code, e.id"));
    struct db_stmt *st;
    int rc = db_prepare(db, sql.p, &st);
    if (!rc) {
        db_bind_text(st, 1, date, (size_t)-1);
        db_bind_text(st, 2, pat.len ? pat.p : "", pat.len);
        db_bind_text(st, 3, region ? region : "", (size_t)-1);
        db_bind_int(st, 4, (int64_t)max);
        scope_bind(st, sc, 5);
        int s;
        struct positive_fact_row f;
        while ((s = db_step(st)) == DB_ROW) {
            fact_row(st, &f);
            row(&f, ctx);
        }
        rc = s < 0 ? s : 0;
        db_done(st);
    }
    buf_release(&sql);
    buf_release(&cond);
    buf_release(&pat);
    return rc;
}

/* ---- entries ---- */

static void bind_opt_user(struct db_stmt *st, int i, int64_t id)
{
    if (id) {
        db_bind_int(st, i, id);
    } else {
        db_bind_null(st, i);
    }
}

int store_positive_entry_insert(struct db *db, const struct positive_entry_new *n, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO positive_list (enterprise_id, listed_from, listed_to, basis,"
                       " rule_set_id, rule_version, reasons, nomination_id, admitted_by,"
                       " admitted_by_name, admitted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
                       " ?9, ?10, ?11) RETURNING id",
                       "itttiitnntt", n->enterprise_id, n->listed_from, n->listed_to, n->basis,
                       n->rule_set_id, (int64_t)n->rule_version, n->reasons_json,
                       n->admitted_by_name ? n->admitted_by_name : "system", n->now);
    if (rc) {
        return rc;
    }
    bind_opt_user(st, 8, n->nomination_id);
    bind_opt_user(st, 9, n->admitted_by);
    return db_step_id(st, id);
}

#define ENTRY_COLS                                                                                 \
    "l.id, l.enterprise_id, l.listed_from, l.listed_to, COALESCE(l.removed_on, ''),"               \
    " COALESCE(l.barred_to, ''), e.region_code, l.basis, l.malicious"

static int entry_one(struct db_stmt *st, struct positive_entry_row *out)
{
    int s = db_step(st);
    if (s == DB_ROW) {
        memset(out, 0, sizeof *out);
        out->id = db_column_int(st, 0);
        out->enterprise_id = db_column_int(st, 1);
        db_column_copy(st, 2, out->listed_from, sizeof out->listed_from);
        db_column_copy(st, 3, out->listed_to, sizeof out->listed_to);
        db_column_copy(st, 4, out->removed_on, sizeof out->removed_on);
        db_column_copy(st, 5, out->barred_to, sizeof out->barred_to);
        db_column_copy(st, 6, out->region_code, sizeof out->region_code);
        db_column_copy(st, 7, out->basis, sizeof out->basis);
        out->malicious = db_column_int(st, 8) != 0;
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_positive_entry_get(struct db *db, int64_t id, struct positive_entry_row *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT " ENTRY_COLS " FROM positive_list l JOIN enterprises e ON e.id ="
                       " l.enterprise_id WHERE l.id = ?1",
                       "i", id);
    return rc ? rc : entry_one(st, out);
}

int store_positive_entry_latest(struct db *db, int64_t enterprise_id,
                                struct positive_entry_row *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT " ENTRY_COLS " FROM positive_list l JOIN enterprises e ON e.id ="
                       " l.enterprise_id WHERE l.enterprise_id = ?1 ORDER BY l.listed_from DESC,"
                       " l.id DESC LIMIT 1",
                       "i", enterprise_id);
    return rc ? rc : entry_one(st, out);
}

int store_positive_entry_on(struct db *db, int64_t enterprise_id, const char *date,
                            struct positive_entry_row *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT " ENTRY_COLS " FROM positive_list l JOIN enterprises e ON e.id ="
                       " l.enterprise_id WHERE l.enterprise_id = ?2 AND " IN_FORCE
                       " ORDER BY l.listed_from DESC, l.id DESC LIMIT 1",
                       "ti", date, enterprise_id);
    return rc ? rc : entry_one(st, out);
}

int store_positive_entry_remove(struct db *db, int64_t id, const char *removed_on,
                                const char *reason, bool malicious, const char *barred_to,
                                int64_t by, const char *by_name, const char *now)
{
    struct db_stmt *st;
    int rc =
        db_queryf(db, &st,
                  "UPDATE positive_list SET removed_on = ?2, removed_reason = ?3, malicious"
                  " = ?4, barred_to = ?5, removed_by = ?6, removed_by_name = ?7, removed_at"
                  " = ?8 WHERE id = ?1 AND removed_on IS NULL",
                  "ittitntt", id, removed_on, reason, (int64_t)malicious, barred_to, by_name, now);
    if (rc) {
        return rc;
    }
    bind_opt_user(st, 6, by);
    int s = db_step(st);
    db_done(st);
    if (s < 0) {
        return s;
    }
    return db_changes(db) ? 0 : ERR_CONFLICT;
}

int store_positive_expiring(struct db *db, const char *today, int64_t limit,
                            void (*row)(struct db_stmt *st, void *ctx), void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, enterprise_id FROM positive_list WHERE listed_to <= ?1 AND"
                       " removed_on IS NULL AND expired_at IS NULL ORDER BY listed_to, id LIMIT ?2",
                       "ti", today, limit);
    return rc ? rc : db_each(st, row, ctx);
}

int store_positive_entry_expire(struct db *db, int64_t id, const char *now)
{
    return db_runf(db,
                   "UPDATE positive_list SET expired_at = ?2 WHERE id = ?1 AND expired_at IS NULL",
                   "it", id, now);
}

/* The status of entry l on ?1. */
#define STATUS_SQL                                                                                 \
    "CASE WHEN l.removed_on IS NOT NULL AND l.removed_on <= ?1 THEN 'removed' WHEN l.listed_to <=" \
    " ?1 THEN 'expired' WHEN l.listed_from > ?1 THEN 'future' ELSE 'listed' END"

/* The FROM and WHERE of the entry list, with its parameters: ?1 today, ?2 status, ?3 name
   pattern, ?4 region, ?5 basis. */
static void list_where(const struct scope *sc, const struct positive_list_query *q, struct buf *sql,
                       int p0)
{
    (void)q;
    buf_puts(sql, " FROM positive_list l JOIN enterprises e ON e.id = l.enterprise_id WHERE ");
    scope_sql(sc, sql, p0);
    buf_puts(sql, " AND (?2 = 'all' OR " STATUS_SQL " = ?2)"
                  " AND (?3 = '' OR e.name LIKE ?3 ESCAPE '\\' OR e.uscc LIKE ?3 ESCAPE '\\')"
                  " AND (?4 = '' OR substr(e.region_code, 1, length(?4)) = ?4)"
                  " AND (?5 = '' OR l.basis = ?5)");
}

static void list_bind(struct db_stmt *st, const struct scope *sc,
                      const struct positive_list_query *q, struct buf *pat, int p0)
{
    db_bind_text(st, 1, q->today, (size_t)-1);
    db_bind_text(st, 2, q->status ? q->status : "listed", (size_t)-1);
    if (q->q && *q->q) {
        like_any(q->q, pat);
    }
    db_bind_text(st, 3, pat->len ? pat->p : "", pat->len);
    db_bind_text(st, 4, q->region ? q->region : "", (size_t)-1);
    db_bind_text(st, 5, q->basis ? q->basis : "", (size_t)-1);
    scope_bind(st, sc, p0);
}

static const char *order_of(const struct positive_list_query *q)
{
    const char *s = q->sort ? q->sort : "listed_from";
    if (!strcmp(s, "name")) {
        return q->desc ? "replace(e.name, '长', '常') COLLATE zh DESC, l.id DESC"
                       : "replace(e.name, '长', '常') COLLATE zh, l.id";
    }
    if (!strcmp(s, "region")) {
        return q->desc ? "e.region_code DESC, l.id DESC" : "e.region_code, l.id";
    }
    if (!strcmp(s, "listed_to")) {
        return q->desc ? "l.listed_to DESC, l.id DESC" : "l.listed_to, l.id";
    }
    return q->desc ? "l.listed_from DESC, l.id DESC" : "l.listed_from, l.id";
}

#define LIST_COLS                                                                                  \
    "l.id, l.enterprise_id, e.name AS enterprise_name, e.uscc, e.region_code,"                     \
    " COALESCE((SELECT name FROM regions WHERE code = e.region_code), '') AS region_name,"         \
    " e.category, l.basis, l.listed_from, l.listed_to, l.removed_on, l.removed_reason,"            \
    " l.malicious, l.barred_to, l.rule_set_id, l.rule_version, l.admitted_by_name, l.admitted_at," \
    " l.expired_at, " STATUS_SQL " AS status"

int store_positive_list(struct db *db, const struct scope *sc, const struct positive_list_query *q,
                        struct buf *out)
{
    struct buf sql, pat;
    buf_init(&sql, 1 << 16);
    buf_init(&pat, 1024);
    buf_puts(&sql, "SELECT COUNT(*)");
    list_where(sc, q, &sql, 6);
    struct db_stmt *st;
    int64_t total = 0;
    int rc = db_prepare(db, sql.p, &st);
    if (!rc) {
        list_bind(st, sc, q, &pat, 6);
        rc = db_step_id(st, &total);
    }
    buf_reset(&sql);
    buf_reset(&pat);
    buf_puts(&sql, "SELECT " LIST_COLS);
    list_where(sc, q, &sql, 8);
    buf_printf(&sql, " ORDER BY %s LIMIT ?6 OFFSET ?7", order_of(q));
    rc = rc ? rc : db_prepare(db, sql.p, &st);
    if (!rc) {
        list_bind(st, sc, q, &pat, 8);
        db_bind_int(st, 6, q->limit);
        db_bind_int(st, 7, q->offset);
        buf_puts(out, "{\"items\":");
        rc = db_rows_json(st, 1, 0, out, NULL);
        db_done(st);
        buf_printf(out, ",\"total\":%lld}", (long long)total);
    }
    buf_release(&sql);
    buf_release(&pat);
    return rc;
}

int store_positive_list_scan(struct db *db, const struct scope *sc,
                             const struct positive_list_query *q, size_t max,
                             void (*row)(struct db_stmt *st, void *ctx), void *ctx)
{
    struct buf sql, pat;
    buf_init(&sql, 1 << 16);
    buf_init(&pat, 1024);
    buf_puts(&sql, "SELECT l.id, e.name, e.uscc, COALESCE((SELECT name FROM regions WHERE code ="
                   " e.region_code), ''), l.basis, l.listed_from, l.listed_to,"
                   " COALESCE(l.removed_on, ''), " STATUS_SQL ", l.removed_reason, l.malicious,"
                   " l.rule_version");
    list_where(sc, q, &sql, 7);
    buf_printf(&sql, " ORDER BY %s LIMIT ?6", order_of(q));
    struct db_stmt *st;
    int rc = db_prepare(db, sql.p, &st);
    if (!rc) {
        list_bind(st, sc, q, &pat, 7);
        db_bind_int(st, 6, (int64_t)max);
        rc = db_each(st, row, ctx);
    }
    buf_release(&sql);
    buf_release(&pat);
    return rc;
}

int store_positive_history(struct db *db, int64_t enterprise_id, const char *today, struct buf *out)
{
    struct db_stmt *st;
    int rc =
        db_queryf(db, &st,
                  "SELECT l.id, l.basis, l.listed_from, l.listed_to, l.removed_on,"
                  " l.removed_reason, l.malicious, l.barred_to, l.rule_set_id,"
                  " l.rule_version, l.reasons AS reasons_json, l.nomination_id,"
                  " l.admitted_by_name, l.admitted_at, l.removed_by_name, l.expired_at, " STATUS_SQL
                  " AS status FROM positive_list l WHERE l.enterprise_id = ?2 ORDER BY"
                  " l.listed_from DESC, l.id DESC LIMIT 200",
                  "ti", today, enterprise_id);
    if (rc) {
        return rc;
    }
    buf_puts(out, "{\"entries\":");
    rc = db_rows_json(st, 1, 0, out, NULL);
    db_done(st);
    rc = rc ? rc
            : db_queryf(db, &st,
                        "SELECT n.id, n.reason, n.state, n.case_id, n.rule_set_id,"
                        " n.rule_version, n.nominated_by_name, n.created_at, n.decided_by_name,"
                        " n.decided_at, n.decision_note, n.entry_id FROM positive_nominations n"
                        " WHERE n.enterprise_id = ?1 ORDER BY n.id DESC LIMIT 200",
                        "i", enterprise_id);
    if (!rc) {
        buf_puts(out, ",\"nominations\":");
        rc = db_rows_json(st, 1, 0, out, NULL);
        db_done(st);
        buf_putc(out, '}');
    }
    return rc;
}

/* One integer of a scoped query whose own parameter ?1 is today (the scope from ?2). */
static int scoped_count(struct db *db, const struct scope *sc, const char *fmt, const char *today,
                        int64_t *n)
{
    struct buf cond, sql;
    buf_init(&cond, 1 << 14);
    buf_init(&sql, 1 << 14);
    scope_sql(sc, &cond, 2);
    buf_printf(&sql, fmt, cond.p);
    struct db_stmt *st;
    int rc = db_prepare(db, sql.p, &st);
    if (!rc) {
        db_bind_text(st, 1, today, (size_t)-1);
        scope_bind(st, sc, 2);
        rc = db_step_id(st, n);
    }
    buf_release(&cond);
    buf_release(&sql);
    return rc;
}

int store_positive_summary(struct db *db, const struct scope *sc, const char *today,
                           struct buf *out)
{
    struct buf cond, sql;
    buf_init(&cond, 1 << 14);
    buf_init(&sql, 1 << 16);
    scope_sql(sc, &cond, 2);
    buf_printf(&sql,
               "SELECT " STATUS_SQL " AS s, COUNT(*) FROM positive_list l JOIN enterprises e ON"
               " e.id = l.enterprise_id WHERE %s GROUP BY s ORDER BY s",
               cond.p);
    struct db_stmt *st;
    int rc = db_prepare(db, sql.p, &st);
    buf_puts(out, "{\"by_status\":{");
    if (!rc) {
        db_bind_text(st, 1, today, (size_t)-1);
        scope_bind(st, sc, 2);
        int s, k = 0;
        while ((s = db_step(st)) == DB_ROW) {
            buf_printf(out, "%s\"%s\":%lld", k++ ? "," : "", db_column_text(st, 0, NULL),
                       (long long)db_column_int(st, 1));
        }
        rc = s < 0 ? s : 0;
        db_done(st);
    }
    buf_puts(out, "},\"by_region\":");
    buf_reset(&sql);
    buf_printf(&sql,
               "SELECT e.region_code, COALESCE((SELECT name FROM regions WHERE code ="
               " e.region_code), '') AS region_name, SUM(CASE WHEN l.basis = 'criteria' THEN 1"
               " ELSE 0 END) AS criteria, SUM(CASE WHEN l.basis = 'nomination' THEN 1 ELSE 0"
               " END) AS nomination FROM positive_list l JOIN enterprises e ON e.id ="
               " l.enterprise_id WHERE " IN_FORCE " AND %s GROUP BY e.region_code ORDER BY"
               " e.region_code",
               cond.p);
    rc = rc ? rc : db_prepare(db, sql.p, &st);
    if (!rc) {
        db_bind_text(st, 1, today, (size_t)-1);
        scope_bind(st, sc, 2);
        rc = db_rows_json(st, 1, 0, out, NULL);
        db_done(st);
    }
    int64_t noms = 0, onsite = 0;
    rc = rc ? rc
            : scoped_count(db, sc,
                           "SELECT COUNT(*) FROM positive_nominations n JOIN enterprises e ON e.id"
                           " = n.enterprise_id WHERE n.state = 'pending' AND ?1 <> '' AND %s",
                           today, &noms);
    rc = rc ? rc
            : scoped_count(db, sc,
                           "SELECT COUNT(*) FROM positive_onsite_requests r JOIN enterprises e ON"
                           " e.id = r.enterprise_id WHERE r.state = 'pending' AND ?1 <> '' AND %s",
                           today, &onsite);
    buf_printf(out, ",\"pending_nominations\":%lld,\"pending_onsite\":%lld}", (long long)noms,
               (long long)onsite);
    buf_release(&cond);
    buf_release(&sql);
    return rc;
}

/* ---- nominations ---- */

int store_positive_nomination_insert(struct db *db, int64_t enterprise_id, const char *reason,
                                     int64_t rule_set_id, int rule_version, int64_t by,
                                     const char *by_name, const char *now, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO positive_nominations (enterprise_id, reason, rule_set_id,"
                       " rule_version, nominated_by, nominated_by_name, created_at) VALUES (?1,"
                       " ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                       "itiintt", enterprise_id, reason, rule_set_id, (int64_t)rule_version,
                       by_name, now);
    if (rc) {
        return rc;
    }
    bind_opt_user(st, 5, by);
    return db_step_id(st, id);
}

int store_positive_nomination_set_case(struct db *db, int64_t id, int64_t case_id)
{
    return db_runf(db, "UPDATE positive_nominations SET case_id = ?2 WHERE id = ?1", "ii", id,
                   case_id);
}

int store_positive_nomination_get(struct db *db, int64_t id, struct positive_nomination_row *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, enterprise_id, COALESCE(case_id, 0), rule_set_id, rule_version,"
                       " state, reason FROM positive_nominations WHERE id = ?1",
                       "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        out->id = db_column_int(st, 0);
        out->enterprise_id = db_column_int(st, 1);
        out->case_id = db_column_int(st, 2);
        out->rule_set_id = db_column_int(st, 3);
        out->rule_version = (int)db_column_int(st, 4);
        db_column_copy(st, 5, out->state, sizeof out->state);
        db_column_copy(st, 6, out->reason, sizeof out->reason);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_positive_nomination_decide(struct db *db, int64_t id, const char *state, int64_t entry_id,
                                     int64_t by, const char *by_name, const char *note,
                                     const char *now)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "UPDATE positive_nominations SET state = ?2, entry_id = ?3, decided_by ="
                       " ?4, decided_by_name = ?5, decision_note = ?6, decided_at = ?7 WHERE id ="
                       " ?1 AND state = 'pending'",
                       "itnnttt", id, state, by_name, note ? note : "", now);
    if (rc) {
        return rc;
    }
    bind_opt_user(st, 3, entry_id);
    bind_opt_user(st, 4, by);
    int s = db_step(st);
    db_done(st);
    return s < 0 ? s : db_changes(db) ? 0 : ERR_CONFLICT;
}

int store_positive_nominations(struct db *db, const struct scope *sc, const char *state,
                               struct buf *out)
{
    struct buf sql;
    buf_init(&sql, 1 << 14);
    buf_puts(&sql, "SELECT n.id, n.enterprise_id, e.name AS enterprise_name, e.region_code,"
                   " n.reason, n.state, n.case_id, n.nominated_by_name, n.created_at,"
                   " n.decided_by_name, n.decided_at, n.decision_note, n.entry_id FROM"
                   " positive_nominations n JOIN enterprises e ON e.id = n.enterprise_id WHERE ");
    scope_sql(sc, &sql, 2);
    buf_puts(&sql, " AND (?1 = '' OR n.state = ?1) ORDER BY n.id DESC LIMIT 500");
    struct db_stmt *st;
    int rc = db_prepare(db, sql.p, &st);
    if (!rc) {
        db_bind_text(st, 1, state ? state : "", (size_t)-1);
        scope_bind(st, sc, 2);
        buf_puts(out, "{\"items\":");
        rc = db_rows_json(st, 1, 0, out, NULL);
        buf_putc(out, '}');
        db_done(st);
    }
    buf_release(&sql);
    return rc;
}

/* ---- on-site inspection approval requests ---- */

int store_positive_onsite_insert(struct db *db, const struct positive_onsite_new *n, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO positive_onsite_requests (enterprise_id, entry_id, purpose,"
                       " visit_date, reason, source_kind, source_id, requested_by,"
                       " requested_by_name, requested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
                       " ?9, ?10) RETURNING id",
                       "iitttti", n->enterprise_id, n->entry_id, n->purpose, n->visit_date,
                       n->reason, n->source_kind ? n->source_kind : "", n->source_id);
    if (rc) {
        return rc;
    }
    bind_opt_user(st, 8, n->requested_by);
    db_bind_text(st, 9, n->requested_by_name ? n->requested_by_name : "system", (size_t)-1);
    db_bind_text(st, 10, n->now, (size_t)-1);
    return db_step_id(st, id);
}

int store_positive_onsite_get(struct db *db, int64_t id, struct positive_onsite_row *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT r.id, r.enterprise_id, r.state, r.visit_date, e.region_code,"
                       " r.source_kind, r.source_id FROM positive_onsite_requests r JOIN "
                       "enterprises e ON e.id = r.enterprise_id"
                       " WHERE r.id = ?1",
                       "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        out->id = db_column_int(st, 0);
        out->enterprise_id = db_column_int(st, 1);
        db_column_copy(st, 2, out->state, sizeof out->state);
        db_column_copy(st, 3, out->visit_date, sizeof out->visit_date);
        db_column_copy(st, 4, out->region_code, sizeof out->region_code);
        db_column_copy(st, 5, out->source_kind, sizeof out->source_kind);
        out->source_id = db_column_int(st, 6);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_positive_onsite_pending_of(struct db *db, const char *source_kind, int64_t source_id,
                                     int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT MAX(id) FROM positive_onsite_requests WHERE source_kind = ?1 AND"
                       " source_id = ?2 AND state = 'pending'",
                       "ti", source_kind, source_id);
    return rc ? rc : db_step_id(st, id);
}

int store_positive_onsite_decide(struct db *db, int64_t id, const char *state, int64_t by,
                                 const char *by_name, const char *note, const char *now)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "UPDATE positive_onsite_requests SET state = ?2, decided_by = ?3,"
                       " decided_by_name = ?4, decision_note = ?5, decided_at = ?6 WHERE id = ?1"
                       " AND state = 'pending'",
                       "itnttt", id, state, by_name, note ? note : "", now);
    if (rc) {
        return rc;
    }
    bind_opt_user(st, 3, by);
    int s = db_step(st);
    db_done(st);
    return s < 0 ? s : db_changes(db) ? 0 : ERR_CONFLICT;
}

int store_positive_onsite_approved(struct db *db, int64_t enterprise_id, const char *visit_date,
                                   int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT MAX(id) FROM positive_onsite_requests WHERE enterprise_id = ?1 AND"
                       " visit_date = ?2 AND state = 'approved'",
                       "it", enterprise_id, visit_date);
    return rc ? rc : db_step_id(st, id);
}

int store_positive_onsite_list(struct db *db, const struct scope *sc, const char *state,
                               int64_t enterprise_id, struct buf *out)
{
    struct buf sql;
    buf_init(&sql, 1 << 14);
    buf_puts(&sql, "SELECT r.id, r.enterprise_id, e.name AS enterprise_name, e.region_code,"
                   " r.entry_id, r.purpose, r.visit_date, r.reason, r.source_kind, r.source_id,"
                   " r.state, r.requested_by_name, r.requested_at, r.decided_by_name,"
                   " r.decided_at, r.decision_note FROM positive_onsite_requests r JOIN"
                   " enterprises e ON e.id = r.enterprise_id WHERE ");
    scope_sql(sc, &sql, 3);
    buf_puts(&sql, " AND (?1 = '' OR r.state = ?1) AND (?2 = 0 OR r.enterprise_id = ?2)"
                   " ORDER BY r.id DESC LIMIT 500");
    struct db_stmt *st;
    int rc = db_prepare(db, sql.p, &st);
    if (!rc) {
        db_bind_text(st, 1, state ? state : "", (size_t)-1);
        db_bind_int(st, 2, enterprise_id);
        scope_bind(st, sc, 3);
        buf_puts(out, "{\"items\":");
        rc = db_rows_json(st, 1, 0, out, NULL);
        buf_putc(out, '}');
        db_done(st);
    }
    buf_release(&sql);
    return rc;
}

int store_positive_onsite_todo(struct db *db, const struct scope *sc, size_t limit, struct buf *out,
                               size_t *n, int64_t *total)
{
    struct buf sql;
    buf_init(&sql, 1 << 14);
    buf_puts(&sql, "SELECT COUNT(*) FROM positive_onsite_requests r JOIN enterprises e ON e.id ="
                   " r.enterprise_id WHERE r.state = 'pending' AND r.source_kind = '' AND ");
    scope_sql(sc, &sql, 1);
    struct db_stmt *st;
    int rc = db_prepare(db, sql.p, &st);
    if (!rc) {
        scope_bind(st, sc, 1);
        rc = db_step_id(st, total);
    }
    buf_reset(&sql);
    buf_puts(&sql,
             "SELECT 'positive_onsite' AS source, r.id, '现场检查审批：' || e.name || ' · ' ||"
             " r.visit_date AS title, r.enterprise_id, r.visit_date, 'none' AS clock,"
             " '/positive?tab=onsite' AS href, 'pos_tab_onsite' AS kind_key FROM"
             " positive_onsite_requests r JOIN enterprises e ON e.id = r.enterprise_id"
             " WHERE r.state = 'pending' AND r.source_kind = '' AND ");
    scope_sql(sc, &sql, 2);
    buf_puts(&sql, " ORDER BY r.id LIMIT ?1");
    rc = rc ? rc : db_prepare(db, sql.p, &st);
    if (!rc) {
        db_bind_int(st, 1, (int64_t)limit);
        scope_bind(st, sc, 2);
        rc = db_rows_json(st, 1, 0, out, n);
        db_done(st);
    }
    buf_release(&sql);
    return rc;
}

/* ---- the off-site supervision record ---- */

int store_positive_offsite_insert(struct db *db, int64_t enterprise_id, int64_t entry_id,
                                  const char *kind, const char *seen_on, const char *note,
                                  int64_t by, const char *by_name, const char *now, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO positive_offsite (enterprise_id, entry_id, kind, seen_on,"
                       " note, by_user, by_name, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                       " ?8) RETURNING id",
                       "iitttntt", enterprise_id, entry_id, kind, seen_on, note, by_name, now);
    if (rc) {
        return rc;
    }
    bind_opt_user(st, 6, by);
    return db_step_id(st, id);
}

int store_positive_offsite(struct db *db, int64_t enterprise_id, const char *since_date,
                           const char *since_iso, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, entry_id, kind, seen_on, note, by_name, created_at FROM"
                       " positive_offsite WHERE enterprise_id = ?1 AND seen_on >= ?2 ORDER BY"
                       " seen_on DESC, id DESC LIMIT 500",
                       "it", enterprise_id, since_date);
    if (rc) {
        return rc;
    }
    buf_puts(out, "{\"records\":");
    rc = db_rows_json(st, 1, 0, out, NULL);
    db_done(st);
    rc = rc ? rc
            : db_queryf(db, &st,
                        "SELECT a.id, a.point_id, p.name AS point_name, a.kind, a.factor,"
                        " a.status, a.first_at, a.last_at, a.count, a.value, a.limit_value,"
                        " a.closed_at, a.close_reason FROM alarms a JOIN points p ON p.id ="
                        " a.point_id WHERE a.enterprise_id = ?1 AND a.first_at >= ?2 ORDER BY"
                        " a.first_at DESC, a.id DESC LIMIT 500",
                        "it", enterprise_id, since_iso);
    if (!rc) {
        buf_puts(out, ",\"alarms\":");
        rc = db_rows_json(st, 1, 0, out, NULL);
        db_done(st);
        buf_putc(out, '}');
    }
    return rc;
}

const struct audit_kind positive_audit_kinds[] = {
    {"positive_entry",
     "(SELECT e.name || ' · ' || l.listed_from FROM positive_list l JOIN enterprises e ON e.id ="
     " l.enterprise_id WHERE l.id = ?5)",
     NULL},
    {"positive_nomination",
     "(SELECT e.name FROM positive_nominations n JOIN enterprises e ON e.id = n.enterprise_id"
     " WHERE n.id = ?5)",
     NULL},
    {"positive_onsite_request",
     "(SELECT e.name || ' · ' || r.visit_date FROM positive_onsite_requests r JOIN enterprises e"
     " ON e.id = r.enterprise_id WHERE r.id = ?5)",
     NULL},
    {"positive_offsite",
     "(SELECT e.name || ' · ' || o.seen_on FROM positive_offsite o JOIN enterprises e ON e.id ="
     " o.enterprise_id WHERE o.id = ?5)",
     NULL},
    {0},
};
