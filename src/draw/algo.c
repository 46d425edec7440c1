/*
** The draw itself, pure: parse a snapshot (the canonical text file of a plan's inputs) and
** replay it from a seed. docs/internals/draw.md is the specification this file implements;
** tests/draw_reference.py and web/js/draw/replay.js implement it again independently.
**
** Random stream: block j = SHA-256(seed ‖ SHA-256(snapshot) ‖ BE64(j)), each block four
** big-endian 64-bit words in order. uniform(n) rejects words ≥ 2^64 − (2^64 mod n) and returns
** the word mod n. Targets: per stratum in snapshot order, count sequential weighted draws
** without replacement over its candidates in file order (integer weights; a Fenwick tree finds
** the first candidate whose cumulative weight exceeds r). Inspectors: per target in selection
** order, per_target picks from the roster minus recusals (and, with balance, the least loaded).
*/
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "draw/draw.h"

/* ---------------- snapshot parsing ---------------- */

#define MAX_FIELDS 10

/* Cut line at tabs into f[]; the number of fields. */
static size_t fields_of(char *line, char **f)
{
    size_t n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < MAX_FIELDS; p++) {
        if (*p == '\t') {
            *p = 0;
            f[n++] = p + 1;
        }
    }
    return n;
}

static int int_of(const char *s, int64_t *v)
{
    return parse_i64(s, strlen(s), v) ? ERR_INPUT : 0;
}

static int u64_of(const char *s, uint64_t *v)
{
    int64_t x;
    if (int_of(s, &x) || x < 0) {
        return ERR_INPUT;
    }
    *v = (uint64_t)x;
    return 0;
}

static const char *dash(const char *s)
{
    return strcmp(s, "-") ? s : "";
}

#define GROW(arr, n, cap)                                                                          \
    do {                                                                                           \
        if ((n) == (cap)) {                                                                        \
            (cap) = (cap) ? (cap)*2 : 256;                                                         \
            (arr) = xrealloc((arr), (cap) * sizeof *(arr));                                        \
        }                                                                                          \
    } while (0)

static int parse_line(struct draw_input *in, char **f, size_t n)
{
    const char *k = f[0];
    if (!strcmp(k, "target") && n == 9) {
        GROW(in->pool, in->n_pool, in->cap_pool);
        struct draw_cand *c = &in->pool[in->n_pool++];
        c->category = f[2];
        c->region = f[3];
        c->grade = dash(f[5]);
        c->positive = !strcmp(f[6], "1");
        c->uscc = f[7];
        c->name = f[8];
        return int_of(f[1], &c->enterprise_id) || u64_of(f[4], &c->weight) ? ERR_INPUT : 0;
    }
    if (!strcmp(k, "inspector") && n == 4) {
        GROW(in->roster, in->n_roster, in->cap_roster);
        struct draw_inspector *u = &in->roster[in->n_roster++];
        u->prefixes = dash(f[2]);
        u->name = f[3];
        return int_of(f[1], &u->user_id);
    }
    if (!strcmp(k, "recuse") && n == 4) {
        GROW(in->recusals, in->n_recusals, in->cap_recusals);
        struct draw_recusal *p = &in->recusals[in->n_recusals++];
        p->reason = f[3];
        return int_of(f[1], &p->user_id) || int_of(f[2], &p->enterprise_id) ? ERR_INPUT : 0;
    }
    if (!strcmp(k, "stratum") && n == 4) {
        if (in->n_strata == DRAW_MAX_STRATA) {
            return ERR_INPUT;
        }
        struct draw_stratum *s = &in->strata[in->n_strata++];
        s->category = f[1];
        return int_of(f[2], &s->n_candidates) || int_of(f[3], &s->count) || s->count < 0 ? ERR_INPUT
                                                                                         : 0;
    }
    if (!strcmp(k, "plan") && n == 5) {
        in->period = f[2];
        in->region_prefix = dash(f[3]);
        in->date = f[4];
        return int_of(f[1], &in->plan_id);
    }
    if (!strcmp(k, "rule_set") && n == 3) {
        return int_of(f[1], &in->rule_set_id) || int_of(f[2], &in->rule_version) ? ERR_INPUT : 0;
    }
    if (!strcmp(k, "inspectors_per_target") && n == 2) {
        int64_t m;
        if (int_of(f[1], &m) || m < 1 || m > 10) {
            return ERR_INPUT;
        }
        in->per_target = (int)m;
        return 0;
    }
    if (!strcmp(k, "balance_load") && n == 2) {
        in->balance = !strcmp(f[1], "1");
        return 0;
    }
    return ERR_INPUT;
}

