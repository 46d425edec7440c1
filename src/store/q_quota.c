/*
** The quota module's queries (q_quota.h).
*/
#include "store/q_quota.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "store/qb.h"
#include "store/scope.h"

const struct audit_kind quota_audit_kinds[] = {
    {"quota_lot",
     "(SELECT serial || ' ' || (SELECT name FROM enterprises WHERE id = l.enterprise_id) FROM"
     " quota_lots l WHERE l.id = ?5)",
     "SELECT enterprise_id FROM quota_lots WHERE id = ?1"},
    {"quota_reserve", "'储备库 / reserve'", NULL},
    {"quota_review", "(SELECT project FROM quota_reviews WHERE id = ?5)",
     "SELECT enterprise_id FROM quota_reviews WHERE id = ?1"},
    {"quota_bank", "(SELECT name FROM quota_banks WHERE id = ?5)", NULL},
    {"quota_pledge",
     "(SELECT b.name || ' · ' || e.name FROM quota_pledges p JOIN quota_banks b ON b.id ="
     " p.bank_id JOIN enterprises e ON e.id = p.enterprise_id WHERE p.id = ?5)",
     "SELECT enterprise_id FROM quota_pledges WHERE id = ?1"},
    {0},
};

static const char *const POLL[] = {"cod", "nh3n", "so2", "nox", "vocs"};

static int done_rc(int rc)
{
    return rc == DB_DONE || rc == DB_ROW ? 0 : rc < 0 ? rc : ERR_DB;
}

static int poll_index(const char *p)
{
    for (int i = 0; p && i < 5; i++) {
        if (!strcmp(POLL[i], p)) {
            return i;
        }
    }
    return -1;
}

int store_quota_enterprise(struct db *db, int64_t id, char region[16], char status[16])
{
    struct db_stmt *st;
    int rc =
        db_queryf(db, &st, "SELECT region_code, status FROM enterprises WHERE id = ?1", "i", id);
    if (rc) {
        return rc;
    }
    rc = db_step(st);
    if (rc == DB_ROW) {
        db_column_copy(st, 0, region, 16);
        db_column_copy(st, 1, status, 16);
        rc = 0;
    } else {
        rc = rc == DB_DONE ? ERR_NOTFOUND : ERR_DB;
    }
    db_done(st);
    return rc;
}

int store_quota_lots(struct db *db, int64_t ent, const char *pollutant, struct quota_lot_row *rows,
                     size_t cap, size_t *n)
{
    struct db_stmt *st;
    *n = 0;
    int rc = db_queryf(db, &st,
                       "SELECT id, amount_kg, pledged_kg, valid_from, valid_to, origin, price FROM"
                       " quota_lots WHERE enterprise_id = ?1 AND pollutant = ?2 AND amount_kg > 0"
                       " ORDER BY valid_to, id",
                       "it", ent, pollutant);
    if (rc) {
        return rc;
    }
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == cap) {
            db_done(st);
            return ERR_TOOBIG;
        }
        struct quota_lot_row *l = &rows[(*n)++];
        l->id = db_column_int(st, 0);
        l->amount = db_column_int(st, 1);
        l->pledged = db_column_int(st, 2);
        db_column_copy(st, 3, l->valid_from, sizeof l->valid_from);
        db_column_copy(st, 4, l->valid_to, sizeof l->valid_to);
        db_column_copy(st, 5, l->origin, sizeof l->origin);
        l->price = db_column_real(st, 6);
    }
    db_done(st);
    return done_rc(rc);
}

int store_quota_lot_insert(struct db *db, const struct quota_lot_new *l, const char *now,
                           int64_t *id)
{
    char tmp[48];
    random_token(12, tmp, sizeof tmp);
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO quota_lots (enterprise_id, pollutant, amount_kg, origin,"
                       " valid_from, valid_to, price, serial, parent_id, note, created_at,"
                       " updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?11) RETURNING id",
                       "ititttrtntt", l->enterprise_id, l->pollutant, l->amount, l->origin,
                       l->valid_from, l->valid_to, l->price, tmp, l->note ? l->note : "", now);
    if (!rc && l->parent_id) {
        rc = db_bind_int(st, 9, l->parent_id);
    }
    if (rc) {
        if (st) {
            db_done(st);
        }
        return rc;
    }
    rc = db_step_id(st, id);
    char serial[64];
    snprintf(serial, sizeof serial, "PW-%.4s-%lld-%s-%06lld", l->valid_from,
             (long long)l->enterprise_id, l->pollutant, (long long)*id);
    return rc ? rc
              : db_runf(db, "UPDATE quota_lots SET serial = ?2 WHERE id = ?1", "it", *id, serial);
}

int store_quota_lot_adjust(struct db *db, int64_t id, int64_t d_amount, int64_t d_pledged,
                           const char *now)
{
    int rc = db_runf(db,
                     "UPDATE quota_lots SET amount_kg = amount_kg + ?2, pledged_kg = pledged_kg +"
                     " ?3, updated_at = ?4 WHERE id = ?1",
                     "iiit", id, d_amount, d_pledged, now);
    return rc ? rc : db_changes(db) ? 0 : ERR_NOTFOUND;
}

