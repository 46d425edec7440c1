/*
** Rule-set logic: the kinds (schemas embedded from data/rules/schemas/), resolution of the
** version in force, checks and writes of versions, freezing on first use, path getters, and
** the shipped defaults loaded at init / demo / start. SQL is in src/store/q_rules.c.
*/
#include "rules/rules.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/embed.h"
#include "core/err.h"
#include "core/log.h"
#include "core/util.h"
#include "store/q_rules.h"

#define SCHEMA_DIR "data/rules/schemas/"
#define DEFAULTS_DIR "data/rules/"
#define KINDS_MAX 64

/* ---------------- kinds ---------------- */

static struct {
    pthread_once_t once;
    char names[KINDS_MAX][RULES_KIND_MAX];
    json_t *schemas[KINDS_MAX];
    size_t n;
} K = {PTHREAD_ONCE_INIT, {{0}}, {0}, 0};

static uint64_t generation;

/* "data/rules/schemas/alarm.handling.json" → "alarm.handling"; false for other paths. */
static bool kind_of_path(const char *path, const char *dir, char out[RULES_KIND_MAX])
{
    size_t dl = strlen(dir), pl = strlen(path);
    if (strncmp(path, dir, dl) || pl <= dl + 5 || strcmp(path + pl - 5, ".json") ||
        strchr(path + dl, '/') || pl - dl - 5 >= RULES_KIND_MAX) {
        return false;
    }
    snprintf(out, RULES_KIND_MAX, "%.*s", (int)(pl - dl - 5), path + dl);
    return true;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(a, b);
}

static void kinds_load(void)
{
    for (unsigned i = 0; i < embed_count && K.n < KINDS_MAX; i++) {
        if (kind_of_path(embed_files[i].path, SCHEMA_DIR, K.names[K.n])) {
            K.n++;
        }
    }
    qsort(K.names, K.n, sizeof K.names[0], by_name);
    for (size_t i = 0; i < K.n; i++) {
        char path[128];
        snprintf(path, sizeof path, SCHEMA_DIR "%s.json", K.names[i]);
        const struct embed_file *f = embed_find(path);
        json_error_t je;
        K.schemas[i] = json_loadb((const char *)f->data, f->size, 0, &je);
        if (!K.schemas[i]) {
            log_error("rules: schema %s is not JSON (line %d: %s)", path, je.line, je.text);
        }
    }
}

size_t rules_kind_count(void)
{
    pthread_once(&K.once, kinds_load);
    return K.n;
}

const char *rules_kind_name(size_t i)
{
    pthread_once(&K.once, kinds_load);
    return i < K.n ? K.names[i] : NULL;
}

const json_t *rules_kind_schema(const char *kind)
{
    pthread_once(&K.once, kinds_load);
    for (size_t i = 0; kind && i < K.n; i++) {
        if (!strcmp(K.names[i], kind)) {
            return K.schemas[i];
        }
    }
    return NULL;
}

uint64_t rules_generation(void)
{
    return __atomic_load_n(&generation, __ATOMIC_ACQUIRE);
}

static void bump(void)
{
    __atomic_add_fetch(&generation, 1, __ATOMIC_ACQ_REL);
}

/* ---------------- resolution ---------------- */

struct got {
    json_t **body;
    struct rule_ref *ref;
};

static int on_row(const struct rule_row *r, void *ctx)
{
    struct got *g = ctx;
    if (g->body) {
        json_error_t je;
        *g->body = json_loads(r->body, 0, &je);
        if (!*g->body) {
            log_error("rules: version %lld has a body that is not JSON", (long long)r->id);
            return ERR_DB;
        }
    }
    if (g->ref) {
        *g->ref = (struct rule_ref){.id = r->id, .version = r->version};
        snprintf(g->ref->kind, sizeof g->ref->kind, "%s", r->kind);
        snprintf(g->ref->region, sizeof g->ref->region, "%s", r->region_prefix);
        snprintf(g->ref->effective, sizeof g->ref->effective, "%s", r->effective_from);
        snprintf(g->ref->sha256, sizeof g->ref->sha256, "%s", r->sha256);
    }
    return 0;
}

int rules_resolve(struct db *db, const char *kind, const char *region_code, const char *date,
                  json_t **body, struct rule_ref *ref)
{
    struct got g = {body, ref};
    if (body) {
        *body = NULL;
    }
    return store_rule_resolve(db, kind, region_code ? region_code : "", date, on_row, &g);
}

int rules_get(struct db *db, int64_t id, json_t **body, struct rule_ref *ref)
{
    struct got g = {body, ref};
    if (body) {
        *body = NULL;
    }
    return store_rule_get(db, id, on_row, &g);
}

int rules_mark_used(struct db *db, const struct rule_ref *ref)
{
    char now[32];
    time_iso(wall_ms() / 1000, now);
    return store_rule_mark_used(db, ref->id, ref->sha256, now);
}

