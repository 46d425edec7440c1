/*
** The case types of EIA approval. eia: an accepted application on its statutory clock —
** 容缺 items outstanding (the clock paused when the rule set says so), expert review, hearing
** and public notice (each a pause, shown on the timeline), the decision (the clock stops).
** eia_verify: the verification after a notification-commitment approval. The decision and the
** withdrawal move the application too, so they are taken through the module's API only (a
** decision issues its documents); the case page takes the pauses.
*/
#include <string.h>

#include "approval/internal.h"
#include "cases/cases.h"
#include "core/err.h"
#include "core/util.h"
#include "http/http.h"

#define APPROVERS (ROLE_APPROVER | ROLE_ADMIN)
#define DECIDERS (ROLE_APPROVER | ROLE_LEADER | ROLE_ADMIN)

static const char *const STATES[] = {"accepted", "pending_items", "expert_review",
                                     "hearing",  "public_notice", "approved",
                                     "rejected", "withdrawn",     NULL};
static const char *const FINAL[] = {"approved", "rejected", "withdrawn", NULL};
static const char *const NOTE[] = {"note", NULL};

static const struct case_transition TRANSITIONS[] = {
    {"accepted", "pending_items", "await_items", CASE_ROLE_SYSTEM, NULL, CLOCK_PAUSE,
     "容缺材料待补正", "Wait for missing items"},
    {"pending_items", "accepted", "items_received", CASE_ROLE_SYSTEM, NULL, CLOCK_RESUME,
     "容缺材料已补齐", "Missing items received"},
    {"accepted", "expert_review", "send_experts", APPROVERS, NULL, CLOCK_PAUSE, "专家评审",
     "Expert review"},
    {"expert_review", "accepted", "experts_done", APPROVERS, NULL, CLOCK_RESUME, "评审完毕",
     "Review done"},
    {"accepted", "hearing", "hold_hearing", APPROVERS, NOTE, CLOCK_PAUSE, "组织听证",
     "Hold a hearing"},
    {"hearing", "accepted", "hearing_done", APPROVERS, NULL, CLOCK_RESUME, "听证结束",
     "Hearing done"},
    {"accepted", "public_notice", "publish_notice", APPROVERS, NULL, CLOCK_PAUSE, "拟批准公示",
     "Public notice"},
    {"public_notice", "accepted", "notice_done", APPROVERS, NULL, CLOCK_RESUME, "公示期满",
     "Notice ended"},
    {"accepted", "approved", "approve", DECIDERS, NULL, CLOCK_STOP, "批准", "Approve"},
    {"accepted", "rejected", "reject", DECIDERS, NOTE, CLOCK_STOP, "不予批准", "Reject"},
    {"accepted", "withdrawn", "withdraw", ROLE_ENTERPRISE, NULL, CLOCK_STOP, "撤回申请",
     "Withdraw"},
    {"pending_items", "withdrawn", "withdraw", ROLE_ENTERPRISE, NULL, CLOCK_STOP, "撤回申请",
     "Withdraw"},
};

/* On the case page only the pauses are taken: a decision or a withdrawal moves the
   application and issues documents, so it goes through /api/v1/approval. */
static int case_follow(struct db *db, int64_t id, const struct case_transition *tr,
                       const struct case_actor *who, const char *note, const char *now)
{
    (void)db;
    (void)id;
    (void)who;
    (void)note;
    (void)now;
    return tr->clock == CLOCK_STOP ? ERR_CONFLICT : 0;
}

static const struct case_type EIA_CASE = {
    .name = "eia",
    .label_zh = "环评审批",
    .label_en = "EIA approval",
    .states = STATES,
    .final = FINAL,
    .transitions = TRANSITIONS,
    .n_transitions = ARRAY_LEN(TRANSITIONS),
    .on_move = case_follow,
};

static const char *const V_STATES[] = {"open", "verified", "false_commitment", NULL};
static const char *const V_FINAL[] = {"verified", "false_commitment", NULL};
static const struct case_transition V_TRANSITIONS[] = {
    {"open", "verified", "verify", APPROVERS | ROLE_INSPECTOR, NULL, CLOCK_STOP, "核查属实",
     "Verified"},
    {"open", "false_commitment", "find_false", APPROVERS | ROLE_INSPECTOR, NOTE, CLOCK_STOP,
     "承诺不实", "False commitment"},
};

/* The verification's outcome moves the approval: a false commitment revokes it and files a
   credit event of the enterprise (manual, the rule set's points) in the same transaction. */
static int verify_follow(struct db *db, int64_t application_id, const struct case_transition *tr,
                         const struct case_actor *who, const char *note, const char *now)
{
    return approval_verified(db, application_id, tr->action, who, note, now);
}

static const struct case_type VERIFY_CASE = {
    .name = "eia_verify",
    .label_zh = "告知承诺批后核查",
    .label_en = "Post-approval verification",
    .states = V_STATES,
    .final = V_FINAL,
    .transitions = V_TRANSITIONS,
    .n_transitions = ARRAY_LEN(V_TRANSITIONS),
    .on_move = verify_follow,
};

void approval_case_register(void)
{
    cases_type_register(&EIA_CASE);
    cases_type_register(&VERIFY_CASE);
}