int store_quota_move(struct db *db, const struct quota_move *m, const char *now)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO quota_movements (kind, pollutant, amount_kg,"
                       " from_enterprise_id, to_enterprise_id, lot_id, price, ref_kind, ref_id,"
                       " note, created_by, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,"
                       "?11,?12)",
                       "ttinnnrtnt"
                       "nt",
                       m->kind, m->pollutant, m->amount, m->price, m->ref_kind ? m->ref_kind : "",
                       m->note ? m->note : "", now);
    const int64_t v[] = {m->from_ent, m->to_ent, m->lot_id};
    for (int i = 0; !rc && i < 3; i++) {
        if (v[i]) {
            rc = db_bind_int(st, 4 + i, v[i]);
        }
    }
    if (!rc && m->ref_id) {
        rc = db_bind_int(st, 9, m->ref_id);
    }
    if (!rc && m->user) {
        rc = db_bind_int(st, 11, m->user);
    }
    rc = rc ? rc : done_rc(db_step(st));
    if (st) {
        db_done(st);
    }
    return rc;
}

int store_quota_reserve(struct db *db, int64_t out[5])
{
    memset(out, 0, 5 * sizeof *out);
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT pollutant, amount_kg FROM quota_reserve", "");
    if (rc) {
        return rc;
    }
    while ((rc = db_step(st)) == DB_ROW) {
        int p = poll_index(db_column_text(st, 0, NULL));
        if (p >= 0) {
            out[p] = db_column_int(st, 1);
        }
    }
    db_done(st);
    return done_rc(rc);
}

int store_quota_reserve_add(struct db *db, const char *pollutant, int64_t delta, const char *now)
{
    if (delta < 0) { /* the row exists (the caller checked the amount); never an insert below 0 */
        int rc = db_runf(db,
                         "UPDATE quota_reserve SET amount_kg = amount_kg + ?2, updated_at = ?3"
                         " WHERE pollutant = ?1",
                         "tit", pollutant, delta, now);
        return rc ? rc : db_changes(db) ? 0 : ERR_CONFLICT;
    }
    return db_runf(db,
                   "INSERT INTO quota_reserve (pollutant, amount_kg, updated_at) VALUES (?1,?2,?3)"
                   " ON CONFLICT (pollutant) DO UPDATE SET amount_kg = quota_reserve.amount_kg +"
                   " excluded.amount_kg, updated_at = excluded.updated_at",
                   "tit", pollutant, delta, now);
}

int store_quota_holdings_json(struct db *db, const struct scope *sc, int64_t ent, size_t cap,
                              struct buf *out, bool *truncated)
{
    struct qb *q = xcalloc(1, sizeof *q);
    qb_init(q);
    qb_int(q, ent);              /* ?1 */
    qb_int(q, (int64_t)cap + 1); /* ?2 */
    buf_puts(&q->sql,
             "SELECT e.id AS enterprise_id, e.name AS enterprise_name, e.region_code, l.pollutant,"
             " SUM(l.amount_kg) AS amount_kg, SUM(l.pledged_kg) AS pledged_kg, COUNT(*) AS lots,"
             " MIN(l.valid_to) AS valid_to FROM quota_lots l JOIN enterprises e ON e.id ="
             " l.enterprise_id WHERE l.amount_kg > 0 AND (?1 = 0 OR e.id = ?1)");
    qb_scope(q, sc, "e.id", "e.region_code");
    buf_puts(&q->sql, " GROUP BY e.id, e.name, e.region_code, l.pollutant ORDER BY e.region_code,"
                      " e.id, l.pollutant LIMIT ?2");
    struct db_stmt *st = NULL;
    int rc = qb_prepare(db, q, &st);
    size_t n = 0;
    rc = rc ? rc : db_rows_json(st, 1, cap, out, &n);
    *truncated = !rc && n >= cap && db_step(st) == DB_ROW; /* the one row past cap */
    if (st) {
        db_done(st);
    }
    buf_release(&q->sql);
    free(q);
    return rc;
}

int store_quota_lots_json(struct db *db, int64_t ent, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, serial, pollutant, amount_kg, pledged_kg, origin, valid_from,"
                       " valid_to, price, parent_id, note, created_at FROM quota_lots WHERE"
                       " enterprise_id = ?1 ORDER BY id DESC LIMIT 500",
                       "i", ent);
    if (rc) {
        return rc;
    }
    size_t n;
    rc = db_rows_json(st, 1, 0, out, &n);
    db_done(st);
    return rc;
}

int store_quota_held(struct db *db, int64_t ent, const char *date, int64_t out[5])
{
    memset(out, 0, 5 * sizeof *out);
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT pollutant, SUM(amount_kg) FROM quota_lots WHERE enterprise_id = ?1"
                       " AND valid_from <= ?2 AND valid_to >= ?2 GROUP BY pollutant",
                       "it", ent, date);
    if (rc) {
        return rc;
    }
    while ((rc = db_step(st)) == DB_ROW) {
        int p = poll_index(db_column_text(st, 0, NULL));
        if (p >= 0) {
            out[p] = db_column_int(st, 1);
        }
    }
    db_done(st);
    return done_rc(rc);
}

