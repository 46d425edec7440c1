/*
** Every job of the application (see registry.h): the jobs of each module's descriptor, in the
** order of app_modules. Names no module.
*/
#include "jobs/registry.h"

#include <string.h>

#include "platform/module.h"

size_t jobs_count(void)
{
    size_t n = 0;
    for (size_t i = 0; i < app_n_modules; i++) {
        n += app_modules[i]->n_jobs;
    }
    return n;
}

const struct job_def *jobs_at(size_t i)
{
    for (size_t m = 0; m < app_n_modules; m++) {
        if (i < app_modules[m]->n_jobs) {
            return &app_modules[m]->jobs[i];
        }
        i -= app_modules[m]->n_jobs;
    }
    return NULL;
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