int draw_snapshot_parse(char *text, size_t len, struct draw_input *in, char *err, size_t cap)
{
    memset(in, 0, sizeof *in);
    in->per_target = 2;
    char *p = text, *end = text + len;
    size_t line_no = 0;
    if (len < sizeof DRAW_SNAPSHOT_MAGIC || memcmp(text, DRAW_SNAPSHOT_MAGIC "\t1\n", 23)) {
        snprintf(err, cap,
                 "第 1 行不是 \"" DRAW_SNAPSHOT_MAGIC "\\t1\" / line 1 is not the header");
        return ERR_INPUT;
    }
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        line_no++;
        if (!nl) {
            snprintf(err, cap, "第 %zu 行没有换行符结尾 / line %zu does not end with LF", line_no,
                     line_no);
            goto bad;
        }
        *nl = 0;
        char *f[MAX_FIELDS];
        size_t n = fields_of(p, f);
        if (line_no > 1 && parse_line(in, f, n)) {
            snprintf(err, cap, "第 %zu 行格式不对（%s）/ line %zu is malformed (%s)", line_no, f[0],
                     line_no, f[0]);
            goto bad;
        }
        p = nl + 1;
    }
    for (size_t i = 1; i < in->n_roster; i++) {
        if (in->roster[i - 1].user_id >= in->roster[i].user_id) {
            snprintf(err, cap,
                     "inspector 行应按人员编号升序且不重复 / inspector lines must be sorted by "
                     "user id without repeats");
            goto bad;
        }
    }
    for (size_t i = 1; i < in->n_recusals; i++) {
        const struct draw_recusal *a = &in->recusals[i - 1], *b = &in->recusals[i];
        if (a->enterprise_id > b->enterprise_id ||
            (a->enterprise_id == b->enterprise_id && a->user_id >= b->user_id)) {
            snprintf(err, cap,
                     "recuse 行应按企业、人员升序且不重复 / recuse lines must be sorted by "
                     "(enterprise, inspector) without repeats");
            goto bad;
        }
    }
    return 0;
bad:
    draw_input_free(in);
    return ERR_INPUT;
}

void draw_input_free(struct draw_input *in)
{
    free(in->pool);
    free(in->roster);
    free(in->recusals);
    in->pool = NULL;
    in->roster = NULL;
    in->recusals = NULL;
    in->n_pool = in->n_roster = in->n_recusals = 0;
}

/* ---------------- the random stream ---------------- */

struct stream {
    unsigned char key[72]; /* seed ‖ snapshot hash ‖ BE64(counter) */
    uint64_t counter;
    unsigned char block[32];
    int used; /* words of block consumed, 4 = take a new block */
};

static void stream_init(struct stream *s, const unsigned char seed[32], const unsigned char sha[32])
{
    memcpy(s->key, seed, 32);
    memcpy(s->key + 32, sha, 32);
    s->counter = 0;
    s->used = 4;
}

static uint64_t stream_word(struct stream *s)
{
    if (s->used == 4) {
        for (int i = 0; i < 8; i++) {
            s->key[64 + i] = (unsigned char)(s->counter >> (56 - 8 * i));
        }
        crypto_hash_sha256(s->block, s->key, sizeof s->key);
        s->counter++;
        s->used = 0;
    }
    const unsigned char *b = s->block + 8 * s->used++;
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) {
        v = v << 8 | b[i];
    }
    return v;
}