int store_quota_moves_json(struct db *db, const struct scope *sc, int64_t ent, int64_t limit,
                           struct buf *out)
{
    struct qb *q = xcalloc(1, sizeof *q);
    qb_init(q);
    qb_int(q, ent);   /* ?1 */
    qb_int(q, limit); /* ?2 */
    buf_puts(&q->sql,
             "SELECT m.id, m.kind, m.pollutant, m.amount_kg, m.from_enterprise_id,"
             " ef.name AS from_name, m.to_enterprise_id, et.name AS to_name, m.lot_id,"
             " l.serial, m.price, m.ref_kind, m.ref_id, m.note, m.created_at FROM quota_movements"
             " m LEFT JOIN enterprises ef ON ef.id = m.from_enterprise_id LEFT JOIN enterprises et"
             " ON et.id = m.to_enterprise_id LEFT JOIN quota_lots l ON l.id = m.lot_id WHERE"
             " (?1 = 0 OR m.from_enterprise_id = ?1 OR m.to_enterprise_id = ?1) AND (EXISTS"
             " (SELECT 1 FROM enterprises e WHERE e.id IN (m.from_enterprise_id,"
             " m.to_enterprise_id)");
    qb_scope(q, sc, "e.id", "e.region_code");
    buf_puts(&q->sql, ")");
    if (sc->kind == SCOPE_ALL) {
        buf_puts(&q->sql, " OR (m.from_enterprise_id IS NULL AND m.to_enterprise_id IS NULL)");
    }
    buf_puts(&q->sql, ") ORDER BY m.id DESC LIMIT ?2");
    struct db_stmt *st = NULL;
    int rc = qb_prepare(db, q, &st);
    size_t n;
    rc = rc ? rc : db_rows_json(st, 1, 0, out, &n);
    if (st) {
        db_done(st);
    }
    buf_release(&q->sql);
    free(q);
    return rc;
}

/* ---------------- reviews ---------------- */

int store_quota_review_insert(struct db *db, const struct quota_review_new *v, const char *now,
                              int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO quota_reviews (enterprise_id, project, approval_ref,"
                       " investment_yuan, livelihood, tier, rule_set_id, submitted_at, created_by)"
                       " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9) RETURNING id",
                       "ittriti"
                       "ti",
                       v->enterprise_id, v->project, v->approval_ref, v->investment_yuan,
                       (int64_t)v->livelihood, v->tier, v->rule_set_id, now, v->user);
    return rc ? rc : db_step_id(st, id);
}

int store_quota_review_item(struct db *db, int64_t review, const char *pollutant, int64_t new_kg,
                            bool missed, double ratio, int64_t required, int64_t reserve_kg,
                            const char *sources_json)
{
    return db_runf(db,
                   "INSERT INTO quota_review_items (review_id, pollutant, new_kg, missed_target,"
                   " ratio, required_kg, reserve_kg, sources_json) VALUES"
                   " (?1,?2,?3,?4,?5,?6,?7,?8)",
                   "itiiriit", review, pollutant, new_kg, (int64_t)missed, ratio, required,
                   reserve_kg, sources_json);
}

static int review_items(struct db *db, int64_t id, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT pollutant, new_kg, missed_target, ratio, required_kg, reserve_kg,"
                       " sources_json, lot_id FROM quota_review_items WHERE review_id = ?1 ORDER"
                       " BY CASE pollutant WHEN 'cod' THEN 0 WHEN 'nh3n' THEN 1 WHEN 'so2' THEN 2"
                       " WHEN 'nox' THEN 3 ELSE 4 END",
                       "i", id);
    if (rc) {
        return rc;
    }
    size_t n;
    rc = db_rows_json(st, 1, 0, out, &n);
    db_done(st);
    return rc;
}

#define REVIEW_COLS                                                                                \
    "SELECT r.id, r.enterprise_id, e.name AS enterprise_name, e.region_code, r.project,"           \
    " r.approval_ref, r.investment_yuan, r.livelihood, r.tier, r.state, r.rule_set_id,"            \
    " r.submitted_at, r.served_at FROM quota_reviews r JOIN enterprises e ON e.id ="               \
    " r.enterprise_id"

int store_quota_review_json(struct db *db, int64_t id, int64_t *ent, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, REVIEW_COLS " WHERE r.id = ?1", "i", id);
    if (rc) {
        return rc;
    }
    rc = db_step(st);
    if (rc != DB_ROW) {
        db_done(st);
        return rc == DB_DONE ? ERR_NOTFOUND : ERR_DB;
    }
    *ent = db_column_int(st, 1);
    db_row_json(st, out);
    db_done(st);
    out->len--;
    buf_puts(out, ",\"items\":");
    rc = review_items(db, id, out);
    buf_putc(out, '}');
    return rc;
}

struct idlist {
    int64_t *ids;
    size_t n, cap;
};

