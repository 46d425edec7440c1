/*
** 双随机一公开 draws: plans per period and region, a committed seed (SHA-256 published with a
** snapshot of the inputs), a deterministic weighted draw of targets per supervision category
** and of inspectors with recusal, the seed revealed after the visits, results published; the
** drawn targets become inspection cases. The algorithm is specified in docs/internals/draw.md
** so anyone can replay a snapshot (tests/draw_reference.py and web/js/draw/replay.js do).
**
** The pure part (snapshot parsing and the replay, algo.c) needs no database: tests/unit/draw/.
*/
#ifndef ENVGOV_DRAW_DRAW_H
#define ENVGOV_DRAW_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/module.h"

#define DRAW_SNAPSHOT_MAGIC "envgov-draw-snapshot"
#define DRAW_MAX_STRATA 16

/* One candidate of the pool: a `target` line of the snapshot (strings point into the text). */
struct draw_cand {
    int64_t enterprise_id;
    const char *category, *region, *grade, *uscc, *name;
    uint64_t weight; /* thousandths; 0 = in the pool but never drawn (excluded) */
    bool positive;   /* on the positive list on the snapshot's date */
};
struct draw_inspector {
    int64_t user_id;
    const char *prefixes; /* comma list of region prefixes the inspector is recused from, "" */
    const char *name;
};
struct draw_recusal {
    int64_t user_id, enterprise_id;
    const char *reason; /* "declared", "last_time" */
};
struct draw_stratum {
    const char *category;
    int64_t n_candidates; /* with weight > 0 */
    int64_t count;        /* to draw */
};

/* A parsed snapshot: the inputs of one draw. Arrays are owned (draw_input_free); strings point
   into the text given to draw_snapshot_parse, which must outlive this. */
struct draw_input {
    int64_t plan_id, rule_set_id, rule_version;
    const char *period, *region_prefix, *date;
    int per_target; /* inspectors per target */
    bool balance;   /* least-loaded inspectors first */
    struct draw_stratum strata[DRAW_MAX_STRATA];
    size_t n_strata;
    struct draw_cand *pool;
    size_t n_pool, cap_pool;
    struct draw_inspector *roster;
    size_t n_roster, cap_roster;
    struct draw_recusal *recusals; /* sorted by (enterprise_id, user_id) */
    size_t n_recusals, cap_recusals;
};

/* What the draw gave: targets as pool indexes in selection order, and for target i its
   inspectors insp[insp_off[i] .. insp_off[i+1]) as roster indexes in selection order. */
struct draw_result {
    size_t *targets;
    size_t n_targets;
    size_t *insp;
    size_t *insp_off;
    size_t n_short; /* targets that got fewer inspectors than per_target (recusal) */
};

/*
** Parse snapshot text[0..len) (mutable: fields are cut in place with NULs) into *in. ERR_INPUT
** with the line number and what is wrong in err for a malformed snapshot. Allocates the arrays
** of *in (draw_input_free), nothing else.
*/
int draw_snapshot_parse(char *text, size_t len, struct draw_input *in, char *err, size_t cap);
void draw_input_free(struct draw_input *in);

/*
** Replay the draw of in with seed (32 bytes) and snap_sha (SHA-256 of the snapshot's bytes, 32
** bytes): docs/internals/draw.md. Fills *out (draw_result_free). Pure and deterministic; 0 or
** ERR_INPUT (a stratum asks for more targets than it has candidates: err says which).
*/
int draw_run(const struct draw_input *in, const unsigned char seed[32],
             const unsigned char snap_sha[32], struct draw_result *out, char *err, size_t cap);
void draw_result_free(struct draw_result *r);

/* 64 hex digits → 32 bytes; ERR_INPUT when s is anything else. */
int draw_hex32(const char *s, unsigned char out[32]);

/* Name-safe copy for a snapshot field: tabs, CR and LF become spaces. */
void draw_field_clean(char *s);

/*
** Hooks for the inspect module (the drawn target's case is its inspection task): opened runs in
** the draw's transaction after a target's case opened (and was sent for approval when the firm
** is listed); moved after the case of a target moved (approved, refused, outcome recorded), in
** that transaction. Set once before threads start; NULL members are not called.
*/
struct db;
struct case_actor;
struct draw_hooks {
    int (*opened)(struct db *db, int64_t target_id, int64_t case_id, const char *now);
    int (*moved)(struct db *db, int64_t target_id, const char *now);
};
void draw_hooks_set(const struct draw_hooks *h);
/* The visit's outcome ("no_problem", "problems_found", "could_not_inspect") recorded for a
   target by one of its drawn inspectors, in the caller's transaction: its case moves to done.
   ERR_FORBIDDEN (not drawn for it), ERR_CONFLICT (recorded already, or not approved yet),
   ERR_INPUT with *field, each with a zh / en reason in err. */
int draw_target_visit(struct db *db, int64_t target_id, const char *outcome, const char *note,
                      const struct case_actor *who, const char *now, const char **field, char *err,
                      size_t cap);

/* The module's descriptor (src/app/modules.c lists it). */
extern const struct module draw_module;

/* The 工作台's draw figures (the descriptor's dashboard; api.c). */
int draw_dashboard(struct req *r, struct db *db, struct buf *out);

#endif