json_t *rules_shipped_body(const char *kind)
{
    char path[128];
    snprintf(path, sizeof path, DEFAULTS_DIR "%s.json", kind);
    const struct embed_file *f = embed_find(path);
    json_t *j = f ? json_loadb((const char *)f->data, f->size, 0, NULL) : NULL;
    json_t *body = json_object_get(json_array_get(json_object_get(j, "versions"), 0), "body");
    json_incref(body);
    json_decref(j);
    return body;
}

int64_t rules_int_today(struct db *db, const char *kind, const char *region_code, const char *path,
                        int64_t def)
{
    char day[11];
    date_cn(wall_ms() / 1000, day);
    json_t *body = NULL;
    int64_t v =
        rules_resolve(db, kind, region_code, day, &body, NULL) ? def : rules_int(body, path, def);
    json_decref(body);
    return v;
}

/* ---------------- getters ---------------- */

const json_t *rules_at(const json_t *body, const char *path)
{
    const json_t *v = body;
    const char *p = path;
    if (p[0] == '$') {
        p += p[1] == '.' ? 2 : 1;
    }
    while (v && *p) {
        if (*p == '[') {
            char *end;
            unsigned long i = strtoul(p + 1, &end, 10);
            if (*end != ']' || !json_is_array(v)) {
                return NULL;
            }
            v = json_array_get(v, i);
            p = end + 1;
        } else {
            size_t n = strcspn(p, ".[");
            if (!json_is_object(v) || !n) {
                return NULL;
            }
            v = json_object_getn(v, p, n);
            p += n;
        }
        if (*p == '.') {
            p++;
        }
    }
    return v;
}

double rules_number(const json_t *body, const char *path, double def)
{
    const json_t *v = rules_at(body, path);
    return json_is_number(v) ? json_number_value(v) : def;
}

int64_t rules_int(const json_t *body, const char *path, int64_t def)
{
    const json_t *v = rules_at(body, path);
    return json_is_integer(v) ? (int64_t)json_integer_value(v)
           : json_is_real(v)  ? (int64_t)json_real_value(v)
                              : def;
}

const char *rules_string(const json_t *body, const char *path, const char *def)
{
    const json_t *v = rules_at(body, path);
    return json_is_string(v) ? json_string_value(v) : def;
}

/* ---------------- checks and writes ---------------- */

static int bad(struct rule_error *err, const char *field, const char *msg)
{
    snprintf(err->field, sizeof err->field, "%s", field);
    snprintf(err->msg, sizeof err->msg, "%s", msg);
    return ERR_INPUT;
}

/* YYYY-MM-DD naming a real day. */
static bool date_ok(const char *s)
{
    int y, m, d;
    char tail;
    if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
        s[4] != '-' || s[7] != '-' || y < 1970 || y > 2199 || m < 1 || m > 12 || d < 1) {
        return false;
    }
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap);
}

static bool prefix_ok(const char *p)
{
    size_t n = strlen(p);
    if (n % 2 || n > 6) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') {
            return false;
        }
    }
    return true;
}

static bool text_ok(const char *s, size_t max_chars)
{
    size_t n = 0;
    for (const char *p = s; *p; p++) {
        n += ((unsigned char)*p & 0xC0) != 0x80;
    }
    return n <= max_chars;
}

int rules_check(const struct rule_input *in, struct rule_error *err)
{
    const json_t *schema = rules_kind_schema(in->kind);
    if (!in->kind || !in->kind[0]) {
        return bad(err, "kind", "请选择规则类型 / kind is required");
    }
    if (!schema) {
        return bad(err, "kind", "未知的规则类型 / unknown kind");
    }
    if (!in->region_prefix || !prefix_ok(in->region_prefix)) {
        return bad(err, "region_prefix",
                   "适用区域应为空（全部）或 2、4、6 位行政区划代码前缀 / jurisdiction must be "
                   "empty (everywhere) or a region code prefix of 2, 4 or 6 digits");
    }
    if (!date_ok(in->effective_from)) {
        return bad(err, "effective_from",
                   "生效日期应为 YYYY-MM-DD / effective date must be YYYY-MM-DD");
    }
    if (!in->source || !in->source[0] || !text_ok(in->source, 500)) {
        return bad(err, "source",
                   "请填写依据（文件名称与文号），至多 500 字 / source is required (the document "
                   "it comes from), at most 500 characters");
    }
    if (in->note && !text_ok(in->note, 1000)) {
        return bad(err, "note", "说明至多 1000 字 / note: at most 1000 characters");
    }
    if (!in->body) {
        return bad(err, "body", "缺少规则内容 / body is required");
    }
    char path[128], msg[192];
    if (rules_schema_check(schema, in->body, path, sizeof path, msg, sizeof msg)) {
        snprintf(err->field, sizeof err->field, "%s", path);
        snprintf(err->msg, sizeof err->msg, "%s: %s", path, msg);
        return ERR_INPUT;
    }
    return 0;
}

