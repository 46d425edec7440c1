/*
** Internal to src/jobs/: the platform's upkeep jobs (upkeep.c), listed in the jobs module's
** descriptor.
*/
#ifndef ENVGOV_JOBS_UPKEEP_H
#define ENVGOV_JOBS_UPKEEP_H

#include <stddef.h>

#include "jobs/jobs.h"

extern const struct job_def UPKEEP_JOBS[];
extern const size_t N_UPKEEP_JOBS;

#endif
