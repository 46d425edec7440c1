/*
** Grades in the database: filing and revoking events, recomputing one subject in the event's
** transaction, the nightly pass over every subject in batches, the exceedance-day feed from
** alarms, and credit_grade_at. A grade row is written only when the grade or the score changed,
** with the events behind the change (added / removed against the events counted before) and
** the rule-set version that graded, which is marked used in the same transaction.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "core/util.h"
#include "credit/credit.h"
#include "rules/rules.h"
#include "store/q_credit.h"

#define MAX_EFFECTS 4096 /* counting events of one subject kept in the history row */

static const char *rule_kind(const char *subject_kind)
{
    return !strcmp(subject_kind, "agency") ? "credit.agency" : "credit.scoring";
}

static void today_of(const char *now, char out[11])
{
    char cn[20];
    snprintf(out, 11, "%.10s", iso_utc_to_china(now, cn) ? cn : now);
}

/* ---------------- rule sets, resolved once per region and run ---------------- */

struct resolved {
    char region[16];
    int rc; /* 0, or ERR_NOTFOUND when none is in force */
    struct credit_model model;
    struct rule_ref ref;
    bool marked;
};

static int resolve_model(struct db *db, const char *kind, const char *region, const char *today,
                         struct resolved *r)
{
    snprintf(r->region, sizeof r->region, "%s", region);
    r->marked = false;
    json_t *body = NULL;
    r->rc = rules_resolve(db, rule_kind(kind), region, today, &body, &r->ref);
    if (r->rc == ERR_NOTFOUND) {
        return 0;
    }
    if (r->rc) {
        return r->rc;
    }
    char err[200];
    int rc = credit_model_parse(body, &r->model, err, sizeof err);
    json_decref(body);
    if (rc) {
        log_warn("credit: rule set %lld does not parse: %s", (long long)r->ref.id, err);
        r->rc = ERR_NOTFOUND;
    }
    return 0;
}

/* ---------------- one subject ---------------- */

/* The ids of the events that move the score (or veto) as "1,5,9" into out. */
static void counted_ids(const struct credit_effect *eff, size_t n, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = 0;
    for (size_t i = 0; i < n; i++) {
        if (eff[i].effect == 0 && !eff[i].veto) {
            continue;
        }
        int w =
            snprintf(out + len, cap - len, "%s%lld", len ? "," : "", (long long)eff[i].event_id);
        if (w < 0 || (size_t)w >= cap - len) {
            out[len] = 0; /* the list is a hint for the next diff; a very long one is cut */
            return;
        }
        len += (size_t)w;
    }
}

static bool id_in(const char *list, int64_t id)
{
    for (const char *p = list; p && *p;) {
        if (strtoll(p, NULL, 10) == id) {
            return true;
        }
        p = strchr(p, ',');
        p = p ? p + 1 : NULL;
    }
    return false;
}

static void effect_json(struct buf *b, const struct credit_effect *e)
{
    buf_printf(b, "{\"id\":%lld,\"type\":", (long long)e->event_id);
    buf_json_str(b, e->type, strlen(e->type));
    buf_printf(b, ",\"effect\":%g%s,\"until\":", e->effect, e->veto ? ",\"veto\":true" : "");
    e->until[0] ? buf_json_str(b, e->until, strlen(e->until)) : buf_puts(b, "null");
    buf_putc(b, '}');
}

/* added (counting now, not in before), removed (in before, not counting now), all counting. */
static void change_json(const struct credit_effect *eff, size_t n, const char *before,
                        const char *now_ids, struct buf *added, struct buf *removed,
                        struct buf *all)
{
    buf_putc(added, '[');
    buf_putc(all, '[');
    for (size_t i = 0; i < n; i++) {
        if (eff[i].effect == 0 && !eff[i].veto) {
            continue;
        }
        buf_puts(all, all->len > 1 ? "," : "");
        effect_json(all, &eff[i]);
        if (!id_in(before, eff[i].event_id)) {
            buf_puts(added, added->len > 1 ? "," : "");
            effect_json(added, &eff[i]);
        }
    }
    buf_putc(added, ']');
    buf_putc(all, ']');
    buf_putc(removed, '[');
    for (const char *p = before; p && *p;) {
        int64_t id = strtoll(p, NULL, 10);
        if (!id_in(now_ids, id)) {
            buf_printf(removed, "%s{\"id\":%lld}", removed->len > 1 ? "," : "", (long long)id);
        }
        p = strchr(p, ',');
        p = p ? p + 1 : NULL;
    }
    buf_putc(removed, ']');
}

