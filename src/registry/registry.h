/*
** The enterprise registry: enterprises (统一社会信用代码), outlets (排放口), monitoring points,
** emission limits, pollution permits (排污许可) and environmental agencies; their HTTP routes,
** CSV/XLSX import and export, and the demo generator.
*/
#ifndef ENVGOV_REGISTRY_REGISTRY_H
#define ENVGOV_REGISTRY_REGISTRY_H

#include "http/http.h"

void registry_routes(struct router *rt);

#endif
