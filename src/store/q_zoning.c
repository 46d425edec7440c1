/*
** Queries of 三线一单 zoning (see q_zoning.h): zoning_editions, control_units, zoning_items and
** zoning_consults (migration 022).
*/
#include "store/q_zoning.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "store/backend.h"
#include "store/scope.h"

static const char *const KINDS[] = {"priority", "key", "general", NULL};
static const char *const VERDICTS[] = {"no_unit", "allowed", "conditional", "forbidden", NULL};

static const struct field_def unit_fields[] = {
    {"code", FK_TEXT, FF_SERVER | FF_SORT | FF_SEARCH, 32, NULL, 0, 0},
    {"name", FK_TEXT, FF_SERVER | FF_SORT | FF_SEARCH | FF_ZH, 200, NULL, 0, 0},
    {"kind", FK_ENUM, FF_SERVER | FF_FILTER | FF_SORT, 16, KINDS, 0, 0},
    {"region_code", FK_REGION, FF_SERVER | FF_FILTER | FF_PREFIX | FF_SORT, 12, NULL, 0, 0},
    {"edition_id", FK_INT, FF_SERVER | FF_FILTER, 0, NULL, 0, 0},
    {"sensitive", FK_INT, FF_SERVER | FF_FILTER, 0, NULL, 0, 1},
    {"n_items", FK_INT, FF_SERVER | FF_SORT, 0, NULL, 0, 0},
};

const struct entity_def ENTITY_ZONING_UNIT = {
    "control_unit",
    "control_units",
    "t.id, t.edition_id, (SELECT code FROM zoning_editions WHERE id = t.edition_id) AS edition,"
    " t.code, t.name, t.kind, t.region_code, (SELECT name FROM regions WHERE code ="
    " t.region_code) AS region_name, t.sensitive, t.n_items, t.note, t.created_at",
    unit_fields,
    sizeof unit_fields / sizeof unit_fields[0],
    NULL,
    NULL,
    "code",
    NULL,
    NULL};

static const struct field_def consult_fields[] = {
    {"project_name", FK_TEXT, FF_SERVER | FF_SORT | FF_SEARCH | FF_ZH, 200, NULL, 0, 0},
    {"builder", FK_TEXT, FF_SERVER | FF_SEARCH, 200, NULL, 0, 0},
    {"industry", FK_TEXT, FF_SERVER | FF_FILTER | FF_SORT, 16, NULL, 0, 0},
    {"verdict", FK_ENUM, FF_SERVER | FF_FILTER | FF_SORT, 16, VERDICTS, 0, 0},
    {"enterprise_id", FK_INT, FF_SERVER | FF_FILTER, 0, NULL, 0, 0},
    {"created_at", FK_TEXT, FF_SERVER | FF_SORT, 32, NULL, 0, 0},
};

const struct entity_def ENTITY_ZONING_CONSULT = {
    "zoning_consult",
    "zoning_consults",
    "t.id, t.enterprise_id, (SELECT name FROM enterprises WHERE id = t.enterprise_id) AS"
    " enterprise_name, t.project_name, t.builder, t.industry, t.investment, t.region_code,"
    " t.edition, t.verdict, t.sensitive, t.created_at",
    consult_fields,
    sizeof consult_fields / sizeof consult_fields[0],
    "enterprise_id",
    NULL,
    "-id",
    NULL,
    NULL};

const struct audit_kind zoning_audit_kinds[] = {
    {"zoning_edition", "(SELECT code || ' ' || name FROM zoning_editions WHERE id = ?5)", NULL},
    {"zoning_consult", "(SELECT project_name FROM zoning_consults WHERE id = ?5)",
     "SELECT id FROM zoning_consults WHERE enterprise_id = ?1"},
    {0},
};

#define EDITION_COLS                                                                               \
    "SELECT id, code, name, source, generation, in_force, n_units, n_items FROM zoning_editions"

