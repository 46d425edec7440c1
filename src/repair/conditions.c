/*
** The conditions of a credit repair, evaluated from facts (pure): the credit.repair body parsed
** once, then per event the four conditions with the values each verdict rests on and a sentence
** in both languages. repair.c gathers the facts from the database; the unit tests
** (tests/unit/repair/) give them by hand.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "credit/credit.h"
#include "repair/repair.h"

/* s for a JSON string's inside: codes never hold quotes or backslashes; drop any that come. */
static const char *plain(const char *s, char out[96])
{
    size_t n = 0;
    for (; s && *s && n < 95; s++) {
        if (*s != '"' && *s != '\\' && (unsigned char)*s >= 0x20) {
            out[n++] = *s;
        }
    }
    out[n] = 0;
    return out;
}

static int bad(char *err, size_t cap, const char *msg)
{
    snprintf(err, cap, "%s", msg);
    return ERR_INPUT;
}

static int int_member(const json_t *o, const char *key, int lo, int hi, int *out)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
        return ERR_INPUT;
    }
    *out = (int)json_integer_value(v);
    return 0;
}

int repair_rules_parse(const json_t *body, struct repair_rules *r, char *err, size_t errcap)
{
    memset(r, 0, sizeof *r);
    const json_t *types = json_object_get(body, "types");
    if (!json_is_array(types) || !json_array_size(types) ||
        json_array_size(types) > REPAIR_MAX_TYPES) {
        return bad(err, errcap, "types: 1–32 event types / types: 1..32 event types");
    }
    size_t i;
    const json_t *t;
    json_array_foreach (types, i, t) {
        struct repair_type_rule *x = &r->types[r->n_types++];
        const char *name = json_string_value(json_object_get(t, "type"));
        if (!name || !*name || strlen(name) > REPAIR_TYPE_MAX ||
            int_member(t, "min_months", 0, 60, &x->min_months) ||
            int_member(t, "max_months", 1, 120, &x->max_months) || x->max_months < x->min_months) {
            return bad(err, errcap,
                       "types[]: type, min_months <= max_months / types[]: type and months");
        }
        snprintf(x->type, sizeof x->type, "%s", name);
    }
    const json_t *rq = json_object_get(body, "require_rectification"),
                 *fw = json_object_get(body, "file_when_failing");
    if (int_member(body, "repeat_window_months", 0, 60, &r->repeat_window_months) ||
        int_member(body, "decide_workdays", 1, 60, &r->decide_workdays) || !json_is_boolean(rq) ||
        !json_is_boolean(fw)) {
        return bad(err, errcap,
                   "repeat_window_months, decide_workdays, require_rectification, "
                   "file_when_failing are required");
    }
    r->require_rectification = json_is_true(rq);
    r->file_when_failing = json_is_true(fw);
    return 0;
}

const struct repair_type_rule *repair_rules_type(const struct repair_rules *r, const char *type)
{
    for (size_t i = 0; type && i < r->n_types; i++) {
        if (!strcmp(r->types[i].type, type)) {
            return &r->types[i];
        }
    }
    return NULL;
}

static void publicity(const struct repair_type_rule *t, const struct repair_facts *f,
                      struct repair_check *out)
{
    struct repair_condition *c = &out->c[RC_PUBLICITY];
    c->code = "publicity_served";
    if (!t) {
        char t[96];
        snprintf(c->values, sizeof c->values, "{\"type\":\"%s\",\"repairable\":false}",
                 plain(f->event_type, t));
        snprintf(c->text_zh, sizeof c->text_zh, "该类事件（%s）不在可修复的类型之列",
                 f->event_type);
        snprintf(c->text_en, sizeof c->text_en, "events of this type (%s) cannot be repaired",
                 f->event_type);
        return;
    }
    credit_add_months(f->occurred_on, t->min_months, out->min_until);
    credit_add_months(f->occurred_on, t->max_months, out->max_until);
    c->ok = strcmp(f->today, out->min_until) >= 0;
    snprintf(c->values, sizeof c->values,
             "{\"from\":\"%s\",\"min_months\":%d,\"max_months\":%d,\"min_until\":\"%s\","
             "\"max_until\":\"%s\",\"today\":\"%s\"}",
             f->occurred_on, t->min_months, t->max_months, out->min_until, out->max_until,
             f->today);
    snprintf(c->text_zh, sizeof c->text_zh,
             "自 %s 起公示，最短 %d 个月至 %s%s（最长 %d 个月至 %s）", f->occurred_on,
             t->min_months, out->min_until, c->ok ? "，已届满" : "，尚未届满", t->max_months,
             out->max_until);
    snprintf(c->text_en, sizeof c->text_en,
             "publicised from %s; the minimum of %d months ends on %s%s (at most %d months, to "
             "%s)",
             f->occurred_on, t->min_months, out->min_until, c->ok ? ", served" : ", not yet served",
             t->max_months, out->max_until);
}

