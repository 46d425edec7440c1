/*
** The accounts module's periodic job sessions.prune (jobs/jobs.h): remove sessions past
** their idle or absolute expiry. A login also removes them, but a quiet server otherwise
** keeps the rows of every session nobody logged out of.
*/
#include <stdio.h>

#include "accounts/accounts.h"
#include "core/settings.h"
#include "jobs/jobs.h"
#include "store/q_accounts.h"

int accounts_sessions_prune(struct job_run *jr)
{
    int64_t now = jr->now_ms / 1000;
    struct db *db;
    int rc = store_begin(jr->store, &db);
    if (rc) {
        return rc;
    }
    rc = store_sessions_expire(db, now - settings_int("session_idle_min") * 60,
                               now - settings_int("session_max_hours") * 3600);
    int64_t n = rc ? 0 : db_changes(db);
    rc = rc ? (store_rollback(jr->store, db), rc) : store_commit(jr->store, db);
    if (!rc) {
        snprintf(jr->note, sizeof jr->note, "删除过期会话 %lld 个 / %lld expired sessions removed",
                 (long long)n, (long long)n);
    }
    return rc;
}