/* A uniform integer in [0, n), n >= 1, by rejection: no modulo bias. */
static uint64_t uniform(struct stream *s, uint64_t n)
{
    uint64_t rem = (0 - n) % n; /* 2^64 mod n */
    for (;;) {
        uint64_t v = stream_word(s);
        if (v <= UINT64_MAX - rem) {
            return v % n;
        }
    }
}

/* ---------------- targets ---------------- */

/* Fenwick tree over weights w[1..n]: prefix sums, and the first index whose prefix exceeds r. */
struct fenwick {
    uint64_t *t;
    size_t n, top; /* top: the largest power of two <= n */
};

static void fen_init(struct fenwick *f, const uint64_t *w, size_t n)
{
    f->n = n;
    f->t = xcalloc(n + 1, sizeof *f->t);
    for (size_t i = 1; i <= n; i++) {
        f->t[i] += w[i - 1];
        size_t j = i + (i & (0 - i));
        if (j <= n) {
            f->t[j] += f->t[i];
        }
    }
    for (f->top = 1; f->top * 2 <= n; f->top *= 2) {
    }
}

static void fen_sub(struct fenwick *f, size_t i, uint64_t w)
{
    for (i++; i <= f->n; i += i & (0 - i)) {
        f->t[i] -= w;
    }
}

static void fen_add(struct fenwick *f, size_t i, uint64_t w)
{
    for (i++; i <= f->n; i += i & (0 - i)) {
        f->t[i] += w;
    }
}

/* The 0-based index of the first element whose cumulative weight exceeds r (r < total). */
static size_t fen_find(const struct fenwick *f, uint64_t r)
{
    size_t pos = 0;
    for (size_t step = f->n ? f->top : 0; step; step >>= 1) {
        if (pos + step <= f->n && f->t[pos + step] <= r) {
            pos += step;
            r -= f->t[pos];
        }
    }
    return pos;
}

static int draw_stratum(const struct draw_input *in, const struct draw_stratum *st,
                        struct stream *s, struct draw_result *out, char *err, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < in->n_pool; i++) {
        n += in->pool[i].weight && !strcmp(in->pool[i].category, st->category);
    }
    if ((uint64_t)st->count > n) {
        snprintf(err, cap,
                 "类别 %s 要抽 %lld 家，只有 %zu 家候选 / stratum %s asks for %lld of %zu",
                 st->category, (long long)st->count, n, st->category, (long long)st->count, n);
        return ERR_INPUT;
    }
    size_t *idx = xmalloc((n ? n : 1) * sizeof *idx);
    uint64_t *w = xmalloc((n ? n : 1) * sizeof *w), total = 0;
    n = 0;
    for (size_t i = 0; i < in->n_pool; i++) {
        if (in->pool[i].weight && !strcmp(in->pool[i].category, st->category)) {
            idx[n] = i;
            w[n++] = in->pool[i].weight;
            total += in->pool[i].weight;
        }
    }
    struct fenwick f;
    fen_init(&f, w, n);
    for (int64_t k = 0; k < st->count; k++) {
        size_t j = fen_find(&f, uniform(s, total));
        out->targets[out->n_targets++] = idx[j];
        fen_sub(&f, j, w[j]);
        total -= w[j];
    }
    free(f.t);
    free(w);
    free(idx);
    return 0;
}

/* ---------------- inspectors ---------------- */

/* Whether region starts with one of the comma-separated prefixes. */
static bool prefixed(const char *prefixes, const char *region)
{
    for (const char *p = prefixes; *p;) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        if (len && !strncmp(region, p, len)) {
            return true;
        }
        p = c ? c + 1 : p + len;
    }
    return false;
}

