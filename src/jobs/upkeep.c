/*
** The platform's own upkeep jobs, declared in the jobs module's descriptor (module.c):
**   store.maintain  database upkeep (PostgreSQL: readings partitions ahead, retention), moved
**                   here from the HJ 212 writer thread, which ran it hourly in every process;
**   backup.nightly  with backup_dir set, an online SQLite copy into a rotating file per
**                   weekday (envgov-backup-1.db Monday … -7.db Sunday, China time).
*/
#include "jobs/upkeep.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "core/settings.h"
#include "core/util.h"
#include "jobs/jobs.h"
#include "platform/platform.h"

/* Blobs nobody named for a day are orphans: no transaction is open that long. */
#define ORPHAN_GRACE_S 86400

int upkeep_store_maintain(struct job_run *jr)
{
    char now_china[20];
    china_time(jr->now_ms / 1000, now_china);
    int rc = store_maintain(jr->store, now_china), removed = 0;
    if (rc) {
        snprintf(jr->error, sizeof jr->error, "数据库维护失败 / database upkeep failed (%s)",
                 err_name(rc));
        return rc;
    }
    rc = attach_blobs_sweep(jr->store, jr->now_ms / 1000, ORPHAN_GRACE_S, &removed);
    if (rc) {
        snprintf(jr->error, sizeof jr->error,
                 "清理孤立附件文件失败 / the orphaned attachment sweep failed (%s)", err_name(rc));
    } else if (removed) {
        snprintf(jr->note, sizeof jr->note,
                 "%s; 清理孤立附件文件 %d 个 / %d orphaned attachment files "
                 "removed",
                 store_backend_name(jr->store), removed, removed);
    } else {
        snprintf(jr->note, sizeof jr->note, "%s", store_backend_name(jr->store));
    }
    return rc;
}

int upkeep_backup(struct job_run *jr)
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
