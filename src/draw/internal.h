/*
** Inside the draw module: the plan's steps (plan.c), the inspection case type (inspection.c),
** the routes (api.c) and the CLI (module.c). Not for other modules: they use draw.h.
*/
#ifndef ENVGOV_DRAW_INTERNAL_H
#define ENVGOV_DRAW_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "cases/cases.h"
#include "core/buf.h"
#include "draw/draw.h"
#include "store/q_draw.h"

#define DRAW_SNAPSHOT_MAX ((size_t)512 << 20)

/* Who acts: the audit row and the case timeline. */
struct draw_actor {
    int64_t user_id;
    const char *name, *request_id, *ip;
    unsigned role;
};

/* Build the snapshot of plan p on day today (China date) into out: the pool with weights from
   the draw.ratios version in force (*ref names it), the roster and recusal pairs. *n_pool gets
   the pool's size. ERR_INPUT / ERR_NOTFOUND with a two-language message in err. */
struct rule_ref;
int draw_snapshot_build(struct db *db, const struct draw_plan_row *p, const char *today,
                        struct buf *out, struct rule_ref *ref, int64_t *n_pool, char *err,
                        size_t cap);

/* The steps of a plan, each in the caller's transaction on the writer, with its audit row.
   ERR_CONFLICT (wrong state, message in err), ERR_INPUT (err), ERR_NOTFOUND. */
int draw_plan_commit(struct db *db, int64_t id, const struct draw_actor *who, const char *now,
                     char *err, size_t cap);
int draw_plan_draw(struct db *db, int64_t id, const struct draw_actor *who, const char *now,
                   char *err, size_t cap);
int draw_plan_reveal(struct db *db, int64_t id, const struct draw_actor *who, const char *now,
                     char *err, size_t cap);
int draw_plan_publish(struct db *db, int64_t id, const struct draw_actor *who, const char *now,
                      char *err, size_t cap);

/* Replay a snapshot with a seed (hex) and write the result as text, one line per target:
   seq TAB enterprise_id TAB category TAB inspector ids (comma list). ERR_INPUT (err). */
int draw_replay_text(char *snapshot, size_t len, const char *seed_hex, struct buf *out, char *err,
                     size_t cap);

/* The inspection case type (inspection.c). */
void draw_inspection_register(void);
int draw_inspection_open(struct db *db, int64_t target_id, int64_t enterprise_id, int64_t assignee,
                         const char *visit_date, bool needs_approval, const char *now,
                         int64_t *case_id);
/* The outcome recorded by an inspector: the case moves to done. */
int draw_outcome_record(struct db *db, int64_t target_id, const char *outcome, const char *note,
                        const struct draw_actor *who, const char *now, const char **field,
                        char *err, size_t cap);
extern const struct todo_source draw_todo_sources[];
extern const size_t draw_n_todo_sources;

/* "no_problem" … a valid outcome. */
bool draw_outcome_valid(const char *s);
/* Today's China date. */
void draw_today(char out[11]);

#endif
