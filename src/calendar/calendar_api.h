/*
** Calendar over HTTP: loaded years, one year's schedule, an admin loading or replacing a year,
** and working-day arithmetic for the UI and other modules' clients.
*/
#ifndef ENVGOV_CALENDAR_CALENDAR_API_H
#define ENVGOV_CALENDAR_CALENDAR_API_H

#include "http/http.h"

void calendar_routes(struct router *rt);

#endif
