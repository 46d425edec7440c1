/*
** Internal to src/jobs/: every job the application's modules declare, gathered from their
** module descriptors (registry.c), in module order. Read-only after the first call.
*/
#ifndef ENVGOV_JOBS_REGISTRY_H
#define ENVGOV_JOBS_REGISTRY_H

#include <stddef.h>

#include "http/http.h"
#include "jobs/jobs.h"

size_t jobs_count(void);
const struct job_def *jobs_at(size_t i);

/* api.c: the routes, and `envgov job` (list | run NAME). */
struct cli;
extern const struct route JOBS_ROUTES[];
extern const size_t N_JOBS_ROUTES;
int jobs_cmd(const struct cli *c);

#endif