int store_zoning_edition(struct db *db, const char *code, struct zoning_edition_row *out)
{
    struct db_stmt *st;
    int rc = code && *code ? db_queryf(db, &st, EDITION_COLS " WHERE code = ?1", "t", code)
                           : db_queryf(db, &st, EDITION_COLS " WHERE in_force = 1", "");
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        memset(out, 0, sizeof *out);
        out->id = db_column_int(st, 0);
        db_column_copy(st, 1, out->code, sizeof out->code);
        db_column_copy(st, 2, out->name, sizeof out->name);
        db_column_copy(st, 3, out->source, sizeof out->source);
        out->generation = db_column_int(st, 4);
        out->in_force = db_column_int(st, 5) != 0;
        out->n_units = db_column_int(st, 6);
        out->n_items = db_column_int(st, 7);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

int store_zoning_edition_begin(struct db *db, const char *code, const char *name,
                               const char *source, int64_t user_id, const char *now, int64_t *id,
                               bool *replaced)
{
    struct zoning_edition_row e;
    int rc = store_zoning_edition(db, code, &e);
    *replaced = rc == 0;
    if (rc == ERR_NOTFOUND) {
        struct db_stmt *st;
        rc = db_queryf(
            db, &st,
            "INSERT INTO zoning_editions (code, name, source, imported_by, imported_at,"
            " created_at, updated_at) VALUES (?1, ?2, ?3, NULLIF(?4, 0), ?5, ?5, ?5) RETURNING id",
            "tttit", code, name, source, user_id, now);
        return rc ? rc : db_step_id(st, id);
    }
    if (rc) {
        return rc;
    }
    *id = e.id;
    rc = db_runf(db,
                 "DELETE FROM zoning_items WHERE unit_id IN (SELECT id FROM control_units WHERE"
                 " edition_id = ?1)",
                 "i", e.id);
    rc = rc ? rc : db_runf(db, "DELETE FROM control_units WHERE edition_id = ?1", "i", e.id);
    return rc ? rc
              : db_runf(db,
                        "UPDATE zoning_editions SET name = ?2, source = ?3, imported_by = "
                        "NULLIF(?4, 0),"
                        " imported_at = ?5, updated_at = ?5, generation = generation + 1 WHERE"
                        " id = ?1",
                        "ittit", e.id, name, source, user_id, now);
}

int store_zoning_edition_count(struct db *db, int64_t id)
{
    int rc = db_runf(db,
                     "UPDATE control_units SET n_items = (SELECT COUNT(*) FROM zoning_items i WHERE"
                     " i.unit_id = control_units.id) WHERE edition_id = ?1",
                     "i", id);
    return rc ? rc
              : db_runf(db,
                        "UPDATE zoning_editions SET n_units = (SELECT COUNT(*) FROM control_units"
                        " WHERE edition_id = ?1), n_items = (SELECT COUNT(*) FROM zoning_items i"
                        " JOIN control_units u ON u.id = i.unit_id WHERE u.edition_id = ?1) WHERE"
                        " id = ?1",
                        "i", id);
}

int store_zoning_edition_enact(struct db *db, int64_t id, const char *now)
{
    int rc = db_runf(db,
                     "UPDATE zoning_editions SET in_force = 0, updated_at = ?2 WHERE in_force = 1"
                     " AND id <> ?1",
                     "it", id, now);
    return rc ? rc
              : db_runf(db,
                        "UPDATE zoning_editions SET in_force = 1, updated_at = ?2 WHERE id = ?1",
                        "it", id, now);
}

int store_zoning_editions_json(struct db *db, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT e.id, e.code, e.name, e.source, e.generation, e.in_force, e.n_units,"
                       " e.n_items, e.imported_at, (SELECT display_name FROM users WHERE id ="
                       " e.imported_by) AS imported_by_name FROM zoning_editions e ORDER BY"
                       " e.id DESC LIMIT 200",
                       "");
    if (rc) {
        return rc;
    }
    size_t n;
    rc = db_rows_json(st, 1, 200, out, &n);
    db_done(st);
    return rc;
}

int store_zoning_unit_insert(struct db *db, const struct zoning_unit_new *u, const char *now,
                             int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "INSERT INTO control_units (edition_id, code, name, kind, region_code,"
                       " sensitive, note, geometry, min_lon, min_lat, max_lon, max_lat,"
                       " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
                       " ?13) RETURNING id",
                       "ittttittrrrrt", u->edition_id, u->code, u->name, u->kind,
                       u->region_code ? u->region_code : "", (int64_t)u->sensitive,
                       u->note ? u->note : "", u->geometry, u->min_lon, u->min_lat, u->max_lon,
                       u->max_lat, now);
    return rc ? rc : db_step_id(st, id);
}

