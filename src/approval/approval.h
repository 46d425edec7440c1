/*
** EIA approval (环评审批): applications by an enterprise (its own) or by approver staff for a
** walk-in, the site checked by the zoning module, the class proposed from the classification
** catalogue (分类管理名录 2021 structure, an admin-edited table) and raised once for a
** sensitive site, the route from the positive lists of the approval.routes rule set (exempt,
** notification-commitment, direct approval, normal review; 登记表 filed at once), 容缺 items
** and the one-time notice, the statutory clock (ceil(statutory working days × compression)) on
** the casework engine with expert review, hearing and public notice left out, the decision and
** its PDFs (decision, receipt, notice, reminder card), the obligations after approval as the
** enterprise's to-do items, and the public notices.
**
** The pure parts (class, route, limit, deadline, the rule set's parse) need no database:
** tests/unit/approval/. See docs/internals/approval.md.
*/
#ifndef ENVGOV_APPROVAL_APPROVAL_H
#define ENVGOV_APPROVAL_APPROVAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/module.h"

struct calendar;
struct calendar_pause;

/* EIA classes, weakest first (a raise moves one step up). */
enum eia_class { EC_NONE, EC_REGISTRATION, EC_FORM, EC_REPORT };
/* "none", "registration", "form", "report" ⇄ enum; -1 / "" when unknown. */
const char *eia_class_name(enum eia_class c);
int eia_class_parse(const char *s);
/* 登记表 → 报告表 → 报告书; 报告书 and "none" stay. */
enum eia_class eia_class_raise(enum eia_class c);

/* A catalogue item as the proposal reads it. */
struct eia_catalogue_item {
    int64_t id;
    char item_no[32];
    char prefixes[256]; /* "26,2710": GB/T 4754 code prefixes */
    enum eia_class default_class;
    char keywords[256];           /* "电镀,含氰": a project naming one is a 报告书 */
    double report_min_investment; /* 万元; 0 = not by investment */
};

struct eia_project {
    const char *industry; /* "2614" or "C2614" */
    const char *name, *capacity;
    double investment; /* 万元 */
};

struct eia_class_proposal {
    int item;                 /* index into the items, -1 when none matches */
    enum eia_class base, cls; /* the catalogue's and after the raise */
    bool raised;              /* the site is sensitive and the class moved up */
    char why_zh[300], why_en[300];
};

/* Propose the class of p from items[0..n): the item with the longest industry prefix that
   matches (the first of equal length); its default class, or 报告书 when the project names one
   of its keywords or reaches its investment; raised once when sensitive. No item: "none" (the
   project is not under EIA management). Pure. */
void eia_classify(const struct eia_catalogue_item *items, size_t n, const struct eia_project *p,
                  bool sensitive, struct eia_class_proposal *out);

/* ---------------- the rule set approval.routes ---------------- */

enum eia_route { ER_EXEMPT, ER_COMMITMENT, ER_DIRECT, ER_NORMAL, ER_RECORD };
const char *eia_route_name(enum eia_route r); /* "exempt" … "record" */
int eia_route_parse(const char *s);

/* A rule set string of up to chars characters (the schema counts characters) in UTF-8. */
#define EIA_TEXT_BYTES(chars) ((chars)*4 + 1)
#define EIA_PARK_BYTES EIA_TEXT_BYTES(100) /* a park: plan_eia_parks[], a unit's name */

#define EIA_MAX_PREFIXES 64
#define EIA_MAX_LISTS 64
#define EIA_MAX_PARKS 64
#define EIA_MAX_ITEMS 32
#define EIA_MAX_OBLIGATIONS 16

struct eia_list {
    enum eia_route route;
    char name[EIA_TEXT_BYTES(200)];
    unsigned classes; /* 1u << enum eia_class */
    char prefixes[EIA_MAX_PREFIXES][5];
    size_t n_prefixes;
};

/* 多评合一: the assessments one application may combine with the EIA. */
enum { EA_RADIATION = 1u << 0, EA_OUTFALL = 1u << 1 };
/* "eia,radiation,outfall" (any order; "eia" may be left out) → mask; -1 for an unknown word. */
int eia_assessments_parse(const char *list);

struct eia_check_item {
    char code[33], name[EIA_TEXT_BYTES(100)];
    unsigned classes;
    unsigned assessments; /* EA_* bits: only when the application combines one; 0 = always */
    bool required, essential;
};

struct eia_obligation_rule {
    char kind[16], title[EIA_TEXT_BYTES(300)];
    int months;
};