struct grade_input {
    const char *kind;
    const struct credit_subject_row *subj;
    struct resolved *rule;
    const struct credit_event *ev;
    size_t n_ev;
    const struct credit_current_row *cur; /* NULL = never graded */
    const char *cause, *today, *now;
    size_t eff_cap; /* room in the effects array */
};

/* Writes gathered for one multi-row statement each (the nightly pass writes a batch's changes
   in CREDIT_WRITE_BATCH rows per statement: one round trip, not two per subject). */
struct writes {
    const char *kind, *now;
    size_t cap; /* rows of the arrays (at most CREDIT_WRITE_BATCH): flushed when full */
    struct credit_current_row *cur;
    struct credit_grade_row *g;
    char (*prev)[17];
    char *(*json)[3]; /* added, removed, counted: heap, freed at the flush */
    size_t n_cur, n_g;
};

static void writes_init(struct writes *w, size_t cap, const char *kind, const char *now)
{
    *w = (struct writes){.kind = kind, .now = now, .cap = cap};
    w->cur = xcalloc(cap, sizeof *w->cur);
    w->g = xcalloc(cap, sizeof *w->g);
    w->prev = xcalloc(cap, sizeof *w->prev);
    w->json = xcalloc(cap, sizeof *w->json);
}

static void writes_free(struct writes *w)
{
    free(w->cur);
    free(w->g);
    free(w->prev);
    free(w->json);
}

static int writes_flush(struct db *db, struct writes *w)
{
    int rc = store_credit_grades_insert_many(db, w->g, w->n_g);
    rc = rc ? rc : store_credit_current_put_many(db, w->kind, w->cur, w->n_cur, w->now);
    for (size_t i = 0; i < w->n_g; i++) {
        for (int j = 0; j < 3; j++) {
            free(w->json[i][j]);
        }
    }
    w->n_cur = w->n_g = 0;
    return rc;
}

static char *take(struct buf *b, const char *def)
{
    char *s = xmalloc(b->len + 1);
    memcpy(s, b->p ? b->p : def, b->p ? b->len : strlen(def));
    s[b->p ? b->len : strlen(def)] = 0;
    buf_release(b);
    return s;
}

/* The history row of a change into w (its JSON taken into w's ownership). */
static void history_row(const struct grade_input *in, const struct credit_effect *eff, size_t n,
                        const struct credit_current_row *next, struct writes *w)
{
    const struct credit_current_row *cur = in->cur;
    struct buf added, removed, all;
    buf_init(&added, 1 << 20);
    buf_init(&removed, 1 << 20);
    buf_init(&all, 1 << 20);
    change_json(eff, n, cur ? cur->counted : "", next->counted, &added, &removed, &all);
    size_t i = w->n_g++;
    snprintf(w->prev[i], sizeof w->prev[i], "%s", cur ? cur->grade : "");
    w->json[i][0] = take(&added, "[]");
    w->json[i][1] = take(&removed, "[]");
    w->json[i][2] = take(&all, "[]");
    w->g[i] = (struct credit_grade_row){.kind = in->kind,
                                        .subject_id = in->subj->id,
                                        .grade = next->grade,
                                        .prev_grade = w->prev[i],
                                        .score = next->score,
                                        .prev_score = cur ? cur->score : 0,
                                        .veto = next->veto,
                                        .rule_set_id = next->rule_set_id,
                                        .rule_version = next->rule_version,
                                        .since = in->today,
                                        .computed_at = in->now,
                                        .cause = in->cause,
                                        .added_json = w->json[i][0],
                                        .removed_json = w->json[i][1],
                                        .counted_json = w->json[i][2]};
}

/* Score one subject and queue what changed in w (flushed when full). *changed says whether a
   history row was queued. */