int store_zoning_item_insert(struct db *db, const struct zoning_item_new *it)
{
    return db_runf(db,
                   "INSERT INTO zoning_items (unit_id, position, number, dimension, effect,"
                   " industries, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                   "iittttt", it->unit_id, (int64_t)it->position, it->number, it->dimension,
                   it->effect, it->industries ? it->industries : "", it->text);
}

int store_zoning_units_each(struct db *db, int64_t edition_id, db_row_fn fn, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, code, name, kind, region_code, sensitive, geometry, min_lon,"
                       " min_lat, max_lon, max_lat FROM control_units WHERE edition_id = ?1 ORDER"
                       " BY id",
                       "i", edition_id);
    return rc ? rc : db_each(st, fn, ctx);
}

int store_zoning_items_each(struct db *db, int64_t edition_id, db_row_fn fn, void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT i.unit_id, i.number, i.dimension, i.effect, i.industries, i.text"
                       " FROM zoning_items i JOIN control_units u ON u.id = i.unit_id WHERE"
                       " u.edition_id = ?1 ORDER BY i.unit_id, i.position",
                       "i", edition_id);
    return rc ? rc : db_each(st, fn, ctx);
}

int store_zoning_unit_json(struct db *db, int64_t id, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT u.id, u.edition_id, e.code AS edition, e.in_force AS"
                       " edition_in_force, u.code, u.name, u.kind, u.region_code, (SELECT name"
                       " FROM regions WHERE code = u.region_code) AS region_name, u.sensitive,"
                       " u.note, u.n_items, u.min_lon, u.min_lat, u.max_lon, u.max_lat,"
                       " u.geometry AS geometry_json FROM control_units u JOIN zoning_editions e"
                       " ON e.id = u.edition_id WHERE u.id = ?1",
                       "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        db_row_json(st, out);
    }
    db_done(st);
    if (s != DB_ROW) {
        return s < 0 ? s : ERR_NOTFOUND;
    }
    out->len--; /* reopen the object for the items */
    buf_puts(out, ",\"items\":");
    rc = db_queryf(db, &st,
                   "SELECT number, dimension, effect, industries AS industries_list, text FROM"
                   " zoning_items WHERE unit_id = ?1 ORDER BY position",
                   "i", id);
    if (rc) {
        return rc;
    }
    size_t n;
    rc = db_rows_json(st, 1, 0, out, &n);
    db_done(st);
    buf_putc(out, '}');
    return rc;
}

int store_zoning_map_json(struct db *db, int64_t edition_id, size_t max, struct buf *out, size_t *n)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, code, name, kind, sensitive, geometry AS geometry_json FROM"
                       " control_units WHERE edition_id = ?1 ORDER BY kind DESC, id",
                       "i", edition_id);
    if (rc) {
        return rc;
    }
    rc = db_rows_json(st, 1, max, out, n);
    db_done(st);
    return rc;
}

int store_zoning_consult_insert(struct db *db, const struct zoning_consult_new *c, const char *now,
                                int64_t *id)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st,
        "INSERT INTO zoning_consults (enterprise_id, project_name, builder, industry, investment,"
        " region_code, geometry, edition, verdict, sensitive, check_json, notice_json,"
        " created_by, created_at, updated_at) VALUES (NULLIF(?1, 0), ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
        "?9, ?10,"
        " ?11, ?12, NULLIF(?13, 0), ?14, ?14) RETURNING id",
        "itttrttttittit", c->enterprise_id, c->project_name, c->builder, c->industry, c->investment,
        c->region_code, c->geometry, c->edition, c->verdict, (int64_t)c->sensitive, c->check_json,
        c->notice_json, c->created_by, now);
    return rc ? rc : db_step_id(st, id);
}

