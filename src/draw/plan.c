/*
** A plan's steps: commit (secret seed, its SHA-256, the canonical snapshot of the inputs read
** from the registry, credit_current, positive_list, the roster and the recusal pairs), draw
** (the replay of the stored snapshot with the stored seed: targets, inspectors, one inspection
** case per target), reveal (the seed becomes public once the last visit day has come) and
** publish (一公开: every outcome recorded). Each step runs in the caller's transaction and
** writes its audit row. The snapshot format is specified in docs/internals/draw.md.
*/
#include <inttypes.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/calendar.h"
#include "core/err.h"
#include "core/util.h"
#include "draw/internal.h"
#include "rules/rules.h"
#include "store/q_draw.h"

void draw_today(char out[11])
{
    date_cn(wall_ms() / 1000, out);
}

/* ---------------- the snapshot ---------------- */

struct pair {
    int64_t enterprise_id, user_id;
    int declared; /* 1 declared, 0 last time: declared sorts first and wins on a repeat */
};

struct insp {
    int64_t id, unit;
    char name[200];
};

#define MAX_GRADES 16
struct build {
    struct buf *targets;
    struct {
        char code[17];
        uint64_t w;
    } grades[MAX_GRADES];
    size_t n_grades;
    uint64_t no_grade;
    bool exclude;
    uint64_t factor; /* thousandths */
    int64_t eligible, n;
    uint64_t *in_pool; /* a bit per enterprise id: the recusal pairs keep only the pool's */
    size_t n_words;
    struct insp *roster;
    size_t n_roster, cap_roster;
    struct pair *pairs;
    size_t n_pairs, cap_pairs;
    int declared;
    struct {
        int64_t unit;
        char code[16];
    } * regions;
    size_t n_regions, cap_regions;
};

#define GROW(arr, n, cap)                                                                          \
    do {                                                                                           \
        if ((n) == (cap)) {                                                                        \
            (cap) = (cap) ? (cap)*2 : 1024;                                                        \
            (arr) = xrealloc((arr), (cap) * sizeof *(arr));                                        \
        }                                                                                          \
    } while (0)

static uint64_t milli(double x)
{
    return (uint64_t)llround(x * 1000.0);
}

static uint64_t weight_of(const struct build *b, const char *grade, bool positive)
{
    uint64_t w = b->no_grade;
    for (size_t i = 0; grade[0] && i < b->n_grades; i++) {
        if (!strcmp(b->grades[i].code, grade)) {
            w = b->grades[i].w;
            break;
        }
    }
    if (positive) {
        w = b->exclude ? 0 : w * b->factor / 1000;
    }
    return w;
}

