/*
** The platform's own upkeep jobs, declared in the jobs module's descriptor:
**   sessions.prune  remove sessions past their idle or absolute expiry (before, only a login
**                   removed them, so a quiet server kept them);
**   store.maintain  database upkeep (PostgreSQL: readings partitions ahead, retention), moved
**                   here from the HJ 212 writer thread, which ran it hourly in every process;
**   backup.nightly  with backup_dir set, an online SQLite copy into a rotating file per
**                   weekday (envgov-backup-1.db Monday … -7.db Sunday, China time).
*/
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "core/settings.h"
#include "core/util.h"
#include "jobs/jobs.h"
#include "jobs/upkeep.h"

static int sessions_prune(struct job_run *jr)
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

static int store_upkeep(struct job_run *jr)
{
    char now_china[20];
    china_time(jr->now_ms / 1000, now_china);
    int rc = store_maintain(jr->store, now_china);
    if (rc) {
        snprintf(jr->error, sizeof jr->error, "数据库维护失败 / database upkeep failed (%s)",
                 err_name(rc));
    } else {
        snprintf(jr->note, sizeof jr->note, "%s", store_backend_name(jr->store));
    }
    return rc;
}

static int backup_nightly(struct job_run *jr)
{
    const char *dir = settings_get("backup_dir");
    if (!dir[0]) {
        snprintf(jr->note, sizeof jr->note, "未设置 backup_dir，未备份 / backup_dir not set");
        return 0;
    }
    struct stat sb;
    errno = 0;
    if (stat(dir, &sb) || !S_ISDIR(sb.st_mode) || access(dir, W_OK)) {
        snprintf(jr->error, sizeof jr->error, "backup_dir %.400s: %s", dir,
                 errno ? strerror(errno) : "not a writable directory");
        return ERR_IO;
    }
    /* Day of the week in China time: 1970-01-01 was a Thursday (4). */
    int64_t days = (jr->now_ms / 1000 + 8 * 3600) / 86400;
    int wday = (int)((days + 3) % 7) + 1;
    char path[1200], tmp[1210];
    snprintf(path, sizeof path, "%s/envgov-backup-%d.db", dir, wday);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    unlink(tmp);
    int rc = store_backup(jr->store, tmp, jr->error, sizeof jr->error);
    if (!rc && rename(tmp, path)) {
        snprintf(jr->error, sizeof jr->error, "%.400s: %s", path, strerror(errno));
        rc = ERR_IO;
    }
    if (rc) {
        unlink(tmp);
        return rc;
    }
    str_copy(jr->note, sizeof jr->note, path);
    return 0;
}

const struct job_def UPKEEP_JOBS[] = {
    {"sessions.prune", "every 600", "session_prune_schedule", sessions_prune, 60,
     "清理过期会话 / Remove expired sessions"},
    {"store.maintain", "every 3600", "store_maintain_schedule", store_upkeep, 600,
     "数据库维护（PostgreSQL 分区与保留期）/ Database upkeep (PostgreSQL partitions, retention)"},
    {"backup.nightly", "daily 02:30", "backup_schedule", backup_nightly, 3600,
     "SQLite 数据库备份到 backup_dir / SQLite backup into backup_dir"},
};
const size_t N_UPKEEP_JOBS = sizeof UPKEEP_JOBS / sizeof UPKEEP_JOBS[0];