#define CONSULT_COLS                                                                               \
    "SELECT c.id, COALESCE(c.enterprise_id, 0) AS enterprise_id, c.project_name, c.builder,"       \
    " c.industry, c.region_code, c.verdict, c.sensitive, c.created_at, c.geometry AS"              \
    " geometry_json, c.edition, c.investment, c.check_json, c.notice_json, (SELECT name FROM"      \
    " enterprises WHERE id = c.enterprise_id) AS enterprise_name, (SELECT display_name FROM"       \
    " users WHERE id = c.created_by) AS created_by_name FROM zoning_consults c WHERE c.id = ?1"

int store_zoning_consult_open(struct db *db, int64_t id, struct db_stmt **st)
{
    int rc = db_queryf(db, st, CONSULT_COLS, "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(*st);
    if (s != DB_ROW) {
        db_done(*st);
        return s < 0 ? s : ERR_NOTFOUND;
    }
    return 0;
}

int store_zoning_consult_json(struct db *db, int64_t id, struct buf *out)
{
    struct db_stmt *st;
    int rc = store_zoning_consult_open(db, id, &st);
    if (rc) {
        return rc;
    }
    db_row_json(st, out);
    db_done(st);
    return 0;
}

int store_zoning_enterprise_region(struct db *db, int64_t id, char *region, size_t cap)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT region_code FROM enterprises WHERE id = ?1", "i", id);
    if (rc) {
        return rc;
    }
    int s = db_step(st);
    if (s == DB_ROW) {
        db_column_copy(st, 0, region, cap);
    }
    db_done(st);
    return s < 0 ? s : s == DB_ROW ? 0 : ERR_NOTFOUND;
}

/* The scope of consultations: an enterprise's rows as every scoped entity's, and a row without
   enterprise (a prospective investor) within a regional user's area by its own region. */
static int consult_scope(struct buf *sql, const struct scope *sc, int first)
{
    if (!sc || sc->kind != SCOPE_REGIONS) {
        return store_scope_sql(sql, sc, "c.enterprise_id", NULL, first);
    }
    buf_puts(sql, "((");
    int n = store_scope_sql(sql, sc, "c.enterprise_id", NULL, first);
    buf_puts(sql, ") OR (c.enterprise_id IS NULL AND ");
    n += store_scope_sql(sql, sc, "c.enterprise_id", "c.region_code", first + n);
    buf_puts(sql, "))");
    return n;
}

/* Bind consult_scope's n parameters from first on. */
static int scope_bind(struct db_stmt *st, const struct scope *sc, int first, int n)
{
    int per = store_scope_n_params(sc);
    int rc = per ? store_scope_bind(st, sc, first) : 0;
    return rc || n <= per ? rc : store_scope_bind(st, sc, first + per);
}

static char *like_of(const char *s)
{
    struct buf b;
    buf_init(&b, 4096);
    buf_putc(&b, '%');
    for (; *s; s++) {
        if (*s == '%' || *s == '_' || *s == '\\') {
            buf_putc(&b, '\\');
        }
        buf_putc(&b, *s);
    }
    buf_putc(&b, '%');
    return buf_steal(&b, NULL);
}

