/*
** Settings table and its loaders. See settings.h for the layering.
*/
#include "core/settings.h"

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

static struct setting table[] = {
    {"data", "./envgov-data", false, "data directory (database, attachments, envgov.ini)", NULL, 0},
    {"http", "127.0.0.1:8080", false, "HTTP listen [ADDR:]PORT", NULL, 0},
    {"hj212", "127.0.0.1:9212", false, "HJ 212 gateway listen [ADDR:]PORT", NULL, 0},
    {"db", "", false, "database: empty = SQLite DATA/envgov.db, or postgresql://...", NULL, 0},
    {"http_threads", "0", true, "HTTP worker threads (0 = number of cores)", NULL, 0},
    {"http_max_connections", "4096", true, "HTTP connection cap", NULL, 0},
    {"http_timeout_s", "30", true, "idle HTTP connection timeout", NULL, 0},
    {"http_max_body", "1048576", true, "max JSON/CSV request body bytes", NULL, 0},
    {"http_max_header", "16384", true, "max request header bytes", NULL, 0},
    {"http_max_response", "67108864", true, "max response bytes (exports)", NULL, 0},
    {"upload_max_bytes", "20971520", true, "max attachment or import file bytes", NULL, 0},
    {"upload_types",
     "application/pdf,image/png,image/jpeg,text/csv,text/plain,application/zip,"
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     false, "allowed attachment content types", NULL, 0},
    {"db_readers", "4", true, "reader connections (SQLite or PostgreSQL) per process", NULL, 0},
    {"pg_partitions_ahead", "3", true, "PostgreSQL: monthly readings partitions kept ready ahead",
     NULL, 0},
    {"readings_retention_months", "0", true,
     "PostgreSQL: drop readings partitions older than this many months (0 = keep all)", NULL, 0},
    {"db_busy_timeout_ms", "5000", true, "SQLite busy timeout", NULL, 0},
    {"sqlite_checkpoint_mb", "64", true,
     "SQLite: write-ahead log size that starts a background checkpoint (MiB)", NULL, 0},
    {"session_idle_min", "30", true, "session idle expiry (minutes)", NULL, 0},
    {"session_max_hours", "12", true, "session absolute expiry (hours)", NULL, 0},
    {"trusted_proxies", "", false,
     "reverse proxies (IP addresses, comma-separated) whose X-Forwarded-For names the client", NULL,
     0},
    {"secure_cookies", "auto", false, "Secure flag on cookies: on, off, auto (when TLS-proxied)",
     NULL, 0},
    {"login_max_failures", "5", true, "failed logins before lockout", NULL, 0},
    {"login_lockout_min", "15", true, "lockout duration (minutes)", NULL, 0},
    {"password_min_len", "10", true, "minimum password length", NULL, 0},
    {"hash_threads", "2", true, "argon2id hashing threads (off the request threads)", NULL, 0},
    {"import_max_rows", "50000", true, "max rows in one import", NULL, 0},
    {"export_max_rows", "200000", true, "max rows in one export", NULL, 0},
    {"list_max_limit", "500", true, "max page size of list endpoints", NULL, 0},
    {"hj212_max_connections", "20000", true, "HJ 212 gateway connection cap", NULL, 0},
    {"hj212_idle_s", "600", true, "close a device connection silent this long (seconds)", NULL, 0},
    {"hj212_batch_ms", "0", true, "longest wait to gather frames into one transaction", NULL, 0},
    {"hj212_batch_max", "2000", true, "most frames in one transaction", NULL, 0},
    {"hj212_dedup_hours", "48", true,
     "keep (MN, QN) this long to acknowledge a re-sent frame without storing it again (hours)",
     NULL, 0},
    {"hj212_queue_max", "20000", true, "frames in flight before the gateway stops reading", NULL,
     0},
    {"hj212_garbage_max", "65536", true, "bytes of garbage before a device is disconnected", NULL,
     0},
    {"hj212_lf_only", "off", false, "accept frames ending in a bare LF (on/off)", NULL, 0},
    {"alarm_offline_s", "1800", true, "no frame for this long: offline alarm (seconds)", NULL, 0},
    {"alarm_close_after_s", "1800", true, "alarm closes itself after normal this long (seconds)",
     NULL, 0},
    {"alarm_stuck_count", "30", true, "same real-time value this many times: stuck-value alarm",
     NULL, 0},
    {"alarm_warn_pct", "100", true,
     "real-time value above this % of the hourly limit: early warning", NULL, 0},
    {"alarm_flags", "FMDCTB", false, "data flags that raise an abnormal-flag alarm (2017)", NULL,
     0},
    {"alarm_sweep_s", "30", true, "how often offline, auto-close and derivation run (seconds)",
     NULL, 0},
    {"command_timeout_s", "120", true, "platform command without an answer: timeout (seconds)",
     NULL, 0},
    {"webhook_retry_s", "30", true, "first webhook retry delay; doubles per attempt (seconds)",
     NULL, 0},
    {"webhook_max_attempts", "6", true, "webhook attempts before a delivery is failed", NULL, 0},
    {"webhook_timeout_s", "5", true, "webhook request timeout (seconds)", NULL, 0},
    {"log_level", "info", false, "debug, info, warn, error", NULL, 0},
    {"access_log", "on", false, "log one line per HTTP request (on/off)", NULL, 0},
};

static struct setting *find(const char *name)
{
    for (size_t i = 0; i < ARRAY_LEN(table); i++) {
        if (!strcmp(table[i].name, name)) {
            return &table[i];
        }
    }
    return NULL;
}

void settings_init(void)
{
    for (size_t i = 0; i < ARRAY_LEN(table); i++) {
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
    for (size_t i = 0; i < ARRAY_LEN(table); i++) {
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
    for (size_t i = 0; i < ARRAY_LEN(table); i++) {
        const struct setting *s = &table[i];
        fprintf(f, "%-22s = %-40s ; %s (%s)\n", s->name, s->value ? s->value : s->def, s->help,
                src_names[s->src]);
    }
}