static int grade_subject(struct db *db, const struct grade_input *in, struct credit_effect *eff,
                         struct writes *w, bool *changed)
{
    *changed = false;
    struct credit_result res;
    credit_score(&in->rule->model, in->ev, in->n_ev, in->today, in->subj->registered_on, &res, eff,
                 in->eff_cap);
    struct credit_current_row *next = &w->cur[w->n_cur];
    next->subject_id = in->subj->id;
    snprintf(next->grade, sizeof next->grade, "%s", res.grade);
    next->score = res.score;
    next->rule_set_id = in->rule->ref.id;
    next->rule_version = in->rule->ref.version;
    next->veto = res.veto;
    counted_ids(eff, res.n_counted, next->counted, sizeof next->counted);
    const struct credit_current_row *cur = in->cur;
    bool moved = !cur || strcmp(cur->grade, next->grade) || cur->score != next->score;
    if (!moved && cur->rule_set_id == next->rule_set_id &&
        cur->rule_version == next->rule_version && cur->veto == next->veto &&
        !strcmp(cur->counted, next->counted)) {
        return 0; /* nothing at all changed: no write (the nightly pass's usual case) */
    }
    snprintf(next->since, sizeof next->since, "%s", moved ? in->today : cur->since);
    if (moved) {
        history_row(in, eff, res.n_counted, next, w);
        *changed = true;
    }
    w->n_cur++;
    int rc = 0;
    if (!in->rule->marked) {
        rc = rules_mark_used(db, &in->rule->ref);
        in->rule->marked = !rc;
    }
    return rc ? rc : w->n_cur == w->cap ? writes_flush(db, w) : 0;
}

/* Events of one subject, gathered from a row callback (types copied into names). */
struct ev_list {
    struct credit_event *v;
    char (*types)[CREDIT_TYPE_MAX + 1];
    int64_t *subject;
    size_t n, cap;
};

static void ev_push(const struct credit_event_row *e, void *ctx)
{
    struct ev_list *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
        l->types = xrealloc(l->types, l->cap * sizeof *l->types);
        l->subject = xrealloc(l->subject, l->cap * sizeof *l->subject);
    }
    struct credit_event *x = &l->v[l->n];
    x->id = e->id;
    snprintf(l->types[l->n], sizeof l->types[l->n], "%s", e->type);
    snprintf(x->occurred_on, sizeof x->occurred_on, "%s", e->occurred_on);
    x->has_points = e->has_points;
    x->points = e->points;
    l->subject[l->n] = e->subject_id;
    l->n++;
}

/* The type pointers point into l->types, which may move while rows arrive: set them after. */
static void ev_fix_types(struct ev_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        l->v[i].type = l->types[i];
    }
}

static void ev_free(struct ev_list *l)
{
    free(l->v);
    free(l->types);
    free(l->subject);
    memset(l, 0, sizeof *l);
}

static void cur_one(const struct credit_current_row *c, void *ctx)
{
    struct credit_current_row *out = ctx;
    *out = *c;
}

int credit_recompute_one(struct db *db, const char *subject_kind, int64_t id, const char *cause,
                         const char *now)
{
    char today[11];
    today_of(now, today);
    struct credit_subject_row subj;
    int rc = store_credit_subject(db, subject_kind, id, &subj);
    if (rc) {
        return rc == ERR_NOTFOUND ? ERR_INPUT : rc;
    }
    static _Thread_local struct resolved rule;
    static _Thread_local struct credit_current_row cur;
    rc = resolve_model(db, subject_kind, subj.region_code, today, &rule);
    if (rc || rule.rc) {
        return rc ? rc : rule.rc;
    }
    cur.subject_id = 0;
    struct ev_list l = {0};
    rc = store_credit_current_each(db, subject_kind, id, id, cur_one, &cur);
    rc = rc ? rc : store_credit_events_each(db, subject_kind, id, id, ev_push, &l);
    ev_fix_types(&l);
    struct grade_input in = {.kind = subject_kind,
                             .subj = &subj,
                             .rule = &rule,
                             .ev = l.v,
                             .n_ev = l.n,
                             .cur = cur.subject_id == id ? &cur : NULL,
                             .cause = cause,
                             .today = today,
                             .now = now};
    /* heap, not the stack: a subject may have thousands of counting events */
    in.eff_cap = l.n < MAX_EFFECTS ? l.n + 1 : MAX_EFFECTS;
    struct credit_effect *eff = xmalloc(in.eff_cap * sizeof *eff);
    struct writes w;
    writes_init(&w, 1, subject_kind, now);
    bool changed;
    rc = rc ? rc : grade_subject(db, &in, eff, &w, &changed);
    int frc = writes_flush(db, &w); /* frees what was queued, written or not */
    writes_free(&w);
    free(eff);
    ev_free(&l);
    return rc ? rc : frc;
}