int store_zoning_consults_list(struct db *db, const struct scope *sc,
                               const struct zoning_consult_query *q, struct buf *out)
{
    static const char *const SORTS[] = {"id", "project_name", "industry", "verdict", "created_at"};
    const char *sort = "id";
    for (size_t i = 0; q->sort && i < sizeof SORTS / sizeof SORTS[0]; i++) {
        sort = !strcmp(q->sort, SORTS[i]) ? SORTS[i] : sort;
    }
    struct buf where, sql;
    buf_init(&where, 1 << 16);
    buf_init(&sql, 1 << 16);
    buf_puts(&where, " FROM zoning_consults c WHERE ");
    int n = consult_scope(&where, sc, 5);
    buf_puts(&where, " AND (?1 = '' OR c.verdict = ?1) AND (?2 = 0 OR c.enterprise_id = ?2) AND"
                     " (?3 = '%' OR c.project_name LIKE ?3 ESCAPE '\\' OR c.builder LIKE ?3"
                     " ESCAPE '\\')");
    char *pat = like_of(q->q ? q->q : "");
    buf_printf(&sql,
               "SELECT c.id, COALESCE(c.enterprise_id, 0) AS enterprise_id, (SELECT name FROM"
               " enterprises WHERE id = c.enterprise_id) AS enterprise_name, c.project_name,"
               " c.builder, c.industry, c.investment, c.region_code, c.edition, c.verdict,"
               " c.sensitive, c.created_at%s ORDER BY c.%s %s, c.id %s LIMIT ?4",
               where.p, sort, q->desc ? "DESC" : "ASC", q->desc ? "DESC" : "ASC");
    buf_printf(&sql, " OFFSET %lld", (long long)q->offset);
    struct db_stmt *st;
    int rc = db_prepare(db, sql.p, &st);
    bool prepared = rc == 0;
    rc = rc ? rc : db_bind_text(st, 1, q->verdict ? q->verdict : "", (size_t)-1);
    rc = rc ? rc : db_bind_int(st, 2, q->enterprise_id);
    rc = rc ? rc : db_bind_text(st, 3, pat, (size_t)-1);
    rc = rc ? rc : db_bind_int(st, 4, (int64_t)q->limit + 1);
    rc = rc ? rc : scope_bind(st, sc, 5, n);
    if (rc && prepared) {
        db_done(st); /* a failed bind: the statement goes back to the cache finished */
    }
    size_t rows = 0;
    if (!rc) {
        buf_puts(out, "{\"items\":");
        rc = db_rows_json(st, 1, q->limit, out, &rows);
        bool more = rows == q->limit && db_step(st) == DB_ROW;
        db_done(st);
        if (more) {
            buf_printf(out, ",\"next_cursor\":\"%lld\"", (long long)(q->offset + (int64_t)rows));
        } else {
            buf_puts(out, ",\"next_cursor\":null");
        }
    }
    if (!rc && q->with_total) {
        buf_reset(&sql);
        buf_printf(&sql, "SELECT COUNT(*)%s AND ?4 >= 0", where.p);
        rc = db_prepare(db, sql.p, &st);
        prepared = rc == 0;
        rc = rc ? rc : db_bind_text(st, 1, q->verdict ? q->verdict : "", (size_t)-1);
        rc = rc ? rc : db_bind_int(st, 2, q->enterprise_id);
        rc = rc ? rc : db_bind_text(st, 3, pat, (size_t)-1);
        rc = rc ? rc : db_bind_int(st, 4, 0);
        rc = rc ? rc : scope_bind(st, sc, 5, n);
        if (rc && prepared) {
            db_done(st);
        }
        int64_t total = 0;
        rc = rc ? rc : db_step_id(st, &total);
        buf_printf(out, ",\"total\":%lld", (long long)total);
    }
    if (!rc) {
        buf_putc(out, '}');
    }
    free(pat);
    buf_release(&where);
    buf_release(&sql);
    return rc;
}

int store_zoning_dashboard(struct db *db, const struct scope *sc, const char *year_start,
                           struct buf *out)
{
    struct buf sql;
    buf_init(&sql, 1 << 14);
    buf_puts(&sql, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN c.verdict = 'forbidden' THEN 1 ELSE 0"
                   " END), 0) FROM zoning_consults c WHERE c.created_at >= ?1 AND ");
    int n = consult_scope(&sql, sc, 2);
    struct db_stmt *st;
    int rc = db_prepare(db, sql.p, &st);
    bool prepared = rc == 0;
    buf_release(&sql);
    rc = rc ? rc : db_bind_text(st, 1, year_start, (size_t)-1);
    rc = rc ? rc : scope_bind(st, sc, 2, n);
    int64_t v[2] = {0, 0};
    int s = rc ? rc : db_step(st);
    if (s == DB_ROW) {
        v[0] = db_column_int(st, 0);
        v[1] = db_column_int(st, 1);
    }
    if (prepared) {
        db_done(st); /* after a failed bind too */
    }
    struct zoning_edition_row e;
    int k = store_zoning_edition(db, NULL, &e);
    buf_printf(out, ",\"zoning\":{\"consults_year\":%lld,\"forbidden_year\":%lld,\"edition\":",
               (long long)v[0], (long long)v[1]);
    if (k) {
        buf_puts(out, "null");
    } else {
        buf_json_str(out, e.code, strlen(e.code));
    }
    buf_putc(out, '}');
    return rc ? rc : s < 0 ? s : k == ERR_NOTFOUND ? 0 : k;
}
