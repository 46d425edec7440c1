/*
** The words of documents: the kinds and their templates, template filling, document numbers
** and dates as official documents write them. Pure functions; no database, no rendering.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "documents/documents.h"

/* 排污许可证到期提醒函. The second paragraph cites 《排污许可管理条例》(国务院令第736号,
   2021-03-01) 第十四条第二款 word for word. */
static const char *const PERMIT_REMINDER[] = {
    "经核查，你单位持有的排污许可证（证书编号：{permit_number}）有效期至{valid_to}，"
    "距有效期届满尚余{days_left}日。",
    "根据《排污许可管理条例》第十四条规定，排污许可证有效期届满，排污单位需要继续排放污染物的，"
    "应当于排污许可证有效期届满60日前向审批部门提出申请。请你单位抓紧通过全国排污许可证管理信息"
    "平台向审批部门提出延续申请；不再排放污染物的，请依法申请注销排污许可证。",
    "排污许可证有效期届满未申请延续或者延续申请未经批准的，不得继续排放污染物。如有疑问，请与"
    "{org_unit}联系。",
    "特此函告。",
};

static const struct doc_kind KINDS[] = {
    {"permit_reminder", "函", "关于排污许可证即将到期的提醒函", "排污许可证到期提醒函",
     PERMIT_REMINDER, ARRAY_LEN(PERMIT_REMINDER)},
};

/* Kinds other modules register (their own words: the penalty notices and decisions). */
static const struct doc_kind *registered[32];
static size_t n_registered;

void documents_kind_register(const struct doc_kind *k)
{
    for (size_t i = 0; i < n_registered; i++) {
        if (!strcmp(registered[i]->kind, k->kind)) {
            registered[i] = k;
            return;
        }
    }
    if (n_registered < ARRAY_LEN(registered)) {
        registered[n_registered++] = k;
    }
}

const struct doc_kind *documents_kind(const char *kind)
{
    for (size_t i = 0; kind && i < ARRAY_LEN(KINDS); i++) {
        if (!strcmp(KINDS[i].kind, kind)) {
            return &KINDS[i];
        }
    }
    for (size_t i = 0; kind && i < n_registered; i++) {
        if (!strcmp(registered[i]->kind, kind)) {
            return registered[i];
        }
    }
    return NULL;
}

int documents_date_cn(const char *ymd, char *out, size_t cap)
{
    int64_t y, m, d;
    if (!ymd || strlen(ymd) != 10 || ymd[4] != '-' || ymd[7] != '-' || parse_i64(ymd, 4, &y) ||
        parse_i64(ymd + 5, 2, &m) || parse_i64(ymd + 8, 2, &d) || y < 1900 || m < 1 || m > 12 ||
        d < 1 || d > 31) {
        return ERR_INPUT;
    }
    snprintf(out, cap, "%d年%d月%d日", (int)y, (int)m, (int)d);
    return 0;
}

void documents_number(const char *prefix, const char *series, int year, int64_t seq, char *out,
                      size_t cap)
{
    snprintf(out, cap, "%s%s〔%d〕%lld号", prefix, series, year, (long long)seq);
}

void documents_fill(const char *tmpl, const struct doc_field *fields, size_t n, struct buf *out)
{
    const char *p = tmpl;
    while (*p) {
        const char *open = strchr(p, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        if (!close) {
            buf_puts(out, p);
            return;
        }
        buf_append(out, p, (size_t)(open - p));
        size_t len = (size_t)(close - open - 1);
        const char *value = NULL;
        for (size_t i = 0; i < n && !value; i++) {
            if (strlen(fields[i].name) == len && !strncmp(fields[i].name, open + 1, len)) {
                value = fields[i].value;
            }
        }
        if (value) {
            buf_puts(out, value);
        } else {
            buf_append(out, open, len + 2);
        }
        p = close + 1;
    }
}