int store_quota_reviews_json(struct db *db, const struct scope *sc, struct buf *out)
{
    struct qb *q = xcalloc(1, sizeof *q);
    qb_init(q);
    buf_puts(&q->sql, "SELECT r.id FROM quota_reviews r JOIN enterprises e ON e.id ="
                      " r.enterprise_id WHERE 1 = 1");
    qb_scope(q, sc, "e.id", "e.region_code");
    buf_puts(&q->sql, " ORDER BY r.id DESC LIMIT 500");
    struct db_stmt *st = NULL;
    int rc = qb_prepare(db, q, &st);
    int64_t *ids = xcalloc(500, sizeof *ids);
    size_t n = 0;
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        rc = 0;
        ids[n++] = db_column_int(st, 0);
    }
    if (st) {
        db_done(st);
    }
    rc = done_rc(rc);
    buf_release(&q->sql);
    free(q);
    buf_putc(out, '[');
    for (size_t i = 0; !rc && i < n; i++) {
        int64_t ent;
        if (i) {
            buf_putc(out, ',');
        }
        rc = store_quota_review_json(db, ids[i], &ent, out);
    }
    buf_putc(out, ']');
    free(ids);
    return rc;
}

int store_quota_claims_each(struct db *db, quota_claim_fn fn, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT r.id, r.enterprise_id, r.tier, r.submitted_at, i.pollutant,"
                       " i.reserve_kg FROM quota_reviews r JOIN quota_review_items i ON"
                       " i.review_id = r.id WHERE r.state = 'waiting' ORDER BY r.id",
                       "");
    if (rc) {
        return rc;
    }
    int64_t cur = 0, ent = 0, need[5] = {0};
    char tier[16] = "", at[32] = "";
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t id = db_column_int(st, 0);
        if (cur && id != cur) {
            fn(cur, ent, tier, at, need, ctx);
            memset(need, 0, sizeof need);
        }
        cur = id;
        ent = db_column_int(st, 1);
        db_column_copy(st, 2, tier, sizeof tier);
        db_column_copy(st, 3, at, sizeof at);
        int p = poll_index(db_column_text(st, 4, NULL));
        if (p >= 0) {
            need[p] += db_column_int(st, 5);
        }
    }
    db_done(st);
    if (cur && rc == DB_DONE) {
        fn(cur, ent, tier, at, need, ctx);
    }
    return done_rc(rc);
}

int store_quota_review_served(struct db *db, int64_t id, const char *now)
{
    return db_runf(db,
                   "UPDATE quota_reviews SET state = 'served', served_at = ?2 WHERE id = ?1 AND"
                   " state = 'waiting'",
                   "it", id, now);
}

int store_quota_review_item_lot(struct db *db, int64_t review, const char *pollutant, int64_t lot)
{
    return db_runf(db,
                   "UPDATE quota_review_items SET lot_id = ?3 WHERE review_id = ?1 AND pollutant"
                   " = ?2",
                   "iti", review, pollutant, lot);
}

/* ---------------- banks and pledges ---------------- */

int store_quota_bank_insert(struct db *db, const char *name, const char *now, int64_t *id)
{
    struct db_stmt *st;
    int rc =
        db_queryf(db, &st, "INSERT INTO quota_banks (name, created_at) VALUES (?1,?2) RETURNING id",
                  "tt", name, now);
    return rc ? rc : db_step_id(st, id);
}

int store_quota_banks_json(struct db *db, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT b.id, b.name, b.created_at, (SELECT COUNT(*) FROM quota_bank_users"
                       " u WHERE u.bank_id = b.id) AS users FROM quota_banks b ORDER BY b.id",
                       "");
    if (rc) {
        return rc;
    }
    size_t n;
    rc = db_rows_json(st, 1, 0, out, &n);
    db_done(st);
    return rc;
}

bool store_quota_bank_exists(struct db *db, int64_t id)
{
    struct db_stmt *st;
    if (db_queryf(db, &st, "SELECT 1 FROM quota_banks WHERE id = ?1", "i", id)) {
        return false;
    }
    bool ok = db_step(st) == DB_ROW;
    db_done(st);
    return ok;
}

int store_quota_bank_user(struct db *db, int64_t user, int64_t bank)
{
    return db_runf(db,
                   "INSERT INTO quota_bank_users (user_id, bank_id) VALUES (?1,?2) ON CONFLICT"
                   " (user_id) DO UPDATE SET bank_id = excluded.bank_id",
                   "ii", user, bank);
}

void store_quota_user_role(struct db *db, int64_t user, char role[16])
{
    struct db_stmt *st;
    role[0] = 0;
    if (!db_queryf(db, &st, "SELECT role FROM users WHERE id = ?1", "i", user)) {
        if (db_step(st) == DB_ROW) {
            db_column_copy(st, 0, role, 16);
        }
        db_done(st);
    }
}

int64_t store_quota_user_bank(struct db *db, int64_t user)
{
    struct db_stmt *st;
    int64_t id = 0;
    if (!db_queryf(db, &st, "SELECT bank_id FROM quota_bank_users WHERE user_id = ?1", "i", user)) {
        db_step_id(st, &id);
    }
    return id;
}