/* The first recusal of enterprise e (recusals are sorted by enterprise). */
static size_t recusal_first(const struct draw_input *in, int64_t e)
{
    size_t lo = 0, hi = in->n_recusals;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (in->recusals[mid].enterprise_id < e) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* The roster index of user_id (the roster is sorted by user id), SIZE_MAX when absent. */
static size_t roster_index(const struct draw_input *in, int64_t user_id)
{
    size_t lo = 0, hi = in->n_roster;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (in->roster[mid].user_id < user_id) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo < in->n_roster && in->roster[lo].user_id == user_id ? lo : SIZE_MAX;
}

/* One pick among the roster entries not blocked (and, with balance, of least load): the i-th
   such entry in roster order, i = uniform(count). One pass gathers them into cand (room for
   the roster). SIZE_MAX when none is left. */
static size_t pick_inspector(const struct draw_input *in, const unsigned char *blocked,
                             const int64_t *load, size_t *cand, struct stream *s)
{
    int64_t least = INT64_MAX;
    size_t n = 0;
    for (size_t u = 0; u < in->n_roster; u++) {
        if (blocked[u]) {
            continue;
        }
        if (in->balance && load[u] != least) {
            if (load[u] > least) {
                continue;
            }
            least = load[u];
            n = 0;
        }
        cand[n++] = u;
    }
    return n ? cand[uniform(s, n)] : SIZE_MAX;
}

/*
** The same picks as pick_inspector, faster for a big roster (the common case: no recusal by
** region prefix). The least-loaded inspectors are the level: a Fenwick tree over the roster
** marks those whose load is the global least, so the i-th eligible one in roster order is found
** in O(log n) with this target's few blocked ones taken out for the moment; when every one of
** the level is blocked, pick_inspector's scan decides. Without balance the i-th unblocked one
** is found by stepping over the sorted blocked positions.
*/
struct level {
    struct fenwick f;
    int64_t least;
    size_t n; /* inspectors whose load is least */
};

static void level_build(struct level *lv, const int64_t *load, size_t n_roster)
{
    uint64_t *w = xmalloc((n_roster ? n_roster : 1) * sizeof *w);
    lv->least = INT64_MAX;
    for (size_t u = 0; u < n_roster; u++) {
        lv->least = load[u] < lv->least ? load[u] : lv->least;
    }
    lv->n = 0;
    for (size_t u = 0; u < n_roster; u++) {
        w[u] = load[u] == lv->least;
        lv->n += w[u];
    }
    free(lv->f.t);
    fen_init(&lv->f, w, n_roster);
    free(w);
}

static size_t pick_fast(const struct draw_input *in, const unsigned char *blocked,
                        const int64_t *load, size_t *cand, const size_t *bl, size_t n_bl,
                        struct level *lv, struct stream *s)
{
    if (!in->balance) {
        size_t n = in->n_roster - n_bl;
        if (!n) {
            return SIZE_MAX;
        }
        size_t x = (size_t)uniform(s, n);
        for (size_t k = 0; k < n_bl && bl[k] <= x; k++) {
            x++; /* bl is sorted: each blocked position at or before x pushes it on */
        }
        return x;
    }
    size_t off = 0;
    for (size_t k = 0; k < n_bl; k++) {
        if (load[bl[k]] == lv->least) {
            fen_sub(&lv->f, bl[k], 1);
            off++;
        }
    }
    size_t u = SIZE_MAX;
    if (lv->n > off) {
        u = fen_find(&lv->f, uniform(s, lv->n - off));
    }
    for (size_t k = 0; k < n_bl; k++) {
        if (load[bl[k]] == lv->least) {
            fen_add(&lv->f, bl[k], 1);
        }
    }
    return u != SIZE_MAX ? u : pick_inspector(in, blocked, load, cand, s);
}

/* Insert v into the sorted array a[0..*n). */
static void sorted_insert(size_t *a, size_t *n, size_t v)
{
    size_t i = *n;
    for (; i > 0 && a[i - 1] > v; i--) {
        a[i] = a[i - 1];
    }
    a[i] = v;
    (*n)++;
}

static void draw_inspectors(const struct draw_input *in, struct stream *s, struct draw_result *out)
{
    size_t n_r = in->n_roster ? in->n_roster : 1;
    unsigned char *blocked = xcalloc(n_r, 1);
    int64_t *load = xcalloc(n_r, sizeof *load);
    size_t *by_prefix = xmalloc(n_r * sizeof *by_prefix), n_prefix = 0;
    size_t *cand = xmalloc(n_r * sizeof *cand);
    size_t *bl = xmalloc(n_r * sizeof *bl);
    for (size_t u = 0; u < in->n_roster; u++) {
        if (in->roster[u].prefixes[0]) {
            by_prefix[n_prefix++] = u;
        }
    }
    struct level lv = {0};
    bool fast = n_prefix == 0;
    if (fast && in->balance) {
        level_build(&lv, load, in->n_roster);
    }
    size_t n_insp = 0;
    for (size_t t = 0; t < out->n_targets; t++) {
        const struct draw_cand *c = &in->pool[out->targets[t]];
        size_t first = recusal_first(in, c->enterprise_id), last = first, n_bl = 0;
        for (; last < in->n_recusals && in->recusals[last].enterprise_id == c->enterprise_id;
             last++) {
            size_t u = roster_index(in, in->recusals[last].user_id);
            if (u != SIZE_MAX && !blocked[u]) {
                blocked[u] = 1;
                sorted_insert(bl, &n_bl, u);
            }
        }
        for (size_t k = 0; k < n_prefix; k++) {
            blocked[by_prefix[k]] |= prefixed(in->roster[by_prefix[k]].prefixes, c->region);
        }
        out->insp_off[t] = n_insp;
        for (int m = 0; m < in->per_target; m++) {
            size_t u = fast ? pick_fast(in, blocked, load, cand, bl, n_bl, &lv, s)
                            : pick_inspector(in, blocked, load, cand, s);
            if (u == SIZE_MAX) {
                out->n_short++;
                break;
            }
            out->insp[n_insp++] = u;
            blocked[u] = 1;
            sorted_insert(bl, &n_bl, u);
            if (fast && in->balance && load[u] == lv.least) {
                fen_sub(&lv.f, u, 1);
                lv.n--;
            }
            load[u]++;
            if (fast && in->balance && !lv.n) {
                level_build(&lv, load, in->n_roster);
            }
        }
        for (size_t k = 0; k < n_bl; k++) {
            blocked[bl[k]] = 0;
        }
        for (size_t k = 0; k < n_prefix; k++) {
            blocked[by_prefix[k]] = 0;
        }
    }
    out->insp_off[out->n_targets] = n_insp;
    free(lv.f.t);
    free(bl);
    free(cand);
    free(by_prefix);
    free(load);
    free(blocked);
}

int draw_run(const struct draw_input *in, const unsigned char seed[32],
             const unsigned char snap_sha[32], struct draw_result *out, char *err, size_t cap)
{
    memset(out, 0, sizeof *out);
    size_t total = 0;
    for (size_t i = 0; i < in->n_strata; i++) {
        total += (size_t)in->strata[i].count;
    }
    out->targets = xmalloc((total ? total : 1) * sizeof *out->targets);
    out->insp = xmalloc((total ? total : 1) * (size_t)in->per_target * sizeof *out->insp);
    out->insp_off = xmalloc((total + 1) * sizeof *out->insp_off);
    struct stream s;
    stream_init(&s, seed, snap_sha);
    for (size_t i = 0; i < in->n_strata; i++) {
        int rc = draw_stratum(in, &in->strata[i], &s, out, err, cap);
        if (rc) {
            draw_result_free(out);
            return rc;
        }
    }
    draw_inspectors(in, &s, out);
    return 0;
}

void draw_result_free(struct draw_result *r)
{
    free(r->targets);
    free(r->insp);
    free(r->insp_off);
    memset(r, 0, sizeof *r);
}

int draw_hex32(const char *s, unsigned char out[32])
{
    size_t bin_len = 0;
    if (!s || strlen(s) != 64 || sodium_hex2bin(out, 32, s, 64, NULL, &bin_len, NULL) ||
        bin_len != 32) {
        return ERR_INPUT;
    }
    return 0;
}

void draw_field_clean(char *s)
{
    for (; *s; s++) {
        if (*s == '\t' || *s == '\n' || *s == '\r') {
            *s = ' ';
        }
    }
}