/* ---------------- events ---------------- */

static int audit_event(struct db *db, int64_t id, const char *action, int64_t actor_id,
                       const char *actor, const char *request_id, const char *ip, const char *after)
{
    struct audit_entry a = {.actor_id = actor_id,
                            .actor = actor ? actor : "system",
                            .entity = "credit_event",
                            .entity_id = id,
                            .action = action,
                            .after_json = after,
                            .request_id = request_id,
                            .ip = ip};
    return store_audit_add(db, &a);
}

int credit_event_add(struct db *db, const struct credit_event_input *in, const char *now,
                     int64_t *id)
{
    struct credit_subject_row subj;
    int rc = store_credit_subject(db, in->subject_kind, in->subject_id, &subj);
    if (rc) {
        return rc == ERR_NOTFOUND ? ERR_INPUT : rc;
    }
    struct credit_event_new e = {.kind = in->subject_kind,
                                 .subject_id = in->subject_id,
                                 .type = in->type,
                                 .occurred_on = in->occurred_on,
                                 .has_points = in->has_points,
                                 .points = in->points,
                                 .reason = in->reason,
                                 .evidence = in->evidence,
                                 .source = in->source,
                                 .dedupe_key = in->dedupe_key,
                                 .evidence_attachment_id = in->evidence_attachment_id,
                                 .source_id = in->source_id,
                                 .created_by = in->actor_id};
    rc = store_credit_event_insert(db, &e, now, id);
    if (rc || !*id) {
        return rc; /* a fact already filed under its key: nothing changes */
    }
    struct buf after;
    buf_init(&after, 8192);
    buf_puts(&after, "{\"type\":");
    buf_json_str(&after, in->type, strlen(in->type));
    buf_puts(&after, ",\"occurred_on\":");
    buf_json_str(&after, in->occurred_on, strlen(in->occurred_on));
    buf_printf(&after, ",\"subject_kind\":\"%s\",\"subject_id\":%lld}", in->subject_kind,
               (long long)in->subject_id);
    rc = audit_event(db, *id, "create", in->actor_id, in->actor, in->request_id, in->ip, after.p);
    buf_release(&after);
    rc = rc ? rc : credit_recompute_one(db, in->subject_kind, in->subject_id, "event", now);
    return rc == ERR_NOTFOUND ? 0 : rc; /* no rule set in force: the event waits for one */
}

int credit_event_revoke(struct db *db, int64_t id, const char *reason, int64_t actor_id,
                        const char *actor, const char *cause, const char *now)
{
    char kind[16];
    int64_t subject;
    bool revoked = false;
    int rc = store_credit_event_subject(db, id, kind, &subject, &revoked);
    if (rc) {
        return rc;
    }
    if (revoked) {
        return ERR_CONFLICT;
    }
    rc = store_credit_event_revoke(db, id, actor_id, reason, now);
    rc = rc ? rc : audit_event(db, id, "revoke", actor_id, actor, NULL, NULL, NULL);
    rc = rc ? rc : credit_recompute_one(db, kind, subject, cause, now);
    return rc == ERR_NOTFOUND ? 0 : rc; /* no rule set in force: nothing to grade */
}

int credit_grade_at(struct db *db, const char *subject_kind, int64_t id, const char *date,
                    struct credit_grade *out)
{
    memset(out, 0, sizeof *out);
    return store_credit_grade_at(db, subject_kind, id, date, out->grade, &out->score,
                                 &out->rule_set_id, &out->rule_version, out->since);
}