int store_quota_pledge_insert(struct db *db, const struct quota_pledge_new *p, const char *now,
                              int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO quota_pledges (enterprise_id, bank_id, pollutant, amount_kg,"
                       " appraised_yuan, requested_yuan, rule_set_id, note, created_by,"
                       " created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?10)"
                       " RETURNING id",
                       "iitirriti"
                       "t",
                       p->enterprise_id, p->bank_id, p->pollutant, p->amount, p->appraised,
                       p->requested, p->rule_set_id, p->note ? p->note : "", p->user, now);
    return rc ? rc : db_step_id(st, id);
}

int store_quota_pledge_get(struct db *db, int64_t id, struct quota_pledge_row *p)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, enterprise_id, bank_id, amount_kg, rule_set_id, appraised_yuan,"
                       " requested_yuan, pollutant, state FROM quota_pledges WHERE id = ?1",
                       "i", id);
    if (rc) {
        return rc;
    }
    rc = db_step(st);
    if (rc == DB_ROW) {
        p->id = db_column_int(st, 0);
        p->enterprise_id = db_column_int(st, 1);
        p->bank_id = db_column_int(st, 2);
        p->amount = db_column_int(st, 3);
        p->rule_set_id = db_column_int(st, 4);
        p->appraised = db_column_real(st, 5);
        p->requested = db_column_real(st, 6);
        db_column_copy(st, 7, p->pollutant, sizeof p->pollutant);
        db_column_copy(st, 8, p->state, sizeof p->state);
        rc = 0;
    } else {
        rc = rc == DB_DONE ? ERR_NOTFOUND : ERR_DB;
    }
    db_done(st);
    return rc;
}

#define PLEDGE_COLS                                                                                \
    "SELECT p.id, p.enterprise_id, e.name AS enterprise_name, e.region_code, p.bank_id,"           \
    " b.name AS bank_name, p.pollutant, p.amount_kg, p.appraised_yuan, p.requested_yuan,"          \
    " p.state, p.reasons AS reasons_list, p.credit_grade, p.major_incident, p.checked_at,"         \
    " p.loan_yuan, p.rate_percent, p.decided_at, p.registration_no, p.registered_at,"              \
    " p.released_at, p.rule_set_id, p.note, p.created_at, p.updated_at FROM quota_pledges p JOIN"  \
    " enterprises e ON e.id = p.enterprise_id JOIN quota_banks b ON b.id = p.bank_id"

int store_quota_pledge_json(struct db *db, int64_t id, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, PLEDGE_COLS " WHERE p.id = ?1", "i", id);
    if (rc) {
        return rc;
    }
    rc = db_step(st);
    if (rc == DB_ROW) {
        db_row_json(st, out);
        rc = 0;
    } else {
        rc = rc == DB_DONE ? ERR_NOTFOUND : ERR_DB;
    }
    db_done(st);
    return rc;
}

int store_quota_pledges_json(struct db *db, const struct scope *sc, int64_t bank, int64_t ent,
                             struct buf *out)
{
    struct qb *q = xcalloc(1, sizeof *q);
    qb_init(q);
    qb_int(q, bank); /* ?1 */
    qb_int(q, ent);  /* ?2 */
    buf_puts(&q->sql, PLEDGE_COLS " WHERE (?2 = 0 OR p.enterprise_id = ?2)");
    if (bank) {
        buf_puts(&q->sql, " AND p.bank_id = ?1");
    } else {
        qb_scope(q, sc, "e.id", "e.region_code");
    }
    buf_puts(&q->sql, " ORDER BY p.id DESC LIMIT 500");
    struct db_stmt *st = NULL;
    int rc = qb_prepare(db, q, &st);
    size_t n;
    rc = rc ? rc : db_rows_json(st, 1, 0, out, &n);
    if (st) {
        db_done(st);
    }
    buf_release(&q->sql);
    free(q);
    return rc;
}

int store_quota_pledge_checked(struct db *db, int64_t id, const char *state, const char *reasons,
                               const char *grade, bool incident, int64_t user, const char *now)
{
    return db_runf(db,
                   "UPDATE quota_pledges SET state = ?2, reasons = ?3, credit_grade = ?4,"
                   " major_incident = ?5, checked_by = ?6, checked_at = ?7, updated_at = ?7"
                   " WHERE id = ?1",
                   "ittt"
                   "iit",
                   id, state, reasons, grade, (int64_t)incident, user, now);
}

int store_quota_pledge_decided(struct db *db, int64_t id, const char *state, double loan,
                               double rate, const char *note, int64_t user, const char *now)
{
    return db_runf(db,
                   "UPDATE quota_pledges SET state = ?2, loan_yuan = ?3, rate_percent = ?4, note"
                   " = ?5, decided_by = ?6, decided_at = ?7, updated_at = ?7 WHERE id = ?1",
                   "itrrtit", id, state, loan, rate, note, user, now);
}

int store_quota_pledge_registered(struct db *db, int64_t id, const char *reg_no, const char *now)
{
    return db_runf(db,
                   "UPDATE quota_pledges SET state = 'registered', registration_no = ?2,"
                   " registered_at = ?3, updated_at = ?3 WHERE id = ?1",
                   "itt", id, reg_no, now);
}