static void rectified(const struct repair_rules *r, const struct repair_facts *f,
                      struct repair_condition *c)
{
    c->code = "rectification_verified";
    const char *basis = f->rect_basis ? f->rect_basis : "";
    c->ok = !r->require_rectification || (f->rect_orders > 0 && f->rect_all);
    snprintf(c->values, sizeof c->values,
             "{\"required\":%s,\"basis\":\"%s\",\"orders\":%d,\"all_verified\":%s,"
             "\"last_verified_on\":\"%s\"}",
             r->require_rectification ? "true" : "false", basis, f->rect_orders,
             f->rect_all ? "true" : "false", f->rect_last);
    if (!r->require_rectification) {
        snprintf(c->text_zh, sizeof c->text_zh, "规则不要求整改核查");
        snprintf(c->text_en, sizeof c->text_en, "the rule set does not require it");
    } else if (!f->rect_orders) {
        snprintf(c->text_zh, sizeof c->text_zh, "没有该事件的整改记录（责令改正或问题整改）");
        snprintf(c->text_en, sizeof c->text_en,
                 "no rectification of this event (order or problem) on record");
    } else if (!f->rect_all) {
        snprintf(c->text_zh, sizeof c->text_zh, "%d 项整改中尚有未核查通过的", f->rect_orders);
        snprintf(c->text_en, sizeof c->text_en, "of %d rectification orders some are not verified",
                 f->rect_orders);
    } else {
        snprintf(c->text_zh, sizeof c->text_zh, "%d 项整改均已核查通过（最后于 %s）",
                 f->rect_orders, f->rect_last);
        snprintf(c->text_en, sizeof c->text_en, "all %d rectification orders verified (last on %s)",
                 f->rect_orders, f->rect_last);
    }
}

/* The same violation again within the window after an earlier granted repair. */
static void no_repeat(const struct repair_rules *r, const struct repair_facts *f,
                      struct repair_condition *c)
{
    c->code = "no_repeat";
    c->ok = true;
    const struct repair_prior *hit = NULL;
    char until[11] = "", vk[96];
    for (size_t i = 0; r->repeat_window_months && i < f->n_prior; i++) {
        const struct repair_prior *p = &f->prior[i];
        char end[11];
        credit_add_months(p->decided_on, r->repeat_window_months, end);
        if (!strcmp(p->key, f->violation_key) && strcmp(f->occurred_on, p->decided_on) >= 0 &&
            strcmp(f->occurred_on, end) < 0) {
            hit = p;
            snprintf(until, sizeof until, "%s", end);
            c->ok = false;
            break;
        }
    }
    snprintf(c->values, sizeof c->values,
             "{\"violation\":\"%s\",\"window_months\":%d,\"earlier_repairs\":%zu,"
             "\"repeat_of\":%lld,\"repaired_on\":\"%s\",\"window_until\":\"%s\"}",
             plain(f->violation_key, vk), r->repeat_window_months, f->n_prior,
             hit ? (long long)hit->id : 0LL, hit ? hit->decided_on : "", until);
    if (!r->repeat_window_months) {
        snprintf(c->text_zh, sizeof c->text_zh, "规则不查再犯");
        snprintf(c->text_en, sizeof c->text_en, "the rule set does not check repeats");
    } else if (hit) {
        snprintf(c->text_zh, sizeof c->text_zh,
                 "%s 已修复过同类违法（%s，修复申请 #%lld），%d 个月内（至 %s）再犯",
                 hit->decided_on, f->violation_key, (long long)hit->id, r->repeat_window_months,
                 until);
        snprintf(c->text_en, sizeof c->text_en,
                 "the same violation (%s) was repaired on %s (application #%lld) and recurred "
                 "within %d months (to %s)",
                 f->violation_key, hit->decided_on, (long long)hit->id, r->repeat_window_months,
                 until);
    } else {
        snprintf(c->text_zh, sizeof c->text_zh, "修复后 %d 个月内未再犯同类违法（已修复 %zu 次）",
                 r->repeat_window_months, f->n_prior);
        snprintf(c->text_en, sizeof c->text_en,
                 "no repeat of the same violation within %d months after a repair (%zu earlier "
                 "repairs)",
                 r->repeat_window_months, f->n_prior);
    }
}

