/*
** Reference code tables (GB/T 2260 regions, GB/T 4754 industries, HJ 212 pollutant codes)
** and the stored working-day calendar years.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "store/store.h"

static bool known_table(const char *t)
{
    return !strcmp(t, "regions") || !strcmp(t, "industries") || !strcmp(t, "pollutants");
}

int store_codes_count(struct db *db, const char *table, int64_t *n)
{
    if (!known_table(table)) {
        return ERR_INPUT;
    }
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
    struct db_stmt *st;
    int rc = db_prepare(db, sql, &st);
    if (rc) {
        return rc;
    }
    *n = db_step(st) == DB_ROW ? db_column_int(st, 0) : 0;
    db_done(st);
    return 0;
}

int store_code_insert(struct db *db, const char *table, const char *const *f, size_t n)
{
    const char *sql;
    size_t want;
    if (!strcmp(table, "pollutants")) {
        sql = "INSERT INTO pollutants (code, name, unit, amount_unit, code_2005, medium,"
              " table_name) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
        want = 7;
    } else if (!strcmp(table, "regions")) {
        sql = "INSERT INTO regions (code, name, parent_code, level) VALUES (?1, ?2, ?3, ?4)";
        want = 4;
    } else if (!strcmp(table, "industries")) {
        sql = "INSERT INTO industries (code, name, parent_code, level) VALUES (?1, ?2, ?3, ?4)";
        want = 4;
    } else {
        return ERR_INPUT;
    }
    if (n != want) {
        return ERR_INPUT;
    }
    struct db_stmt *st;
    int rc = db_prepare(db, sql, &st);
    if (rc) {
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        if (want == 4 && i == 3) {
            int64_t level = 0;
            parse_i64(f[i], strlen(f[i]), &level);
            db_bind_int(st, 4, level);
        } else if (want == 4 && i == 2 && !*f[i]) {
            db_bind_null(st, 3);
        } else {
            db_bind_text(st, (int)i + 1, f[i], (size_t)-1);
        }
    }
    int s = db_step(st);
    db_done(st);
    return s < 0 ? s : 0;
}

int store_codes_list(struct db *db, const char *table, const char *q, const char *parent,
                     size_t limit, struct buf *out)
{
    const char *sql;
    if (!strcmp(table, "pollutants")) {
        sql = "SELECT code, name, unit, amount_unit, code_2005, medium FROM pollutants"
              " WHERE (?1 IS NULL OR code LIKE ?1 || '%' OR code_2005 = ?1 OR name LIKE '%' || ?1 "
              "|| '%')"
              " AND (?2 IS NULL OR medium = ?2) ORDER BY code LIMIT ?3";
    } else if (!strcmp(table, "regions")) {
        sql = "SELECT code, name, parent_code, level FROM regions"
              " WHERE (?1 IS NULL OR code LIKE ?1 || '%' OR name LIKE '%' || ?1 || '%')"
              " AND (?2 IS NULL OR parent_code = ?2) ORDER BY code LIMIT ?3";
    } else if (!strcmp(table, "industries")) {
        sql = "SELECT code, name, parent_code, level FROM industries"
              " WHERE (?1 IS NULL OR code LIKE ?1 || '%' OR name LIKE '%' || ?1 || '%')"
              " AND (?2 IS NULL OR parent_code = ?2) ORDER BY code LIMIT ?3";
    } else {
        return ERR_INPUT;
    }
    struct db_stmt *st;
    int rc = db_prepare(db, sql, &st);
    if (rc) {
        return rc;
    }
    db_bind_text(st, 1, q && *q ? q : NULL, (size_t)-1);
    db_bind_text(st, 2, parent && *parent ? parent : NULL, (size_t)-1);
    db_bind_int(st, 3, (int64_t)limit);
    buf_puts(out, "{\"items\":");
    rc = db_rows_json(st, 1, 0, out, NULL);
    buf_putc(out, '}');
    db_done(st);
    return rc;
}

int store_calendar_put(struct db *db, int year, const char *source, const char *body,
                       const char *by)
{
    struct db_stmt *st;
    int rc = db_prepare(db, "DELETE FROM calendar_years WHERE year = ?1", &st);
    if (rc) {
        return rc;
    }
    db_bind_int(st, 1, year);
    int s = db_step(st);
    db_done(st);
    if (s < 0) {
        return s;
    }
    rc = db_prepare(db,
                    "INSERT INTO calendar_years (year, source, body, loaded_at, loaded_by)"
                    " VALUES (?1, ?2, ?3, ?4, ?5)",
                    &st);
    if (rc) {
        return rc;
    }
    char now[32];
    time_iso(wall_ms() / 1000, now);
    db_bind_int(st, 1, year);
    db_bind_text(st, 2, source ? source : "", (size_t)-1);
    db_bind_text(st, 3, body, (size_t)-1);
    db_bind_text(st, 4, now, (size_t)-1);
    db_bind_text(st, 5, by ? by : "", (size_t)-1);
    s = db_step(st);
    db_done(st);
    return s < 0 ? s : 0;
}

int store_calendar_scan(struct db *db, int (*fn)(int year, const char *body, void *ctx), void *ctx)
{
    struct db_stmt *st;
    int rc = db_prepare(db, "SELECT year, body FROM calendar_years ORDER BY year", &st);
    if (rc) {
        return rc;
    }
    int s;
    while (!rc && (s = db_step(st)) == DB_ROW) {
        rc = fn((int)db_column_int(st, 0), db_column_text(st, 1, NULL), ctx);
    }
    db_done(st);
    return rc;
}

int store_calendar_get(struct db *db, int year, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "SELECT year, source, loaded_at, loaded_by, body AS body_json FROM"
                        " calendar_years WHERE year = ?1",
                        &st);
    if (rc) {
        return rc;
    }
    db_bind_int(st, 1, year);
    int s = db_step(st);
    if (s == DB_ROW) {
        db_row_json(st, out);
    }
    db_done(st);
    return s == DB_ROW ? 0 : (s < 0 ? s : ERR_NOTFOUND);
}