int store_quota_pledge_released(struct db *db, int64_t id, const char *now)
{
    return db_runf(db,
                   "UPDATE quota_pledges SET state = 'released', released_at = ?2, updated_at ="
                   " ?2 WHERE id = ?1",
                   "it", id, now);
}

int store_quota_pledge_lot(struct db *db, int64_t pledge, int64_t lot, int64_t amount)
{
    return db_runf(db,
                   "INSERT INTO quota_pledge_lots (pledge_id, lot_id, amount_kg) VALUES"
                   " (?1,?2,?3)",
                   "iii", pledge, lot, amount);
}

int store_quota_pledge_lots_each(struct db *db, int64_t pledge, quota_plot_fn fn, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT lot_id, amount_kg FROM quota_pledge_lots WHERE pledge_id = ?1"
                       " ORDER BY lot_id",
                       "i", pledge);
    if (rc) {
        return rc;
    }
    int64_t lots[64], amt[64];
    size_t n = 0;
    while ((rc = db_step(st)) == DB_ROW && n < 64) {
        lots[n] = db_column_int(st, 0);
        amt[n++] = db_column_int(st, 1);
    }
    db_done(st);
    for (size_t i = 0; i < n; i++) {
        fn(lots[i], amt[i], ctx);
    }
    return done_rc(rc);
}

/* ---------------- emissions ---------------- */

int store_quota_emissions(struct db *db, const struct scope *sc, int64_t ent, const char *at,
                          const char *year, const char *const *factors, int n,
                          quota_held_fn held_fn, quota_cou_fn point_fn, void *ctx)
{
    struct qb *q = xcalloc(1, sizeof *q);
    qb_init(q);
    qb_int(q, ent); /* ?1 */
    qb_text(q, at); /* ?2 */
    buf_puts(&q->sql, "SELECT l.enterprise_id, l.pollutant, SUM(l.amount_kg) FROM quota_lots l"
                      " JOIN enterprises e ON e.id = l.enterprise_id WHERE (?1 = 0 OR e.id = ?1)"
                      " AND l.valid_from <= ?2 AND l.valid_to >= ?2");
    qb_scope(q, sc, "e.id", "e.region_code");
    buf_puts(&q->sql, " GROUP BY l.enterprise_id, l.pollutant ORDER BY l.enterprise_id");
    struct db_stmt *st = NULL;
    int rc = qb_prepare(db, q, &st);
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        rc = 0;
        held_fn(db_column_int(st, 0), db_column_text(st, 1, NULL), db_column_int(st, 2), ctx);
    }
    if (st) {
        db_done(st);
        st = NULL;
    }
    rc = rc == DB_DONE ? 0 : rc;
    char from[24], to[24];
    snprintf(from, sizeof from, "%.4s-01-01 00:00:00", year);
    snprintf(to, sizeof to, "%.4s-12-31 23:59:59", year);
    buf_release(&q->sql);
    qb_init(q);
    qb_int(q, ent);   /* ?1 */
    qb_text(q, from); /* ?2 */
    qb_text(q, to);   /* ?3 */
    /* per point, day and factor the day's Cou, else its Avg × the day's flow Cou (m³): mg/L ×
       m³ / 1000 for water (w…), mg/m³ × m³ / 10⁶ for gas (a…). The readings are reached from
       the points in scope (the key's point_id, cn, data_time prefix), never scanned whole. */
    buf_puts(&q->sql,
             "SELECT x.ent, x.factor, x.pid, x.pname, SUM(CASE WHEN x.cou IS NOT NULL THEN x.cou"
             " ELSE x.avg * f.value / CASE WHEN SUBSTR(x.factor,1,1) = 'w' THEN 1000.0 ELSE"
             " 1000000.0 END END), COUNT(*) FROM (SELECT p.enterprise_id AS ent, p.id AS pid,"
             " p.name AS pname, r.data_time, r.factor, MAX(CASE WHEN r.kind = 'Cou' THEN r.value"
             " END) AS cou, MAX(CASE WHEN r.kind = 'Avg' THEN r.value END) AS avg FROM points p"
             " JOIN enterprises e ON e.id = p.enterprise_id JOIN readings r ON r.point_id = p.id"
             " AND r.cn = '2031' AND r.data_time >= ?2 AND r.data_time <= ?3 WHERE ?1 = ?1 AND"
             " r.kind IN ('Cou','Avg') AND r.factor IN (''");
    for (int i = 0; i < n; i++) {
        buf_printf(&q->sql, ",?%d", qb_text(q, factors[i]));
    }
    buf_puts(&q->sql, ")");
    if (ent) { /* a plain equality, so the planner goes from the firm's points to its readings */
        buf_puts(&q->sql, " AND p.enterprise_id = ?1");
    }
    qb_scope(q, sc, "e.id", "e.region_code");
    buf_puts(&q->sql,
             " GROUP BY p.enterprise_id, p.id, p.name, r.data_time, r.factor) x LEFT JOIN"
             " readings f ON f.point_id = x.pid AND f.cn = '2031' AND f.data_time = x.data_time"
             " AND f.kind = 'Cou' AND f.factor = CASE WHEN SUBSTR(x.factor,1,1) = 'w' THEN"
             " 'w00000' ELSE 'a00000' END WHERE x.cou IS NOT NULL OR (x.avg IS NOT NULL AND"
             " f.value IS NOT NULL) GROUP BY x.ent, x.factor, x.pid, x.pname ORDER BY x.ent,"
             " x.pid");
    rc = rc ? rc : qb_prepare(db, q, &st);
    while (!rc && (rc = db_step(st)) == DB_ROW) {
        rc = 0;
        const char *f = db_column_text(st, 1, NULL);
        for (int i = 0; f && i < n; i++) {
            if (!strcmp(f, factors[i])) {
                point_fn(db_column_int(st, 0), i, db_column_int(st, 2), db_column_text(st, 3, NULL),
                         db_column_real(st, 4), db_column_int(st, 5), ctx);
            }
        }
    }
    if (st) {
        db_done(st);
    }
    buf_release(&q->sql);
    free(q);
    return rc == DB_DONE ? 0 : rc < 0 ? rc : rc ? ERR_DB : 0;
}