static void no_veto(const struct repair_facts *f, struct repair_condition *c)
{
    c->code = "no_veto";
    c->ok = f->n_veto == 0;
    struct buf b;
    buf_init(&b, sizeof c->values);
    buf_puts(&b, "{\"in_force\":[");
    for (size_t i = 0; i < f->n_veto; i++) {
        char t[96];
        buf_printf(&b,
                   "%s{\"event_id\":%lld,\"type\":\"%s\",\"occurred_on\":\"%s\",\"until\":\"%s\"}",
                   i ? "," : "", (long long)f->veto[i].event_id, plain(f->veto[i].type, t),
                   f->veto[i].occurred_on, f->veto[i].until);
    }
    buf_puts(&b, "]}");
    snprintf(c->values, sizeof c->values, "%s",
             b.len < sizeof c->values ? b.p : "{\"in_force\":[]}");
    buf_release(&b);
    if (c->ok) {
        snprintf(c->text_zh, sizeof c->text_zh, "没有生效的否决项（严重失信）");
        snprintf(c->text_en, sizeof c->text_en, "no veto item (serious dishonesty) in force");
    } else {
        const struct repair_veto *v = &f->veto[0];
        snprintf(c->text_zh, sizeof c->text_zh, "否决项 %s（%s 起%s%s）生效中，共 %zu 项", v->type,
                 v->occurred_on, *v->until ? "，至 " : "", v->until, f->n_veto);
        snprintf(c->text_en, sizeof c->text_en, "veto item %s (from %s%s%s) in force, %zu in all",
                 v->type, v->occurred_on, *v->until ? " to " : "", v->until, f->n_veto);
    }
}

void repair_evaluate(const struct repair_rules *r, const struct repair_facts *f,
                     struct repair_check *out)
{
    memset(out, 0, sizeof *out);
    const struct repair_type_rule *t = repair_rules_type(r, f->event_type);
    out->repairable = t != NULL;
    publicity(t, f, out);
    rectified(r, f, &out->c[RC_RECTIFIED]);
    no_repeat(r, f, &out->c[RC_NO_REPEAT]);
    no_veto(f, &out->c[RC_NO_VETO]);
    out->all_ok = out->repairable;
    for (int i = 0; i < RC_N; i++) {
        out->all_ok = out->all_ok && out->c[i].ok;
    }
}

void repair_conditions_json(const struct repair_check *c, struct buf *out)
{
    buf_putc(out, '[');
    for (int i = 0; i < RC_N; i++) {
        const struct repair_condition *x = &c->c[i];
        buf_printf(out, "%s{\"code\":\"%s\",\"ok\":%s,\"values\":%s,\"text_zh\":", i ? "," : "",
                   x->code, x->ok ? "true" : "false", x->values);
        buf_json_str(out, x->text_zh, strlen(x->text_zh));
        buf_puts(out, ",\"text_en\":");
        buf_json_str(out, x->text_en, strlen(x->text_en));
        buf_putc(out, '}');
    }
    buf_putc(out, ']');
}

void repair_check_json(const struct repair_check *c, struct buf *out)
{
    buf_printf(out,
               "{\"repairable\":%s,\"all_ok\":%s,\"min_until\":\"%s\",\"max_until\":\"%s\","
               "\"conditions\":",
               c->repairable ? "true" : "false", c->all_ok ? "true" : "false", c->min_until,
               c->max_until);
    repair_conditions_json(c, out);
    buf_putc(out, '}');
}

void repair_failing_text(const struct repair_check *c, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = 0;
    for (int i = 0; i < RC_N && n < cap; i++) {
        if (!c->c[i].ok) {
            int k = snprintf(out + n, cap - n, "%s%s / %s", n ? "；" : "", c->c[i].text_zh,
                             c->c[i].text_en);
            n += k > 0 ? (size_t)k : 0;
        }
    }
}