struct eia_rules {
    int statutory_report, statutory_form;
    int compression_permille; /* the ratio × 1000, rounded: 0.15 → 150 */
    int commitment_workdays, notice_workdays, missing_due_workdays, verify_workdays;
    int comment_workdays;
    bool clock_runs_while_missing;
    char excluded[EIA_MAX_PREFIXES][5];
    size_t n_excluded;
    char refused_grades[8][EIA_TEXT_BYTES(16)];
    size_t n_refused_grades;
    struct eia_list lists[EIA_MAX_LISTS];
    size_t n_lists;
    char parks[EIA_MAX_PARKS][EIA_PARK_BYTES];
    size_t n_parks;
    enum eia_route park_route;
    struct eia_check_item checklist[EIA_MAX_ITEMS];
    size_t n_checklist;
    struct eia_obligation_rule obligations[EIA_MAX_OBLIGATIONS];
    size_t n_obligations;
    int64_t cost_report, cost_form; /* yuan: one EIA document, for the bundling saving */
    int bundle_max_firms;
    double false_commitment_points; /* the credit event of a false commitment (<= 0) */
};

/* Parse an approval.routes body (already checked against its schema). ERR_INPUT with a
   message when it does not fit. Allocates nothing. */
int eia_rules_parse(const json_t *body, struct eia_rules *r, char *err, size_t errcap);

/* What a zoning answer means for the route: "forbidden" when an item forbids; "conditional"
   only when a condition item names the industry (items for every industry — total quantity,
   land — become the approval's conditions, they do not shut a route); else "allowed", or
   "no_unit". zoning_json is the site check's answer; *park gets the name of the first touched
   unit that is one of r's plan_eia_parks ("" when none). Pure. */
const char *eia_zoning_effect(const struct eia_rules *r, const char *zoning_json,
                              char park[EIA_PARK_BYTES]);

/* Whether industry ("2614", "C2614") starts with prefix. */
bool eia_industry_match(const char *industry, const char *prefix);
/* Whether list is a catalogue item's industry prefixes: items of 1–5 digits or capitals,
   separated by ',' or "，" (spaces around an item allowed), at least one. */
bool eia_prefixes_valid(const char *list);

/* What the route depends on. Strings are borrowed; NULL = unknown / none. */
struct eia_route_facts {
    enum eia_class cls;
    const char *industry;
    bool sensitive;
    const char *zoning_verdict; /* zoning_verdict_name: "no_unit" … "forbidden" */
    const char *grade;          /* credit grade code in force, NULL = none */
    const char *park;           /* the park the site is in, "" = none */
};

#define EIA_MAX_REASONS 8
struct eia_reason {
    const char *code; /* "sensitive", "excluded_industry", "zoning_forbidden",
                         "zoning_conditional", "credit_grade", "not_listed" */
    char text_zh[300], text_en[300];
};

struct eia_route_answer {
    enum eia_route route;
    const char *basis;                          /* the list's name, "park" or NULL */
    struct eia_reason reasons[EIA_MAX_REASONS]; /* why a simpler route was not open */
    size_t n_reasons;
};

/* The route of f under r: a 登记表 is filed (record), "none" is exempt; else the first positive
   list that names the class and the industry, then the park's route when the site is in a park
   with a plan EIA, each unless a reason shuts it (a sensitive site, an excluded industry, a
   forbidden or conditional zoning verdict; a refused credit grade shuts the commitment route
   only); else normal review. Pure. */
void eia_route_decide(const struct eia_rules *r, const struct eia_route_facts *f,
                      struct eia_route_answer *out);
/* The reasons as a JSON array [{code, text_zh, text_en}] into out. */
struct buf;
void eia_reasons_json(const struct eia_route_answer *a, struct buf *out);

/* 打捆审批: what each of `firms` firms saves when one document of class cls covers them all
   instead of one each: cost − ceil(cost / firms) yuan (0 for one firm or a class without a
   cost). Pure. */
int64_t eia_bundle_saving(const struct eia_rules *r, enum eia_class cls, int firms);

/* ---------------- time ---------------- */

/* ceil(statutory × permille / 1000), at least 1 (30 × 0.1 → 3, 60 × 0.2 → 12, 30 × 0.15 →
   5); 0 for statutory <= 0. */
int eia_limit_days(int statutory, int permille);
/* The working-day limit of a route and class under r (0 = no clock: exempt, record). */
int eia_route_limit(const struct eia_rules *r, enum eia_route route, enum eia_class cls,
                    int *statutory);
/* The day the limit ends: the workdays-th working day after start_ymd, not counting working
   days inside pauses (expert review, hearing, public notice). ERR_NOTFOUND when a year is not
   in the calendar (*missing_year names it), ERR_INPUT for a bad date. Pure. */
int eia_deadline(const struct calendar *c, const char *start_ymd, int workdays,
                 const struct calendar_pause *pauses, size_t n_pauses, char out[11],
                 int *missing_year);

/* ---------------- the module ---------------- */

/* Register the case types eia and eia_verify (idempotent). */
void approval_case_register(void);
struct router;
void approval_routes(struct router *rt);
extern const struct module approval_module;

#endif
