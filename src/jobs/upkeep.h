/*
** Internal to src/jobs/: the run functions of the platform's upkeep jobs (upkeep.c), which
** the jobs module's descriptor lists.
*/
#ifndef ENVGOV_JOBS_UPKEEP_H
#define ENVGOV_JOBS_UPKEEP_H

#include <stddef.h>

#include "jobs/jobs.h"

/* store.maintain: store_maintain (PostgreSQL partitions ahead, retention), then the sweep of
   attachment blobs no row names (attach_blobs_sweep, a day's grace). */
int upkeep_store_maintain(struct job_run *jr);
/* backup.nightly: with backup_dir set, store_backup into backup_dir/envgov-backup-D.db (D the
   China-time weekday, 1 Monday … 7 Sunday), written to a .tmp file and renamed. */
int upkeep_backup(struct job_run *jr);

#endif