/* Decimal digits of v at the end of out (a million lines: no printf per field). */
static void put_u64(struct buf *out, uint64_t v)
{
    char d[24];
    size_t n = 0;
    do {
        d[sizeof d - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    buf_append(out, d + sizeof d - n, n);
}

static void put_field(struct buf *out, const char *s, size_t n)
{
    buf_putc(out, '\t');
    buf_append(out, s, n);
}

static void pool_row(struct db_stmt *st, void *ctx)
{
    struct build *b = ctx;
    struct buf *out = b->targets;
    int64_t id = db_column_int(st, 0);
    size_t n_cat, n_region, n_grade, n_uscc, n_name;
    const char *cat = db_column_text(st, 1, &n_cat), *region = db_column_text(st, 2, &n_region);
    const char *uscc = db_column_text(st, 3, &n_uscc), *name = db_column_text(st, 4, &n_name);
    const char *grade = db_column_text(st, 5, &n_grade);
    bool positive = db_column_int(st, 6) != 0;
    uint64_t w = weight_of(b, grade, positive);
    buf_puts(out, "target\t");
    put_u64(out, (uint64_t)id);
    put_field(out, cat, n_cat);
    put_field(out, region, n_region);
    buf_putc(out, '\t');
    put_u64(out, w);
    put_field(out, n_grade ? grade : "-", n_grade ? n_grade : 1);
    put_field(out, positive ? "1" : "0", 1);
    put_field(out, uscc, n_uscc);
    buf_putc(out, '\t');
    size_t at = out->len;
    buf_append(out, name, n_name);
    for (size_t i = at; i < out->len; i++) {
        if (out->p[i] == '\t' || out->p[i] == '\n' || out->p[i] == '\r') {
            out->p[i] = ' ';
        }
    }
    buf_putc(out, '\n');
    b->eligible += w > 0;
    b->n++;
    size_t word = (size_t)id / 64;
    if (word >= b->n_words) {
        size_t n = (word + 1) * 2;
        b->in_pool = xrealloc(b->in_pool, n * sizeof *b->in_pool);
        memset(b->in_pool + b->n_words, 0, (n - b->n_words) * sizeof *b->in_pool);
        b->n_words = n;
    }
    b->in_pool[word] |= (uint64_t)1 << (id % 64);
}

static void roster_row(struct db_stmt *st, void *ctx)
{
    struct build *b = ctx;
    GROW(b->roster, b->n_roster, b->cap_roster);
    struct insp *u = &b->roster[b->n_roster++];
    u->id = db_column_int(st, 0);
    str_copy(u->name, sizeof u->name, db_column_text(st, 1, NULL));
    draw_field_clean(u->name);
    u->unit = db_column_int(st, 2);
}

static void region_row(struct db_stmt *st, void *ctx)
{
    struct build *b = ctx;
    GROW(b->regions, b->n_regions, b->cap_regions);
    b->regions[b->n_regions].unit = db_column_int(st, 0);
    str_copy(b->regions[b->n_regions++].code, 16, db_column_text(st, 1, NULL));
}

static bool pool_has(const struct build *b, int64_t id)
{
    size_t w = (size_t)id / 64;
    return id > 0 && w < b->n_words && (b->in_pool[w] >> (id % 64) & 1);
}

static int cmp_pair(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    if (x->enterprise_id != y->enterprise_id) {
        return (x->enterprise_id > y->enterprise_id) - (x->enterprise_id < y->enterprise_id);
    }
    if (x->user_id != y->user_id) {
        return (x->user_id > y->user_id) - (x->user_id < y->user_id);
    }
    return y->declared - x->declared;
}

static bool in_roster(const struct build *b, int64_t user_id)
{
    size_t lo = 0, hi = b->n_roster;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (b->roster[mid].id < user_id) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo < b->n_roster && b->roster[lo].id == user_id;
}

static void pair_row(struct db_stmt *st, void *ctx)
{
    struct build *b = ctx;
    int64_t user = db_column_int(st, 0), ent = db_column_int(st, 1);
    if (!in_roster(b, user) || !pool_has(b, ent)) {
        return;
    }
    GROW(b->pairs, b->n_pairs, b->cap_pairs);
    b->pairs[b->n_pairs++] = (struct pair){ent, user, b->declared};
}

/* "quarter" for 2026Q4, "year" for 2026; NULL otherwise. */
static const char *period_kind(const char *p)
{
    size_t n = strlen(p);
    bool year = n >= 4 && p[0] >= '1' && p[0] <= '9' && strspn(p, "0123456789") == 4;
    if (year && n == 4) {
        return "year";
    }
    return year && n == 6 && p[4] == 'Q' && p[5] >= '1' && p[5] <= '4' ? "quarter" : NULL;
}

static int category_percent(const json_t *body, const char *cat, const char *kind, double *pct)
{
    const json_t *r = rules_at(body, "ratios");
    for (size_t i = 0; i < json_array_size(r); i++) {
        const json_t *e = json_array_get(r, i);
        if (!strcmp(rules_string(e, "category", ""), cat) &&
            !strcmp(rules_string(e, "period", ""), kind)) {
            *pct = rules_number(e, "percent", 0);
            return 0;
        }
    }
    return ERR_NOTFOUND;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void build_free(struct build *b)
{
    free(b->in_pool);
    free(b->roster);
    free(b->pairs);
    free(b->regions);
}

/* The roster lines: with own-unit recusal, each inspector's unit's region codes. */
static void write_roster(const struct build *b, bool own_unit, struct buf *out)
{
    for (size_t i = 0; i < b->n_roster; i++) {
        const struct insp *u = &b->roster[i];
        buf_printf(out, "inspector\t%" PRId64 "\t", u->id);
        size_t before = out->len;
        for (size_t k = 0; own_unit && k < b->n_regions; k++) {
            if (b->regions[k].unit == u->unit) {
                buf_printf(out, "%s%s", out->len > before ? "," : "", b->regions[k].code);
            }
        }
        buf_printf(out, "%s\t%s\n", out->len > before ? "" : "-", u->name);
    }
}

static void write_pairs(struct build *b, struct buf *out)
{
    if (b->n_pairs) { /* qsort takes no NULL array, even empty */
        qsort(b->pairs, b->n_pairs, sizeof *b->pairs, cmp_pair);
    }
    for (size_t i = 0; i < b->n_pairs; i++) {
        const struct pair *p = &b->pairs[i];
        if (i && p->enterprise_id == b->pairs[i - 1].enterprise_id &&
            p->user_id == b->pairs[i - 1].user_id) {
            continue;
        }
        buf_printf(out, "recuse\t%" PRId64 "\t%" PRId64 "\t%s\n", p->user_id, p->enterprise_id,
                   p->declared ? "declared" : "last_time");
    }
}

int draw_snapshot_build(struct db *db, const struct draw_plan_row *p, const char *today,
                        struct buf *out, struct rule_ref *ref, int64_t *n_pool, char *err,
                        size_t cap)
{
    const char *kind = period_kind(p->period);
    if (!kind) {
        snprintf(err, cap, "周期应为 2026Q4 或 2026 / period must be like 2026Q4 or 2026");
        return ERR_INPUT;
    }
    json_t *body = NULL;
    int rc = rules_resolve(db, "draw.ratios", p->region_prefix, today, &body, ref);
    if (rc == ERR_NOTFOUND) {
        snprintf(err, cap,
                 "该区域没有生效的 draw.ratios 规则集 / no draw.ratios rule set in force");
        return rc;
    }
    if (rc) {
        return rc;
    }
    struct build b = {0};
    struct buf targets, head;
    buf_init(&targets, DRAW_SNAPSHOT_MAX);
    buf_init(&head, 1 << 20);
    b.targets = &targets;
    const json_t *weights = rules_at(body, "weights");
    for (size_t i = 0; i < json_array_size(weights) && b.n_grades < MAX_GRADES; i++) {
        const json_t *e = json_array_get(weights, i);
        str_copy(b.grades[b.n_grades].code, sizeof b.grades[0].code, rules_string(e, "grade", ""));
        b.grades[b.n_grades++].w = milli(rules_number(e, "weight", 1));
    }
    b.no_grade = milli(rules_number(body, "no_grade_weight", 1));
    b.exclude = !strcmp(rules_string(body, "positive_list.mode", "exclude"), "exclude");
    b.factor = milli(rules_number(body, "positive_list.factor", 0));
    int per_target = (int)rules_int(body, "inspectors_per_target", 2);
    bool balance = json_is_true(rules_at(body, "balance_load"));
    bool own_unit = json_is_true(rules_at(body, "recuse_own_org_unit"));
    bool last_time = json_is_true(rules_at(body, "recuse_last_inspector"));

    buf_printf(&head, DRAW_SNAPSHOT_MAGIC "\t1\nplan\t%" PRId64 "\t%s\t%s\t%s\n", p->id, p->period,
               p->region_prefix[0] ? p->region_prefix : "-", today);
    buf_printf(&head, "rule_set\t%" PRId64 "\t%d\ninspectors_per_target\t%d\nbalance_load\t%d\n",
               ref->id, ref->version, per_target, balance ? 1 : 0);
    /* Categories in byte order: the strata's order in the draw. */
    char *cats_copy = xstrdup(p->categories), *cats[DRAW_MAX_STRATA];
    size_t n_cats = 0;
    for (char *s = cats_copy, *c; (c = strsep(&s, ",")) && n_cats < DRAW_MAX_STRATA;) {
        if (*c) {
            cats[n_cats++] = c;
        }
    }
    qsort(cats, n_cats, sizeof *cats, cmp_str);
    for (size_t i = 0; !rc && i < n_cats; i++) {
        double pct = 0;
        if (category_percent(body, cats[i], kind, &pct)) {
            snprintf(err, cap, "规则集没有类别 %s 的%s比例 / the rule set has no %s ratio for %s",
                     cats[i], !strcmp(kind, "year") ? "年度" : "季度", kind, cats[i]);
            rc = ERR_INPUT;
            break;
        }
        b.eligible = 0;
        rc = store_draw_pool_each(db, p->region_prefix, cats[i], today, pool_row, &b);
        int64_t bp = llround(pct * 100), count = (b.eligible * bp + 9999) / 10000;
        buf_printf(&head, "stratum\t%s\t%" PRId64 "\t%" PRId64 "\n", cats[i], b.eligible,
                   count > b.eligible ? b.eligible : count);
    }
    rc = rc ? rc : store_draw_roster_each(db, p->org_unit_id, p->region_prefix, roster_row, &b);
    rc = rc || !own_unit ? rc : store_draw_unit_regions_each(db, region_row, &b);
    b.declared = 1;
    rc = rc ? rc : store_draw_declared_each(db, pair_row, &b);
    b.declared = 0;
    rc = rc || !last_time ? rc : store_draw_last_each(db, p->id, pair_row, &b);
    if (!rc) {
        buf_append(out, head.p, head.len);
        buf_append(out, targets.p, targets.len);
        write_roster(&b, own_unit, out);
        write_pairs(&b, out);
        *n_pool = b.n;
        if (out->overflow || targets.overflow) {
            snprintf(err, cap, "快照过大 / the snapshot is too large");
            rc = ERR_INPUT;
        }
    }
    free(cats_copy);
    build_free(&b);
    buf_release(&targets);
    buf_release(&head);
    json_decref(body);
    return rc;
}

/* ---------------- the steps ---------------- */

static int audit(struct db *db, const struct draw_actor *who, int64_t id, const char *action,
                 const char *after)
{
    struct audit_entry a = {.actor_id = who->user_id,
                            .actor = who->name,
                            .entity = "draw_plan",
                            .entity_id = id,
                            .action = action,
                            .after_json = after,
                            .request_id = who->request_id,
                            .ip = who->ip};
    return store_audit_add(db, &a);
}

static int state_error(const struct draw_plan_row *p, const char *want, char *err, size_t cap)
{
    snprintf(err, cap, "计划处于 %s 状态，此步需要 %s / the plan is %s; this step needs %s",
             p->state, want, p->state, want);
    return ERR_CONFLICT;
}

int draw_plan_commit(struct db *db, int64_t id, const struct draw_actor *who, const char *now,
                     char *err, size_t cap)
{
    struct draw_plan_row p = {0};
    int rc = store_draw_plan_get(db, id, &p);
    if (rc) {
        return rc;
    }
    if (strcmp(p.state, "draft")) {
        rc = state_error(&p, "draft", err, cap);
        store_draw_plan_free(&p);
        return rc;
    }
    char today[11];
    draw_today(today);
    struct buf snap;
    buf_init(&snap, DRAW_SNAPSHOT_MAX);
    struct rule_ref ref = {0};
    int64_t n_pool = 0;
    rc = draw_snapshot_build(db, &p, today, &snap, &ref, &n_pool, err, cap);
    unsigned char seed[32], h[32];
    char seed_hex[65], seed_sha[65], snap_sha[65];
    randombytes_buf(seed, sizeof seed);
    hex_encode(seed, sizeof seed, seed_hex);
    crypto_hash_sha256(h, seed, sizeof seed);
    hex_encode(h, sizeof h, seed_sha);
    sha256_hex(snap.p, snap.len, snap_sha);
    sodium_memzero(seed, sizeof seed);
    if (!rc) {
        struct draw_commit c = {seed_hex, seed_sha, snap.p, snap_sha,
                                snap.len, n_pool,   ref.id, ref.version};
        rc = store_draw_plan_commit(db, id, &c, now);
    }
    rc = rc ? rc : rules_mark_used(db, &ref);
    if (!rc) {
        char after[400];
        snprintf(after, sizeof after,
                 "{\"seed_sha256\":\"%s\",\"snapshot_sha256\":\"%s\",\"n_pool\":%" PRId64
                 ",\"rule_set_id\":%" PRId64 "}",
                 seed_sha, snap_sha, n_pool, ref.id);
        rc = audit(db, who, id, "commit", after);
    }
    sodium_memzero(seed_hex, sizeof seed_hex);
    buf_release(&snap);
    store_draw_plan_free(&p);
    return rc;
}

/* Visit day of the seq-th target (from 1): the plan's days in turn, visit_from first. */
static void visit_day(const struct draw_plan_row *p, int64_t seq, char out[11])
{
    int32_t from = 0, to = 0;
    calendar_date_parse(p->visit_from, 10, &from);
    calendar_date_parse(p->visit_to, 10, &to);
    int64_t days = to >= from ? (int64_t)to - from + 1 : 1;
    calendar_date_format((int32_t)(from + (seq - 1) % days), out);
}

static int write_result(struct db *db, const struct draw_plan_row *p, const struct draw_input *in,
                        const struct draw_result *res, const char *now)
{
    int rc = 0;
    for (size_t t = 0; !rc && t < res->n_targets; t++) {
        const struct draw_cand *c = &in->pool[res->targets[t]];
        char day[11];
        visit_day(p, (int64_t)t + 1, day);
        struct draw_target_new n = {
            p->id, (int64_t)t + 1, c->enterprise_id, (int64_t)c->weight, c->category,
            day,   c->positive};
        int64_t tid = 0, case_id = 0;
        bool listed = false;
        rc = store_draw_target_insert(db, &n, &tid);
        for (size_t k = res->insp_off[t]; !rc && k < res->insp_off[t + 1]; k++) {
            rc = store_draw_target_inspector_insert(db, tid, in->roster[res->insp[k]].user_id,
                                                    (int64_t)(k - res->insp_off[t] + 1));
        }
        rc = rc ? rc : store_draw_listed_on(db, c->enterprise_id, day, &listed);
        int64_t lead = res->insp_off[t + 1] > res->insp_off[t]
                           ? in->roster[res->insp[res->insp_off[t]]].user_id
                           : 0;
        rc = rc ? rc
                : draw_inspection_open(db, tid, c->enterprise_id, lead, day, listed, now, &case_id);
        rc = rc ? rc : store_draw_target_set_case(db, tid, case_id);
    }
    return rc;
}

int draw_plan_draw(struct db *db, int64_t id, const struct draw_actor *who, const char *now,
                   char *err, size_t cap)
{
    struct draw_plan_row p = {0};
    int rc = store_draw_plan_get(db, id, &p);
    if (rc) {
        return rc;
    }
    if (strcmp(p.state, "committed")) {
        rc = state_error(&p, "committed", err, cap);
        store_draw_plan_free(&p);
        return rc;
    }
    unsigned char seed[32], sha[32];
    struct draw_input in;
    struct draw_result res = {0};
    char *text = xstrndup(p.snapshot, p.snapshot_len);
    rc = draw_hex32(p.seed_hex, seed) || draw_hex32(p.snapshot_sha256, sha) ? ERR_DB : 0;
    rc = rc ? rc : draw_snapshot_parse(text, p.snapshot_len, &in, err, cap);
    if (!rc) {
        rc = draw_run(&in, seed, sha, &res, err, cap);
        if (!rc) {
            rc = write_result(db, &p, &in, &res, now);
        }
        char due[11];
        int32_t to = 0;
        calendar_date_parse(p.visit_to, 10, &to);
        json_t *body = NULL;
        int64_t days = 20;
        struct rule_ref used;
        if (!rules_get(db, p.rule_set_id, &body, &used)) {
            days = rules_int(body, "publish_days", 20);
            json_decref(body);
        }
        calendar_date_format((int32_t)(to + days), due);
        rc = rc ? rc
                : store_draw_plan_drawn(db, id, (int64_t)res.n_targets, (int64_t)res.n_short, due,
                                        now);
        if (!rc) {
            char after[200];
            snprintf(after, sizeof after, "{\"n_targets\":%zu,\"n_short\":%zu}", res.n_targets,
                     res.n_short);
            rc = audit(db, who, id, "draw", after);
        }
        draw_result_free(&res);
        draw_input_free(&in);
    }
    sodium_memzero(seed, sizeof seed);
    free(text);
    store_draw_plan_free(&p);
    return rc;
}

int draw_plan_reveal(struct db *db, int64_t id, const struct draw_actor *who, const char *now,
                     char *err, size_t cap)
{
    struct draw_plan_row p = {0};
    int rc = store_draw_plan_get(db, id, &p);
    if (rc) {
        return rc;
    }
    char today[11];
    draw_today(today);
    if (strcmp(p.state, "drawn")) {
        rc = state_error(&p, "drawn", err, cap);
    } else if (strcmp(today, p.visit_to) < 0) {
        /* The seed replays the whole draw: revealed before the last visit day it would tell
           everyone the targets still to be visited. */
        snprintf(err, cap,
                 "最后检查日 %s 之前不能公开种子（公开即可推出全部抽中对象）/ the seed cannot "
                 "be revealed before the last visit day %s (it gives away every target)",
                 p.visit_to, p.visit_to);
        rc = ERR_CONFLICT;
    } else {
        rc = store_draw_plan_move(db, id, "drawn", "revealed", "revealed_at", now);
        rc = rc ? rc : audit(db, who, id, "reveal", NULL);
    }
    store_draw_plan_free(&p);
    return rc;
}

int draw_plan_publish(struct db *db, int64_t id, const struct draw_actor *who, const char *now,
                      char *err, size_t cap)
{
    struct draw_plan_row p = {0};
    int rc = store_draw_plan_get(db, id, &p);
    if (rc) {
        return rc;
    }
    char last[32];
    int64_t missing = 0;
    if (strcmp(p.state, "revealed")) {
        rc = state_error(&p, "revealed", err, cap);
    } else if (!(rc = store_draw_outcome_stats(db, id, last, &missing)) && missing) {
        snprintf(err, cap,
                 "还有 %" PRId64 " 户未登记检查结果 / %" PRId64 " targets have no outcome yet",
                 missing, missing);
        rc = ERR_CONFLICT;
    } else if (!rc) {
        rc = store_draw_plan_move(db, id, "revealed", "published", "published_at", now);
        rc = rc ? rc : audit(db, who, id, "publish", NULL);
    }
    store_draw_plan_free(&p);
    return rc;
}

/* ---------------- replay as text (CLI, public API) ---------------- */

int draw_replay_text(char *snapshot, size_t len, const char *seed_hex, struct buf *out, char *err,
                     size_t cap)
{
    unsigned char seed[32], sha[32];
    if (draw_hex32(seed_hex, seed)) {
        snprintf(err, cap, "种子应为 64 位十六进制 / the seed must be 64 hex digits");
        return ERR_INPUT;
    }
    crypto_hash_sha256(sha, (const unsigned char *)snapshot, len);
    struct draw_input in;
    int rc = draw_snapshot_parse(snapshot, len, &in, err, cap);
    if (rc) {
        return rc;
    }
    struct draw_result res;
    rc = draw_run(&in, seed, sha, &res, err, cap);
    for (size_t t = 0; !rc && t < res.n_targets; t++) {
        const struct draw_cand *c = &in.pool[res.targets[t]];
        buf_printf(out, "%zu\t%" PRId64 "\t%s\t", t + 1, c->enterprise_id, c->category);
        for (size_t k = res.insp_off[t]; k < res.insp_off[t + 1]; k++) {
            buf_printf(out, "%s%" PRId64, k > res.insp_off[t] ? "," : "",
                       in.roster[res.insp[k]].user_id);
        }
        buf_putc(out, '\n');
    }
    if (!rc) {
        draw_result_free(&res);
    }
    draw_input_free(&in);
    return rc;
}
