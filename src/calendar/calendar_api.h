/*
** Calendar over HTTP: loaded years, one year's schedule, an admin loading or replacing a year,
** and working-day arithmetic for the UI and other modules' clients.
*/
#ifndef ENVGOV_CALENDAR_CALENDAR_API_H
#define ENVGOV_CALENDAR_CALENDAR_API_H

#include "http/http.h"
#include "platform/module.h"

void calendar_routes(struct router *rt);

/* The module's descriptor (src/app/modules.c lists it). */
extern const struct module calendar_module;

#endif
