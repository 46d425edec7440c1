/*
** Queries of the positive-list module (q_positive.c): the entries of positive_list, the facts
** its criteria judge (the credit grade in credit_current, penalties in credit_events, bars and
** listings in positive_list), nominations, on-site inspection approval requests and the
** off-site supervision record with the alarms of the firm's points (read from alarms, not
** copied). Lists are filtered by a struct scope on the enterprise's region.
*/
#ifndef ENVGOV_STORE_Q_POSITIVE_H
#define ENVGOV_STORE_Q_POSITIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* 1 in *listed when a row of enterprise_id is in force on date (the contract's condition). */
int store_positive_listed(struct db *db, int64_t enterprise_id, const char *date, bool *listed);

/* One enterprise and what the criteria judge, on a date. Text is copied. */
struct positive_fact_row {
    int64_t id;
    char name[256], region_code[16], region_name[64], category[16], tags[256], status[16];
    char grade[17], last_penalty[11], barred_to[11], listed_to[11];
    int64_t listed_entry;       /* the entry in force on the date, 0 = none */
    int64_t pending_nomination; /* a pending nomination's id, 0 = none */
};
/* The facts of one enterprise on date; ERR_NOTFOUND when there is no such enterprise. */
int store_positive_facts(struct db *db, int64_t enterprise_id, const char *date,
                         struct positive_fact_row *out);
/* Facts of every active enterprise within sc whose name contains q (NULL = any) and whose
   region starts with region (NULL = any), ordered by sort ("name" by pinyin, else by region)
   ascending or desc, at most max rows: row(..) per enterprise. */
int store_positive_candidates(struct db *db, const struct scope *sc, const char *q,
                              const char *region, const char *sort, bool desc, const char *date,
                              size_t max, void (*row)(const struct positive_fact_row *f, void *ctx),
                              void *ctx);

struct positive_entry_new {
    int64_t enterprise_id;
    const char *listed_from, *listed_to, *basis, *reasons_json;
    int64_t rule_set_id;
    int rule_version;
    int64_t nomination_id; /* 0 = none */
    int64_t admitted_by;   /* 0 = the system */
    const char *admitted_by_name, *now;
};
int store_positive_entry_insert(struct db *db, const struct positive_entry_new *n, int64_t *id);

struct positive_entry_row {
    int64_t id, enterprise_id;
    char listed_from[11], listed_to[11], removed_on[11], barred_to[11], region_code[16];
    char basis[16];
    bool malicious;
};
int store_positive_entry_get(struct db *db, int64_t id, struct positive_entry_row *out);
/* The latest entry of an enterprise (in force or not); ERR_NOTFOUND when it never was listed. */
/* The entry in force on date (the latest of them), ERR_NOTFOUND when none. */
int store_positive_entry_on(struct db *db, int64_t enterprise_id, const char *date,
                            struct positive_entry_row *out);
int store_positive_entry_latest(struct db *db, int64_t enterprise_id,
                                struct positive_entry_row *out);
/* Remove an entry still unremoved: ERR_CONFLICT when it was removed already. barred_to NULL =
   no bar. */
int store_positive_entry_remove(struct db *db, int64_t id, const char *removed_on,
                                const char *reason, bool malicious, const char *barred_to,
                                int64_t by, const char *by_name, const char *now);
/* The entries whose term ended by today (listed_to <= today), not removed and not yet marked:
   row(st) with column 0 the id and 1 the enterprise id, at most limit. */
int store_positive_expiring(struct db *db, const char *today, int64_t limit,
                            void (*row)(struct db_stmt *st, void *ctx), void *ctx);
int store_positive_entry_expire(struct db *db, int64_t id, const char *now);

struct positive_list_query {
    const char *status; /* "listed", "removed", "expired", "all" (NULL = listed) */
    const char *q, *region, *basis;
    const char *sort; /* "name", "region", "listed_from", "listed_to" (NULL = listed_from) */
    bool desc;
    int64_t limit, offset;
    const char *today;
};
/* {"items":[...],"total":n} of the entries within sc. */
int store_positive_list(struct db *db, const struct scope *sc, const struct positive_list_query *q,
                        struct buf *out);
/* Every entry within sc matching q (no paging; at most max): row(st) per row, columns id,
   enterprise name, uscc, region name, basis, listed_from, listed_to, removed_on, status,
   removed_reason, malicious, rule_version. */
