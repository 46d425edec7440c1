/*
** Reference data shipped in the binary (data/codes/ and data/calendar/): code tables
** are loaded at start, into empty tables whole and into tables with fewer rows than the
** shipped file by adding the codes they lack (a database made before a table was completed
** gains the new codes; rows it has are left as they are); calendar years the database lacks
** are stored; then the stored years are loaded into app.cal. An admin's uploaded year is
** never overwritten.
*/
#include <stdio.h>
#include <string.h>

#include "calendar/calendar.h"
#include "core/arena.h"
#include "core/embed.h"
#include "core/err.h"
#include "core/log.h"
#include "core/table.h"
#include "platform/app.h"
#include "platform/platform.h"

/* Data rows of a shipped code table: its lines less the header (no cell spans lines). */
static int64_t shipped_rows(const char *path)
{
    const struct embed_file *f = embed_find(path);
    int64_t lines = 0;
    for (size_t i = 0; f && i < f->size; i++) {
        lines += f->data[i] == '\n';
    }
    return lines > 0 ? lines - 1 : 0;
}

static int seed_table(struct db *db, const char *table, const char *path, size_t n_cols, char *err,
                      size_t errcap)
{
    int64_t have = 0;
    if (store_codes_count(db, table, &have) || have >= shipped_rows(path)) {
        return 0;
    }
    const struct embed_file *f = embed_find(path);
    if (!f) {
        snprintf(err, errcap, "reference file %s is missing from the binary", path);
        return ERR_NOTFOUND;
    }
    struct arena a;
    arena_init(&a, 1 << 16);
    struct table t;
    int rc = csv_parse((const char *)f->data, f->size, &a, 100000, 16, &t, err, errcap);
    size_t added = 0;
    for (size_t row = 1; !rc && row < t.n_rows; row++) {
        if (t.n_cols < n_cols) {
            snprintf(err, errcap, "%s: expected %zu columns", path, n_cols);
            rc = ERR_INPUT;
            break;
        }
        const char *code = t.cells[row][0];
        if (have > 0 && store_code_exists(db, table, code, strlen(code))) {
            continue;
        }
        rc = store_code_insert(db, table, (const char *const *)t.cells[row], n_cols);
        added += rc == 0;
        if (rc) {
            snprintf(err, errcap, "%s row %zu (%s): cannot load", path, row + 1, code);
        }
    }
    if (!rc) {
        log_info("loaded %zu %s from %s (%lld were there)", added, table, path, (long long)have);
    }
    arena_free(&a);
    return rc;
}

struct have_years {
    int years[256];
    size_t n;
};

static int note_year(int year, const char *body, void *ctx)
{
    struct have_years *h = ctx;
    (void)body;
    if (h->n < ARRAY_LEN(h->years)) {
        h->years[h->n++] = year;
    }
    return 0;
}

static int seed_calendar(struct db *db, char *err, size_t errcap)
{
    struct have_years h = {{0}, 0};
    int rc = store_calendar_scan(db, note_year, &h);
    for (unsigned i = 0; !rc && i < embed_count; i++) {
        const struct embed_file *f = &embed_files[i];
        if (strncmp(f->path, "data/calendar/", 14) || !strstr(f->path, ".json")) {
            continue;
        }
        struct calendar tmp;
        calendar_init(&tmp);
        int year = 0;
        rc = calendar_load_json(&tmp, (const char *)f->data, f->size, &year, err, errcap);
        calendar_free(&tmp);
        bool have = false;
        for (size_t k = 0; k < h.n; k++) {
            have = have || h.years[k] == year;
        }
        if (!rc && !have) {
            rc = store_calendar_put(db, year, "shipped", (const char *)f->data, "envgov");
        }
    }
    return rc;
}

/* Whether any code table is empty or a shipped calendar year is missing (read-only check, so
   a CLI command next to a busy server does not wait for the writer). */
static bool seed_needed(struct store *s)
{
    struct db *db = store_read(s);
    static const char *tables[] = {"regions", "industries", "pollutants"};
    static const char *paths[] = {"data/codes/regions.csv", "data/codes/industries.csv",
                                  "data/codes/pollutants.csv"};
    bool need = false;
    for (size_t i = 0; i < ARRAY_LEN(tables) && !need; i++) {
        int64_t n = 0;
        need = store_codes_count(db, tables[i], &n) || n < shipped_rows(paths[i]);
    }
    struct have_years h = {{0}, 0};
    if (!need && store_calendar_scan(db, note_year, &h) == 0) {
        for (unsigned i = 0; i < embed_count && !need; i++) {
            const char *p = embed_files[i].path;
            if (!strncmp(p, "data/calendar/", 14) && strstr(p, ".json")) {
                int64_t year = 0;
                parse_i64(p + 14, 4, &year);
                bool have = false;
                for (size_t k = 0; k < h.n; k++) {
                    have = have || h.years[k] == year;
                }
                need = !have;
            }
        }
    }
    store_release(s, db);
    return need;
}

int refdata_seed(struct store *s, char *err, size_t errcap)
{
    if (!seed_needed(s)) {
        return 0;
    }
    struct db *db;
    int rc = store_begin(s, &db);
    if (rc) {
        snprintf(err, errcap, "cannot open a write transaction to load reference data");
        return rc;
    }
    rc = seed_table(db, "regions", "data/codes/regions.csv", 4, err, errcap);
    if (!rc) {
        rc = seed_table(db, "industries", "data/codes/industries.csv", 4, err, errcap);
    }
    if (!rc) {
        rc = seed_table(db, "pollutants", "data/codes/pollutants.csv", 7, err, errcap);
    }
    if (!rc) {
        rc = seed_calendar(db, err, errcap);
    }
    if (rc) {
        store_rollback(s, db);
        return rc;
    }
    return store_commit(s, db);
}

static int load_year(int year, const char *body, void *ctx)
{
    struct calendar *cal = ctx;
    char err[256];
    int loaded;
    if (calendar_load_json(cal, body, strlen(body), &loaded, err, sizeof err)) {
        log_error("stored calendar year %d is invalid: %s", year, err);
    }
    return 0;
}

int refdata_load_calendar(struct store *s, char *err, size_t errcap)
{
    struct calendar *cal = xcalloc(1, sizeof *cal);
    calendar_init(cal);
    struct db *db = store_read(s);
    int rc = store_calendar_scan(db, load_year, cal);
    store_release(s, db);
    if (rc) {
        snprintf(err, errcap, "cannot read calendar years");
        calendar_free(cal);
        free(cal);
        return rc;
    }
    pthread_rwlock_wrlock(&app.cal_lock);
    if (app.cal) {
        calendar_free(app.cal);
        free(app.cal);
    }
    app.cal = cal;
    pthread_rwlock_unlock(&app.cal_lock);
    return 0;
}
