/*
** Every job of the application (see registry.h). TEMPORARY until the module descriptors land:
** only the upkeep jobs.
*/
#include <string.h>

#include "jobs/registry.h"
#include "jobs/upkeep.h"

size_t jobs_count(void)
{
    return N_UPKEEP_JOBS;
}

const struct job_def *jobs_at(size_t i)
{
    return &UPKEEP_JOBS[i];
}

const struct job_def *jobs_find(const char *name)
{
    for (size_t i = 0; i < jobs_count(); i++) {
        if (!strcmp(jobs_at(i)->name, name)) {
            return jobs_at(i);
        }
    }
    return NULL;
}
