/*
** Settings table and its loaders. See settings.h for the layering.
*/
#include "core/settings.h"

#include <assert.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "core/util.h"

struct setting {
    const char *name;
    const char *def;
    bool is_int;
    const char *help;
    char *value; /* heap, NULL = default */
    enum settings_source src;
};

/* The platform's own settings (data directory, HTTP, database, limits, logging); each module
   registers its rows from its descriptor (settings_register). */
static const struct setting_def core_rows[] = {
    {"data", "./envgov-data", false, "data directory (database, attachments, envgov.ini)"},
    {"http", "127.0.0.1:8080", false, "HTTP listen [ADDR:]PORT"},
    {"db", "", false, "database: empty = SQLite DATA/envgov.db, or postgresql://..."},
    {"http_threads", "0", true, "HTTP worker threads (0 = number of cores)"},
    {"http_max_connections", "4096", true, "HTTP connection cap"},
    {"http_timeout_s", "30", true, "idle HTTP connection timeout"},
    {"http_max_body", "1048576", true, "max JSON/CSV request body bytes"},
    {"http_max_header", "16384", true, "max request header bytes"},
    {"http_max_response", "67108864", true, "max response bytes (exports)"},
    {"upload_max_bytes", "20971520", true, "max attachment or import file bytes"},
    {"upload_types",
     "application/pdf,image/png,image/jpeg,text/csv,text/plain,application/zip,"
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     false, "allowed attachment content types"},
    {"db_readers", "4", true, "reader connections (SQLite or PostgreSQL) per process"},
    {"pg_partitions_ahead", "3", true, "PostgreSQL: monthly readings partitions kept ready ahead"},
    {"readings_retention_months", "0", true,
     "PostgreSQL: drop readings partitions older than this many months (0 = keep all)"},
    {"db_busy_timeout_ms", "5000", true, "SQLite busy timeout"},
    {"sqlite_checkpoint_mb", "64", true,
     "SQLite: write-ahead log size that starts a background checkpoint (MiB)"},
    {"import_max_rows", "50000", true, "max rows in one import"},
    {"export_max_rows", "200000", true, "max rows in one export"},
    {"list_max_limit", "500", true, "max page size of list endpoints"},
    {"trusted_proxies", "", false,
     "reverse proxies (IP addresses, comma-separated) whose X-Forwarded-For names the client"},
    {"log_level", "info", false, "debug, info, warn, error"},
    {"access_log", "on", false, "log one line per HTTP request (on/off)"},
};

#define SETTINGS_MAX 256
static struct setting table[SETTINGS_MAX];
static size_t n_table;

static void add_rows(const struct setting_def *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        assert(n_table < SETTINGS_MAX && "raise SETTINGS_MAX");
        for (size_t k = 0; k < n_table; k++) {
            assert(strcmp(table[k].name, rows[i].name) && "setting registered twice");
        }
        table[n_table++] = (struct setting){rows[i].name, rows[i].def, rows[i].is_int,
                                            rows[i].help, NULL,        SRC_DEFAULT};
    }
}

static void ensure_core(void)
{
    if (n_table == 0) {
        add_rows(core_rows, ARRAY_LEN(core_rows));
    }
}

void settings_register(const struct setting_def *rows, size_t n)
{
    ensure_core();
    add_rows(rows, n);
}

static struct setting *find(const char *name)
{
    ensure_core();
    for (size_t i = 0; i < n_table; i++) {
        if (!strcmp(table[i].name, name)) {
            return &table[i];
        }
    }
    return NULL;
}

void settings_init(void)
{
    ensure_core();
    for (size_t i = 0; i < n_table; i++) {
        free(table[i].value);
        table[i].value = NULL;
        table[i].src = SRC_DEFAULT;
    }
}

int settings_set(const char *name, const char *value, enum settings_source src)
{
    struct setting *s = find(name);
    if (!s) {
        return ERR_NOTFOUND;
    }
    if (s->is_int) {
        int64_t v;
        if (parse_i64(value, strlen(value), &v) || v < 0) {
            return ERR_INPUT;
        }
    }
    free(s->value);
    s->value = xstrdup(value);
    s->src = src;
    return 0;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s)) {
        s++;
    }
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) {
        s[--n] = 0;
    }
    return s;
}

int settings_load_file(const char *path, int optional, int *bad_line)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        return optional ? 0 : ERR_IO;
    }
    char line[4096];
    int lineno = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *s = trim(line);
        if (!*s || *s == '#' || *s == ';' || *s == '[') {
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            rc = ERR_INPUT;
            break;
        }
        *eq = 0;
        if (settings_set(trim(s), trim(eq + 1), SRC_FILE)) {
            rc = ERR_INPUT;
            break;
        }
    }
    fclose(f);
    if (rc && bad_line) {
        *bad_line = lineno;
    }
    return rc;
}

int settings_load_env(const char **bad)
{
    static char bad_key[64];
    int rc = 0;
    for (size_t i = 0; i < n_table; i++) {
        char key[64] = "ENVGOV_";
        size_t k = 7;
        for (const char *p = table[i].name; *p && k < sizeof key - 1; p++) {
            key[k++] = (char)toupper((unsigned char)*p);
        }
        key[k] = 0;
        const char *v = getenv(key);
        if (v && settings_set(table[i].name, v, SRC_ENV) && !rc) {
            rc = ERR_INPUT;
            memcpy(bad_key, key, k + 1);
            if (bad) {
                *bad = bad_key;
            }
        }
    }
    return rc;
}

const char *settings_get(const char *name)
{
    const struct setting *s = find(name);
    if (!s) { /* a bug in the caller, in every build: a release build must not run on "" */
        log_error("settings_get: unknown setting name '%s'", name);
        abort();
    }
    return s->value ? s->value : s->def;
}

int64_t settings_int(const char *name)
{
    const char *v = settings_get(name);
    int64_t n = 0;
    parse_i64(v, strlen(v), &n);
    return n;
}

void settings_print(FILE *f)
{
    static const char *src_names[] = {"default", "file", "env", "flag"};
    for (size_t i = 0; i < n_table; i++) {
        const struct setting *s = &table[i];
        fprintf(f, "%-22s = %-40s ; %s (%s)\n", s->name, s->value ? s->value : s->def, s->help,
                src_names[s->src]);
    }
}
