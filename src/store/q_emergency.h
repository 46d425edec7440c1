/*
** The emergency module's queries (migration 026): grades, sheets (lines), alerts and their
** executions, the firms and lines an alert's control list covers, and the flow readings of a
** line's point during an alert.
*/
#ifndef ENVGOV_STORE_Q_EMERGENCY_H
#define ENVGOV_STORE_Q_EMERGENCY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

extern const struct audit_kind emergency_audit_kinds[];
/* The grade as an attachable record (its evidence files), id = the enterprise's id. */
extern const struct entity_def ENTITY_EMERGENCY_GRADE;
/* Whether sc sees the grade of enterprise id (0, *enterprise_id = id) or not (ERR_NOTFOUND: no
   grade row, or outside sc). The attachments' visible hook. */
int store_emergency_grade_attach_visible(struct db *db, const struct scope *sc, int64_t id,
                                         int64_t *enterprise_id);

/* The enterprise's region and name; ERR_NOTFOUND when none. */
int store_emergency_enterprise(struct db *db, int64_t id, char region[16], char *name, size_t cap);
/* Insert or replace the enterprise's grade and exempt types (the sheet's state stays). */
int store_emergency_grade_put(struct db *db, int64_t ent, const char *grade, bool livelihood,
                              bool low_voc, const char *evidence, const char *now);
/* {"enterprise_id","grade","livelihood","low_voc","evidence","sheet_state",…,"lines":[…]}
   (grade null when the firm has none). */
int store_emergency_sheet_json(struct db *db, int64_t ent, struct buf *out);
/* The graded firms within sc as a JSON array. */
int store_emergency_grades_json(struct db *db, const struct scope *sc, struct buf *out);

struct emergency_line_row {
    const char *name, *process, *plan_json;
    int64_t point_id; /* 0 = none */
    double normal_flow, base[4];
};
/* Replace the enterprise's lines; the sheet goes back to draft (a grade row D-less firm gets
   none: the caller checks the firm is graded). */
int store_emergency_lines_replace(struct db *db, int64_t ent, const struct emergency_line_row *l,
                                  size_t n, const char *now);
/* Staff confirm the sheet; ERR_NOTFOUND when the firm has no grade row. */
int store_emergency_sheet_confirm(struct db *db, int64_t ent, int64_t user, const char *now);
/* Whether point_id is one of the enterprise's points. */
bool store_emergency_point_of(struct db *db, int64_t point_id, int64_t ent);

struct emergency_alert_row {
    int64_t id, rule_set_id;
    char level[8], regions[400], starts_at[32], ends_at[32];
};
int store_emergency_alert_insert(struct db *db, const struct emergency_alert_row *a,
                                 const char *note, int64_t user, const char *now, int64_t *id);
int store_emergency_alert_get(struct db *db, int64_t id, struct emergency_alert_row *a);
/* Alerts (newest first, up to 200); region: only those covering it ("" = all). at: only those
   in force then (NULL = any). */
int store_emergency_alerts_json(struct db *db, const char *region, const char *at, struct buf *out);

/* One line of a graded firm in the alert's regions (prefix match of the comma list) within sc,
   ordered by firm: the callback gets each (a firm without lines: line_id 0). */
struct emergency_firm_line {
    int64_t ent, line_id, point_id;
    const char *name, *region, *grade, *line_name, *plan_json;
    bool livelihood, low_voc;
    double normal_flow, base[4];
    const char *confirmed_at,
        *compliance; /* the firm's execution for the alert (NULL / "unknown") */
    int64_t task_id;
};
typedef void (*emergency_line_fn)(const struct emergency_firm_line *l, void *ctx);
int store_emergency_control_each(struct db *db, int64_t alert_id, const char *regions,
                                 const struct scope *sc, emergency_line_fn fn, void *ctx);

/* The firm confirms execution (note); a second confirmation updates the note. */
int store_emergency_confirm(struct db *db, int64_t alert_id, int64_t ent, int64_t user,
                            const char *note, const char *now);
/* The compliance found and the task filed (0 = none). */
int store_emergency_compliance_set(struct db *db, int64_t alert_id, int64_t ent,
                                   const char *compliance, int64_t task_id, const char *now);
/* Average and count of the point's flow readings (factor, kind avg or rtd) in [from, to). */
int store_emergency_flow(struct db *db, int64_t point_id, const char *factor, const char *from,
                         const char *to, double *avg, size_t *n);
/* The highest level of the alerts covering region in force at (China time); "" when none. */
int store_emergency_current_level(struct db *db, const char *region, const char *at, char level[8]);
/* envgov demo: grade up to 40 active 吴兴 (330502) firms, two sheet lines each (the first on the
   firm's first point), and an orange alert for today over 330502; *n_firms gets the graded count.
 */
int store_emergency_demo(struct db *db, const char *today, int *n_firms);

#endif