int credit_alarm_opened(struct db *db, int64_t alarm_id, const char *kind, const char *now)
{
    if (strcmp(kind, "exceed")) {
        return 0;
    }
    int64_t ent;
    char first[32];
    int rc = store_credit_alarm(db, alarm_id, &ent, first);
    if (rc) {
        return rc == ERR_NOTFOUND ? 0 : rc;
    }
    char day[11], key[64], evidence[64];
    today_of(first, day);
    snprintf(key, sizeof key, "exceed:%lld:%s", (long long)ent, day);
    snprintf(evidence, sizeof evidence, "超标报警 #%lld", (long long)alarm_id);
    struct credit_event_input in = {.subject_kind = "enterprise",
                                    .subject_id = ent,
                                    .type = "exceedance_day",
                                    .occurred_on = day,
                                    .reason = "在线监测超标",
                                    .evidence = evidence,
                                    .source = "alarm",
                                    .source_id = alarm_id,
                                    .dedupe_key = key,
                                    .actor = "system"};
    int64_t id;
    return credit_event_add(db, &in, now, &id);
}

/* ---------------- the nightly pass ---------------- */

#define BATCH 2000
#define MAX_REGIONS 512

struct pass {
    const char *kind, *today, *now;
    struct resolved *rules;
    size_t n_rules;
    struct credit_subject_row subj[BATCH];
    size_t n_subj;
    struct credit_current_row *cur; /* BATCH, by subject id */
    size_t n_cur;
    struct ev_list ev;
    struct credit_effect eff[MAX_EFFECTS];
    struct writes w;
    int64_t n_subjects, n_changed;
};

static void subj_push(const struct credit_subject_row *s, void *ctx)
{
    struct pass *p = ctx;
    p->subj[p->n_subj++] = *s;
}

static void cur_push(const struct credit_current_row *c, void *ctx)
{
    struct pass *p = ctx;
    p->cur[p->n_cur++] = *c;
}

static struct resolved *rule_for(struct db *db, struct pass *p, const char *region, int *rc)
{
    for (size_t i = p->n_rules; i-- > 0;) {
        if (!strcmp(p->rules[i].region, region)) {
            return &p->rules[i];
        }
    }
    struct resolved *r = p->n_rules < MAX_REGIONS ? &p->rules[p->n_rules++] : &p->rules[0];
    *rc = resolve_model(db, p->kind, region, p->today, r);
    return r;
}

/* One batch: subjects after *after, their events and grades, graded in one transaction. */
static int pass_batch(struct db *db, struct pass *p, int64_t *after, bool *more)
{
    p->n_subj = p->n_cur = 0;
    p->ev.n = 0;
    int rc = store_credit_subjects_each(db, p->kind, *after, BATCH, subj_push, p);
    *more = !rc && p->n_subj == BATCH;
    if (rc || !p->n_subj) {
        return rc;
    }
    int64_t lo = p->subj[0].id, hi = p->subj[p->n_subj - 1].id;
    rc = store_credit_events_each(db, p->kind, lo, hi, ev_push, &p->ev);
    rc = rc ? rc : store_credit_current_each(db, p->kind, lo, hi, cur_push, p);
    ev_fix_types(&p->ev);
    size_t e = 0, c = 0;
    for (size_t i = 0; !rc && i < p->n_subj; i++) {
        const struct credit_subject_row *s = &p->subj[i];
        while (e < p->ev.n && p->ev.subject[e] < s->id) {
            e++;
        }
        size_t e0 = e;
        while (e < p->ev.n && p->ev.subject[e] == s->id) {
            e++;
        }
        while (c < p->n_cur && p->cur[c].subject_id < s->id) {
            c++;
        }
        struct resolved *r = rule_for(db, p, s->region_code, &rc);
        if (rc || r->rc) {
            continue; /* no rule set in force for the region: left ungraded */
        }
        struct grade_input in = {.kind = p->kind,
                                 .subj = s,
                                 .rule = r,
                                 .ev = p->ev.v + e0,
                                 .n_ev = e - e0,
                                 .cur = c < p->n_cur && p->cur[c].subject_id == s->id ? &p->cur[c]
                                                                                      : NULL,
                                 .cause = "recompute",
                                 .today = p->today,
                                 .now = p->now,
                                 .eff_cap = MAX_EFFECTS};
        bool changed = false;
        rc = grade_subject(db, &in, p->eff, &p->w, &changed);
        p->n_changed += changed;
        p->n_subjects++;
    }
    int frc = writes_flush(db, &p->w);
    *after = hi;
    return rc ? rc : frc;
}