/* ---------------- demo ---------------- */

static int demo_lot(struct db *db, int64_t ent, const char *poll, int64_t kg, const char *origin,
                    double price, int64_t user, const char *now, int64_t *id)
{
    struct quota_lot_new l = {.enterprise_id = ent,
                              .pollutant = poll,
                              .origin = origin,
                              .valid_from = "2026-01-01",
                              .valid_to = "2030-12-31",
                              .note = !strcmp(origin, "initial") ? "2026–2030 年初始排污权核定"
                                                                 : "有偿使用",
                              .amount = kg,
                              .price = price};
    int rc = store_quota_lot_insert(db, &l, now, id);
    struct quota_move m = {.kind = !strcmp(origin, "initial") ? "allocate" : "purchase",
                           .pollutant = poll,
                           .amount = kg,
                           .to_ent = ent,
                           .lot_id = *id,
                           .price = price,
                           .note = l.note,
                           .user = user};
    return rc ? rc : store_quota_move(db, &m, now);
}

int store_quota_demo(struct db *db, const char *today, int *n)
{
    char now[32];
    snprintf(now, sizeof now, "%sT01:00:00Z", today);
    *n = 0;
    struct db_stmt *st;
    int64_t have = 0, admin = 0, own = 0, rs = 0;
    int rc = db_queryf(db, &st, "SELECT COUNT(*) FROM quota_banks", "");
    rc = rc ? rc : db_step_id(st, &have);
    if (rc || have) {
        return rc;
    }
    rc = db_queryf(db, &st, "SELECT MIN(id) FROM users WHERE username = 'admin'", "");
    rc = rc ? rc : db_step_id(st, &admin);
    rc = rc ? rc
            : db_queryf(db, &st,
                        "SELECT MIN(enterprise_id) FROM users WHERE username = 'enterprise'", "");
    rc = rc ? rc : db_step_id(st, &own);
    rc = rc ? rc
            : db_queryf(db, &st, "SELECT MIN(id) FROM rule_sets WHERE kind = 'quota.rights'", "");
    rc = rc ? rc : db_step_id(st, &rs);
    if (rc || !admin || !rs) {
        return rc;
    }
    static const int64_t reserve[5] = {50000, 5000, 80000, 120000, 0};
    for (int p = 0; !rc && p < 4; p++) {
        rc = store_quota_reserve_add(db, POLL[p], reserve[p], now);
        struct quota_move m = {.kind = "reserve_add",
                               .pollutant = POLL[p],
                               .amount = reserve[p],
                               .note = "关停企业收回排污权入储备库（演示）",
                               .user = admin};
        rc = rc ? rc : store_quota_move(db, &m, now);
    }
    int64_t ids[31];
    size_t k = 0;
    if (own) {
        ids[k++] = own;
    }
    rc = rc ? rc
            : db_queryf(db, &st,
                        "SELECT id FROM enterprises WHERE status = 'active' AND region_code ="
                        " '330502' AND id <> ?1 ORDER BY id LIMIT 29",
                        "i", own);
    while (!rc && k < 31 && db_step(st) == DB_ROW) {
        ids[k++] = db_column_int(st, 0);
    }
    if (!rc) {
        db_done(st);
    }
    for (size_t i = 0; !rc && i < k; i++) {
        int64_t e = ids[i], id;
        const int64_t amt[4] = {5000 + e % 20 * 1000, 500 + e % 10 * 100, 10000 + e % 30 * 1000,
                                15000 + e % 40 * 1000};
        for (int p = 0; !rc && p < 4; p++) {
            rc = demo_lot(db, e, POLL[p], amt[p], "initial", 0, admin, now, &id);
        }
        if (!rc && i % 4 == 1) {
            rc = demo_lot(db, e, "nox", 3000, "purchase", 4200, admin, now, &id);
        }
    }
    *n = (int)k;
    /* a trade: the second firm sells 2 t/a of COD to the third */
    if (!rc && k >= 3) {
        struct quota_lot_row row[4];
        size_t nr = 0;
        rc = store_quota_lots(db, ids[1], "cod", row, 4, &nr);
        int64_t id = 0;
        if (!rc && nr) {
            rc = store_quota_lot_adjust(db, row[0].id, -2000, 0, now);
            struct quota_lot_new l = {.enterprise_id = ids[2],
                                      .parent_id = row[0].id,
                                      .pollutant = "cod",
                                      .origin = "trade",
                                      .valid_from = "2026-01-01",
                                      .valid_to = "2030-12-31",
                                      .note = "排污权交易（演示）",
                                      .amount = 2000,
                                      .price = 6000};
            rc = rc ? rc : store_quota_lot_insert(db, &l, now, &id);
            struct quota_move m = {.kind = "trade",
                                   .pollutant = "cod",
                                   .amount = 2000,
                                   .from_ent = ids[1],
                                   .to_ent = ids[2],
                                   .lot_id = id,
                                   .price = 6000,
                                   .note = l.note,
                                   .user = admin};
            rc = rc ? rc : store_quota_move(db, &m, now);
        }
    }
    /* two reviews waiting for the reserve */
    struct quota_review_new rv[2] = {
        {.enterprise_id = k > 3 ? ids[3] : own,
         .rule_set_id = rs,
         .user = admin,
         .project = "年产 30 万吨高端化纤新材料项目",
         .approval_ref = "湖吴环建〔2026〕12号",
         .tier = "full",
         .investment_yuan = 6.2e9},
        {.enterprise_id = k > 4 ? ids[4] : own,
         .rule_set_id = rs,
         .user = admin,
         .project = "城区污水处理厂扩建工程",
         .approval_ref = "湖吴环建〔2026〕15号",
         .tier = "livelihood",
         .investment_yuan = 3.5e8,
         .livelihood = true},
    };
    for (int i = 0; !rc && i < 2 && rv[i].enterprise_id; i++) {
        int64_t id;
        rc = store_quota_review_insert(db, &rv[i], now, &id);
        rc = rc ? rc
                : store_quota_review_item(db, id, i ? "cod" : "nox", i ? 8000 : 20000, i == 0,
                                          i ? 1.0 : 2.0, i ? 8000 : 40000, i ? 8000 : 30000,
                                          i ? "[{\"kind\":\"reserve\",\"amount_kg\":8000,\"note\":"
                                              "\"\"}]"
                                            : "[{\"kind\":\"reduction\",\"amount_kg\":10000,"
                                              "\"note\":\"燃煤锅炉淘汰\"},{\"kind\":\"reserve\","
                                              "\"amount_kg\":30000,\"note\":\"\"}]");
    }
    /* banks, the bank user (the demo password: admin's hash) and a registered pledge */
    int64_t bank = 0, user = 0, pledge = 0;
    rc = rc ? rc : store_quota_bank_insert(db, "湖州银行吴兴支行", now, &bank);
    int64_t other = 0;
    rc = rc ? rc : store_quota_bank_insert(db, "浙江吴兴农村商业银行", now, &other);
    rc = rc ? rc
            : db_queryf(db, &st,
                        "INSERT INTO users (username, display_name, role, password_hash,"
                        " password_changed_at, created_at, updated_at) SELECT 'bank', '湖州银行"
                        " 信贷部 钱敏', 'bank', password_hash, ?1, ?1, ?1 FROM users WHERE id = ?2"
                        " RETURNING id",
                        "ti", now, admin);
    rc = rc ? rc : db_step_id(st, &user);
    rc = rc ? rc : user ? store_quota_bank_user(db, user, bank) : 0;
    if (!rc && own) {
        struct quota_pledge_new pn = {.enterprise_id = own,
                                      .bank_id = bank,
                                      .amount = 3000,
                                      .rule_set_id = rs,
                                      .user = admin,
                                      .pollutant = "cod",
                                      .note = "流动资金贷款（演示）",
                                      .appraised = 150000,
                                      .requested = 100000};
        rc = store_quota_pledge_insert(db, &pn, now, &pledge);
        rc = rc ? rc : store_quota_pledge_checked(db, pledge, "checked", "", "", false, admin, now);
        rc = rc ? rc
                : store_quota_pledge_decided(db, pledge, "approved", 100000, 3.85, "",
                                             user ? user : admin, now);
        struct quota_lot_row row[4];
        size_t nr = 0;
        rc = rc ? rc : store_quota_lots(db, own, "cod", row, 4, &nr);
        if (!rc && nr) {
            rc = store_quota_lot_adjust(db, row[0].id, 0, 3000, now);
            rc = rc ? rc : store_quota_pledge_lot(db, pledge, row[0].id, 3000);
            struct quota_move m = {.kind = "pledge",
                                   .pollutant = "cod",
                                   .amount = 3000,
                                   .from_ent = own,
                                   .lot_id = row[0].id,
                                   .ref_kind = "quota_pledge",
                                   .ref_id = pledge,
                                   .user = admin};
            rc = rc ? rc : store_quota_move(db, &m, now);
            char reg[40];
            snprintf(reg, sizeof reg, "PWZY-%.4s-%06lld", today, (long long)pledge);
            rc = rc ? rc : store_quota_pledge_registered(db, pledge, reg, now);
        }
    }
    return rc;
}
