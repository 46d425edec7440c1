/*
** Heavy-pollution weather (重污染天气) and 一企一策: the rule set emergency.levels (alert levels
** and their required cuts per pollutant, the highest action of each performance grade at each
** level, the exempt types), the enterprises' performance grades, each firm's sheet (production
** lines with their normal daily emissions, the action and the expected daily reduction at each
** level), alerts and their control list: per firm and line the action required, reductions
** summed by region and pollutant against the required cut with the shortfall, and no line asked
** more than its grade allows (no 一刀切). See docs/internals/emergency.md.
**
** The rules and the control list (emergency_rules_parse, emergency_control) are pure:
** tests/unit/emergency/.
*/
#ifndef ENVGOV_EMERGENCY_EMERGENCY_H
#define ENVGOV_EMERGENCY_EMERGENCY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/module.h"

enum em_pollutant { EM_SO2, EM_NOX, EM_PM, EM_VOCS, EM_NP };
enum em_level { EL_BLUE, EL_YELLOW, EL_ORANGE, EL_RED, EL_N };
/* In rising order: a higher value is a stronger action. */
enum em_action { EA_NONE, EA_SELF, EA_LIMIT, EA_STOP_PART, EA_STOP, EA_N };
enum em_grade { EG_LEADING, EG_A, EG_B, EG_BMINUS, EG_C, EG_D, EG_N };

extern const char *const em_pollutant_code[EM_NP]; /* "so2" … */
extern const char *const em_level_code[EL_N];      /* "blue" … */
extern const char *const em_action_code[EA_N];     /* "none" … */
extern const char *const em_grade_code[EG_N];      /* "leading", "A", "B", "B-", "C", "D" */

/* The index of code in names[0..n), or -1. */
int em_code_index(const char *const *names, int n, const char *code);

struct em_rules {
    double cut[EL_N][EM_NP];    /* required cut, percent of the baseline */
    int grade_max[EG_N][EL_N];  /* enum em_action: the most a line of that grade is asked */
    int ungraded;               /* enum em_grade an ungraded firm is taken as */
    int livelihood_max;         /* enum em_action: the most a 保障类 firm is asked */
    bool low_voc_exempt[EM_NP]; /* pollutants a low-VOC firm is exempt from */
    char flow_factor[17];       /* HJ 212 code of the flow readings */
    double tolerance_pct, stop_flow_pct;
};

/* Read an emergency.levels body into r. ERR_INPUT with a message in err. Pure. */
int emergency_rules_parse(const json_t *body, struct em_rules *r, char *err, size_t cap);

/* The most a firm of grade (-1: ungraded) may be asked at level, with its exemption. Pure. */
int emergency_grade_action(const struct em_rules *r, int grade, bool livelihood, int level);

/* One production line of a sheet. */
struct em_line {
    int64_t id;
    double baseline[EM_NP];        /* normal daily emissions, kg/day */
    int action[EL_N];              /* the sheet's action at each level */
    double reduction[EL_N][EM_NP]; /* the sheet's expected daily reduction, kg/day */
};

struct em_firm {
    int64_t id;
    char region[16];
    int grade; /* enum em_grade, -1 = ungraded */
    bool livelihood, low_voc;
    size_t first_line, n_lines; /* its lines in the line array */
};

/* What the control list asks of one line. */
struct em_line_out {
    int allowed; /* the most the grade allows (enum em_action) */
    int action;  /* required: the sheet's action, never above allowed */
    bool
        capped; /* the sheet asked more than the grade allows: lowered, its reduction not counted */
    double baseline[EM_NP], reduction[EM_NP]; /* counted (exempt pollutants 0) */
};

/* One region's sums (kg/day). */
struct em_sum {
    char region[16];
    double baseline[EM_NP], required[EM_NP], reduction[EM_NP], shortfall[EM_NP];
};

/* The control list of firms (their lines in lines) at level: out[i] for lines[i], sums per
   region in first-seen order into sums[0..cap) (*n_sums; ERR_TOOBIG past cap) and the total over
   all regions into *total. Pure. */
int emergency_control(const struct em_rules *r, int level, const struct em_firm *firms,
                      size_t n_firms, const struct em_line *lines, struct em_line_out *out,
                      struct em_sum *sums, size_t cap, size_t *n_sums, struct em_sum *total);

/* Whether a line complied, from the average flow during the alert (avg, n readings) against its
   normal flow: a stopped line at most stop_flow_pct of normal, a limited one at most its
   expected share (1 - reduction/baseline of its largest cut) plus the tolerance. -1 when it
   cannot be told (no normal flow or no readings), 1 complied, 0 not. Pure. */
int emergency_line_complied(const struct em_rules *r, const struct em_line_out *o,
                            double normal_flow, double avg, size_t n);

struct router;
void emergency_routes(struct router *rt);
struct req;
struct db;
struct buf;
/* The 工作台's member for an enterprise user: today's highest alert level covering it. */
int emergency_dashboard(struct req *r, struct db *db, struct buf *out);
extern const struct module emergency_module;

#endif