static int pass_kind(struct store *s, struct pass *p, char *err, size_t errcap)
{
    int64_t after = 0;
    bool more = true;
    int rc = 0;
    while (!rc && more) {
        struct db *db;
        rc = store_begin(s, &db);
        if (rc) {
            break;
        }
        /* the version marks are per transaction: a rolled-back batch must mark again */
        for (size_t i = 0; i < p->n_rules; i++) {
            p->rules[i].marked = false;
        }
        rc = pass_batch(db, p, &after, &more);
        if (rc) {
            store_rollback(s, db);
        } else {
            rc = store_commit(s, db);
        }
    }
    if (rc) {
        snprintf(err, errcap, "credit: recompute of %s failed after id %lld (%d)", p->kind,
                 (long long)after, rc);
    }
    return rc;
}

/* Exceedance days of the alarms of the last 13 months that have no event yet (the hook runs
   in the monitor's writer; alarms opened before this module, or imported, are filed here). */
struct alarm_list {
    int64_t *id, *ent;
    char (*at)[32];
    size_t n, cap;
};

static void alarm_push(int64_t id, int64_t ent, const char *first_at, void *ctx)
{
    struct alarm_list *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->id = xrealloc(l->id, l->cap * sizeof *l->id);
        l->ent = xrealloc(l->ent, l->cap * sizeof *l->ent);
        l->at = xrealloc(l->at, l->cap * sizeof *l->at);
    }
    l->id[l->n] = id;
    l->ent[l->n] = ent;
    snprintf(l->at[l->n], sizeof l->at[l->n], "%s", first_at);
    l->n++;
}

static int backfill_alarms(struct store *s, const char *now)
{
    char since[32];
    time_iso(wall_ms() / 1000 - 400 * 86400, since);
    struct db *db;
    int rc = store_begin(s, &db);
    if (rc) {
        return rc;
    }
    struct alarm_list l = {0};
    rc = store_credit_exceed_alarms_each(db, since, alarm_push, &l);
    for (size_t i = 0; !rc && i < l.n; i++) {
        char day[11], key[64], evidence[64];
        today_of(l.at[i], day);
        snprintf(key, sizeof key, "exceed:%lld:%s", (long long)l.ent[i], day);
        snprintf(evidence, sizeof evidence, "超标报警 #%lld", (long long)l.id[i]);
        struct credit_event_new e = {.kind = "enterprise",
                                     .subject_id = l.ent[i],
                                     .type = "exceedance_day",
                                     .occurred_on = day,
                                     .reason = "在线监测超标",
                                     .evidence = evidence,
                                     .source = "alarm",
                                     .dedupe_key = key,
                                     .source_id = l.id[i]};
        int64_t id;
        rc = store_credit_event_insert(db, &e, now, &id);
    }
    free(l.id);
    free(l.ent);
    free(l.at);
    if (rc) {
        store_rollback(s, db);
        return rc;
    }
    return store_commit(s, db);
}

int credit_recompute_all(struct store *s, const char *now, int64_t *n_subjects, int64_t *n_changed,
                         char *err, size_t errcap)
{
    char today[11];
    today_of(now, today);
    int rc = backfill_alarms(s, now);
    if (rc) {
        snprintf(err, errcap, "credit: filing exceedance days from alarms failed (%d)", rc);
        return rc;
    }
    struct pass *p = xcalloc(1, sizeof *p);
    p->rules = xcalloc(MAX_REGIONS, sizeof *p->rules);
    p->cur = xcalloc(BATCH, sizeof *p->cur);
    p->today = today;
    p->now = now;
    static const char *const KINDS[] = {"enterprise", "agency"};
    for (size_t k = 0; !rc && k < ARRAY_LEN(KINDS); k++) {
        p->kind = KINDS[k];
        writes_init(&p->w, CREDIT_WRITE_BATCH, KINDS[k], now);
        p->n_rules = 0;
        rc = pass_kind(s, p, err, errcap);
        writes_free(&p->w);
    }
    *n_subjects = p->n_subjects;
    *n_changed = p->n_changed;
    ev_free(&p->ev);
    free(p->cur);
    free(p->rules);
    free(p);
    return rc;
}