/* The body as stored: compact, keys in order, so equal bodies have equal hashes. */
static char *body_text(const json_t *body, char sha[65], struct rule_error *err)
{
    char *text = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
    if (text && strlen(text) > RULES_BODY_MAX) {
        free(text);
        bad(err, "body", "规则内容超过 64 KiB / body exceeds 64 KiB");
        return NULL;
    }
    if (text) {
        sha256_hex(text, strlen(text), sha);
    }
    return text;
}

int rules_create(struct db *db, const struct rule_input *in, int64_t created_by,
                 struct rule_ref *ref, struct rule_error *err)
{
    int rc = rules_check(in, err);
    char sha[65];
    char *text = rc ? NULL : body_text(in->body, sha, err);
    if (rc || !text) {
        return rc ? rc : ERR_INPUT;
    }
    char now[32];
    time_iso(wall_ms() / 1000, now);
    struct rule_new n = {in->kind,   in->region_prefix, in->effective_from,
                         in->source, in->note,          text,
                         sha,        created_by};
    int64_t id = 0;
    int version = 0;
    rc = store_rule_insert(db, &n, now, &id, &version);
    free(text);
    if (!rc && ref) {
        rc = rules_get(db, id, NULL, ref);
    }
    if (!rc) {
        bump();
    }
    return rc;
}

int rules_update(struct db *db, int64_t id, const struct rule_input *in, struct rule_error *err)
{
    int rc = rules_check(in, err);
    char sha[65];
    char *text = rc ? NULL : body_text(in->body, sha, err);
    if (rc || !text) {
        return rc ? rc : ERR_INPUT;
    }
    char now[32];
    time_iso(wall_ms() / 1000, now);
    struct rule_new n = {
        in->kind, in->region_prefix, in->effective_from, in->source, in->note, text, sha, 0};
    rc = store_rule_update(db, id, &n, now);
    free(text);
    if (!rc) {
        bump();
    }
    return rc;
}

int rules_delete(struct db *db, int64_t id)
{
    int rc = store_rule_delete(db, id);
    if (!rc) {
        bump();
    }
    return rc;
}

/* ---------------- shipped defaults ---------------- */

/* One defaults file: {"kind": K, "versions": [{region_prefix, effective_from, source, note,
   body}, ...]}. A jurisdiction that has versions already is left alone. */
static int seed_file(struct db *db, const struct embed_file *f, const char *kind, char *err,
                     size_t errcap)
{
    json_error_t je;
    json_t *j = json_loadb((const char *)f->data, f->size, 0, &je);
    const json_t *versions = json_object_get(j, "versions");
    if (!j || !json_is_array(versions)) {
        snprintf(err, errcap, "%s: not a defaults file (line %d: %s)", f->path, je.line, je.text);
        json_decref(j);
        return ERR_INPUT;
    }
    char fresh[16][8];
    size_t n_fresh = 0, i;
    const json_t *v;
    int rc = 0;
    json_array_foreach (versions, i, v) {
        const char *prefix = json_string_value(json_object_get(v, "region_prefix"));
        prefix = prefix ? prefix : "";
        bool is_fresh = false;
        for (size_t k = 0; k < n_fresh; k++) {
            is_fresh |= !strcmp(fresh[k], prefix);
        }
        int64_t have = 0;
        if (!is_fresh && (rc = store_rule_count(db, kind, prefix, &have)) == 0 && !have &&
            n_fresh < 16) {
            snprintf(fresh[n_fresh++], sizeof fresh[0], "%.6s", prefix);
            is_fresh = true;
        }
        if (rc || !is_fresh) {
            if (rc) {
                break;
            }
            continue;
        }
        struct rule_input in = {kind,
                                prefix,
                                json_string_value(json_object_get(v, "effective_from")),
                                json_string_value(json_object_get(v, "source")),
                                json_string_value(json_object_get(v, "note")),
                                json_object_get(v, "body")};
        struct rule_error re;
        rc = rules_create(db, &in, 0, NULL, &re);
        if (rc == ERR_INPUT) {
            snprintf(err, errcap, "%s versions[%zu]: %s: %s", f->path, i, re.field, re.msg);
        }
        if (rc) {
            break;
        }
        log_info("rules: loaded the shipped %s for jurisdiction '%s'", kind, prefix);
    }
    json_decref(j);
    return rc;
}

int rules_seed(struct db *db, char *err, size_t errcap)
{
    int rc = 0;
    for (unsigned i = 0; !rc && i < embed_count; i++) {
        char kind[RULES_KIND_MAX];
        if (kind_of_path(embed_files[i].path, DEFAULTS_DIR, kind)) {
            if (!rules_kind_schema(kind)) {
                snprintf(err, errcap, "%s: no schema %s%s.json", embed_files[i].path, SCHEMA_DIR,
                         kind);
                return ERR_INPUT;
            }
            rc = seed_file(db, &embed_files[i], kind, err, errcap);
        }
    }
    return rc;
}
