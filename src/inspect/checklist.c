/*
** The integrated checklist (体检式检查表): picking an enterprise type's checklist from the
** inspect.checklists body and checking a visit's answers and findings against it. Pure: no
** database, no allocation beyond jansson's reads.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "inspect/inspect.h"

static const char *str_of(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

const json_t *inspect_checklist_pick(const json_t *body, const char *industry_code)
{
    const json_t *lists = json_object_get(body, "checklists");
    const json_t *best = NULL, *dflt = NULL;
    size_t best_len = 0, i;
    const json_t *cl;
    if (!json_is_array(lists) || json_array_size(lists) == 0) {
        return NULL;
    }
    json_array_foreach (lists, i, cl) {
        if (json_is_true(json_object_get(cl, "default")) && !dflt) {
            dflt = cl;
        }
        const json_t *inds = json_object_get(cl, "industries");
        size_t j;
        const json_t *p;
        json_array_foreach (inds, j, p) {
            const char *pre = json_string_value(p);
            size_t n = pre ? strlen(pre) : 0;
            if (n && industry_code && !strncmp(industry_code, pre, n) && n > best_len) {
                best = cl;
                best_len = n;
            }
        }
    }
    return best ? best : dflt ? dflt : json_array_get(lists, 0);
}

const json_t *inspect_checklist_item(const json_t *checklist, const char *id,
                                     const json_t **section)
{
    size_t i, j;
    const json_t *s, *it;
    json_array_foreach (json_object_get(checklist, "sections"), i, s) {
        json_array_foreach (json_object_get(s, "items"), j, it) {
            if (id && !strcmp(str_of(it, "id"), id)) {
                if (section) {
                    *section = s;
                }
                return it;
            }
        }
    }
    return NULL;
}

size_t inspect_checklist_count(const json_t *checklist)
{
    size_t i, n = 0;
    const json_t *s;
    json_array_foreach (json_object_get(checklist, "sections"), i, s) {
        n += json_array_size(json_object_get(s, "items"));
    }
    return n;
}

static int refuse(char *field, size_t fcap, const char *f, char *why, size_t cap, const char *msg)
{
    snprintf(field, fcap, "%s", f);
    snprintf(why, cap, "%s", msg);
    return ERR_INPUT;
}

static bool blank(const char *s)
{
    for (; s && *s; s++) {
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') {
            return false;
        }
    }
    return true;
}

int inspect_visit_check(const json_t *checklist, const char *outcome, const json_t *answers,
                        const json_t *findings, const char *note, size_t *n_findings, char *field,
                        size_t fcap, char *why, size_t cap)
{
    char f[160];
    *n_findings = 0;
    bool done = outcome && !strcmp(outcome, "done");
    if (!done && !(outcome && !strcmp(outcome, "could_not_inspect"))) {
        return refuse(field, fcap, "outcome", why, cap,
                      "须为 done 或 could_not_inspect / outcome: done or could_not_inspect");
    }
    if (answers && !json_is_null(answers) && !json_is_object(answers)) {
        return refuse(field, fcap, "answers", why, cap,
                      "须为对象 {检查项: yes|no|na} / answers: an object {item: yes|no|na}");
    }
    if (findings && !json_is_null(findings) && !json_is_array(findings)) {
        return refuse(field, fcap, "findings", why, cap, "须为数组 / findings: an array");
    }
    size_t nf = json_is_array(findings) ? json_array_size(findings) : 0;
    if (nf > INSPECT_FINDINGS_MAX) {
        return refuse(field, fcap, "findings", why, cap,
                      "问题过多（至多 50 条） / at most 50 findings");
    }
    if (!done) {
        if (blank(note)) {
            return refuse(field, fcap, "note", why, cap,
                          "无法检查须写明原因 / say why the visit could not be done");
        }
        if (nf) {
            return refuse(field, fcap, "findings", why, cap,
                          "无法检查时不能登记问题 / no findings on a visit that could not be "
                          "done");
        }
        return 0;
    }
    /* Every answer names an item of the checklist and is yes / no / na. */
    const char *key;
    const json_t *v;
    json_object_foreach ((json_t *)answers, key, v) {
        snprintf(f, sizeof f, "answers.%s", key);
        if (!inspect_checklist_item(checklist, key, NULL)) {
            return refuse(field, fcap, f, why, cap,
                          "不是本检查表的检查项 / not an item of this checklist");
        }
        const char *a = json_string_value(v);
        if (!a || (strcmp(a, "yes") && strcmp(a, "no") && strcmp(a, "na"))) {
            return refuse(field, fcap, f, why, cap, "须为 yes、no 或 na / yes, no or na");
        }
    }
    /* Every finding: an item of the checklist, a description, text within bounds. */
    for (size_t i = 0; i < nf; i++) {
        const json_t *x = json_array_get(findings, i);
        if (!json_is_object(x)) {
            snprintf(f, sizeof f, "findings[%zu]", i);
            return refuse(field, fcap, f, why, cap, "须为对象 / must be an object");
        }
        const char *item = json_string_value(json_object_get(x, "item_id"));
        if (!item || !inspect_checklist_item(checklist, item, NULL)) {
            snprintf(f, sizeof f, "findings[%zu].item_id", i);
            return refuse(field, fcap, f, why, cap,
                          "须为本检查表的检查项 / must be an item of this checklist");
        }
        const char *d = json_string_value(json_object_get(x, "description"));
        if (blank(d)) {
            snprintf(f, sizeof f, "findings[%zu].description", i);
            return refuse(field, fcap, f, why, cap, "须写明问题 / describe the problem");
        }
        if (strlen(d) > INSPECT_TEXT_MAX) {
            snprintf(f, sizeof f, "findings[%zu].description", i);
            return refuse(field, fcap, f, why, cap, "过长（至多 2000 字节） / too long");
        }
        const json_t *cl = json_object_get(x, "clause");
        if (cl && !json_is_null(cl) &&
            (!json_is_string(cl) || strlen(json_string_value(cl)) > 500)) {
            snprintf(f, sizeof f, "findings[%zu].clause", i);
            return refuse(field, fcap, f, why, cap,
                          "须为至多 500 字节的文字 / text of at most 500 bytes");
        }
        const char *a = json_string_value(json_object_get(answers, item));
        if (!a || strcmp(a, "no")) {
            snprintf(f, sizeof f, "findings[%zu].item_id", i);
            return refuse(field, fcap, f, why, cap,
                          "登记问题的检查项须答“否” / a finding's item must be answered no");
        }
    }
    /* Every item answered; every "no" has a finding. */
    size_t i, j;
    const json_t *s, *it;
    json_array_foreach (json_object_get(checklist, "sections"), i, s) {
        json_array_foreach (json_object_get(s, "items"), j, it) {
            const char *id = str_of(it, "id");
            const char *a = json_string_value(json_object_get(answers, id));
            snprintf(f, sizeof f, "answers.%s", id);
            if (!a) {
                return refuse(field, fcap, f, why, cap, "检查项未作答 / the item is not answered");
            }
            if (!strcmp(a, "no")) {
                bool found = false;
                for (size_t k = 0; k < nf && !found; k++) {
                    const char *fi =
                        json_string_value(json_object_get(json_array_get(findings, k), "item_id"));
                    found = fi && !strcmp(fi, id);
                }
                if (!found) {
                    return refuse(field, fcap, f, why, cap,
                                  "答“否”的检查项须登记问题 / an item answered no needs a "
                                  "finding");
                }
            }
        }
    }
    *n_findings = nf;
    return 0;
}

bool inspect_source_valid(const char *s)
{
    static const char *const K[] = {"draw", "alarm", "complaint", "campaign", "manual", "patrol"};
    for (size_t i = 0; s && i < sizeof K / sizeof K[0]; i++) {
        if (!strcmp(s, K[i])) {
            return true;
        }
    }
    return false;
}

bool inspect_level_valid(const char *s)
{
    return s && (!strcmp(s, "enforcement") || !strcmp(s, "local"));
}