int store_positive_list_scan(struct db *db, const struct scope *sc,
                             const struct positive_list_query *q, size_t max,
                             void (*row)(struct db_stmt *st, void *ctx), void *ctx);
/* {"entries":[...],"nominations":[...]} of one enterprise, newest first. */
int store_positive_history(struct db *db, int64_t enterprise_id, const char *today,
                           struct buf *out);

/* {"by_status":{"listed":n,...},"by_region":[{"region_code","region_name","criteria",
   "nomination"}],"pending_nominations":n,"pending_onsite":n} of the entries within sc on today
   (by_region: the entries in force, by county). */
int store_positive_summary(struct db *db, const struct scope *sc, const char *today,
                           struct buf *out);

/* ---- nominations ---- */
int store_positive_nomination_insert(struct db *db, int64_t enterprise_id, const char *reason,
                                     int64_t rule_set_id, int rule_version, int64_t by,
                                     const char *by_name, const char *now, int64_t *id);
int store_positive_nomination_set_case(struct db *db, int64_t id, int64_t case_id);
struct positive_nomination_row {
    int64_t id, enterprise_id, case_id, rule_set_id;
    int rule_version;
    char state[16], reason[1024];
};
int store_positive_nomination_get(struct db *db, int64_t id, struct positive_nomination_row *out);
/* Decide a pending nomination (ERR_CONFLICT when it was decided already); entry_id 0 = none. */
int store_positive_nomination_decide(struct db *db, int64_t id, const char *state, int64_t entry_id,
                                     int64_t by, const char *by_name, const char *note,
                                     const char *now);
/* {"items":[...]} of the nominations within sc in state (NULL = any), newest first (500). */
int store_positive_nominations(struct db *db, const struct scope *sc, const char *state,
                               struct buf *out);

/* ---- on-site inspection approval requests ---- */
struct positive_onsite_new {
    int64_t enterprise_id, entry_id, source_id, requested_by;
    const char *purpose, *visit_date, *reason, *source_kind, *requested_by_name, *now;
};
int store_positive_onsite_insert(struct db *db, const struct positive_onsite_new *n, int64_t *id);
struct positive_onsite_row {
    int64_t id, enterprise_id, source_id;
    char state[16], visit_date[11], region_code[16], source_kind[24];
};
int store_positive_onsite_get(struct db *db, int64_t id, struct positive_onsite_row *out);
/* The latest pending request filed by (source_kind, source_id), 0 in *id when none. */
int store_positive_onsite_pending_of(struct db *db, const char *source_kind, int64_t source_id,
                                     int64_t *id);
/* ERR_CONFLICT when the request was decided already. */
int store_positive_onsite_decide(struct db *db, int64_t id, const char *state, int64_t by,
                                 const char *by_name, const char *note, const char *now);
/* The approved request covering enterprise on visit_date, 0 in *id when none. */
int store_positive_onsite_approved(struct db *db, int64_t enterprise_id, const char *visit_date,
                                   int64_t *id);
/* {"items":[...]} of the requests within sc, in state (NULL = any), of enterprise (0 = any),
   newest first (500). */
int store_positive_onsite_list(struct db *db, const struct scope *sc, const char *state,
                               int64_t enterprise_id, struct buf *out);
/* The pending requests within sc as to-do items (source "positive_onsite"), oldest first. */
int store_positive_onsite_todo(struct db *db, const struct scope *sc, size_t limit, struct buf *out,
                               size_t *n, int64_t *total);

/* ---- the off-site supervision record ---- */
int store_positive_offsite_insert(struct db *db, int64_t enterprise_id, int64_t entry_id,
                                  const char *kind, const char *seen_on, const char *note,
                                  int64_t by, const char *by_name, const char *now, int64_t *id);
/* {"records":[...],"alarms":[...]} of an enterprise: the manual records since since_date and the
   alarms of its points first seen at or after since_iso (UTC ISO), newest first (500 each). */
int store_positive_offsite(struct db *db, int64_t enterprise_id, const char *since_date,
                           const char *since_iso, struct buf *out);

/* The kinds of record the module writes to the audit log (store.h struct audit_kind), named by
   their enterprise (and day). None shows in the enterprise's change history, which the
   enterprise user reads: of the list it may see only its own listing and term. */
extern const struct audit_kind positive_audit_kinds[];

#endif
