/*
** The enterprise registry: enterprises (统一社会信用代码), outlets (排放口), monitoring points,
** emission limits, pollution permits (排污许可) and environmental agencies; their HTTP routes,
** CSV/XLSX import and export, and the demo generator.
*/
#ifndef ENVGOV_REGISTRY_REGISTRY_H
#define ENVGOV_REGISTRY_REGISTRY_H

#include "http/http.h"
#include "platform/module.h"

void registry_routes(struct router *rt);
/* The registry's figures on the 工作台 (the descriptor's dashboard; api.c). */
int registry_dashboard(struct req *r, struct db *db, struct buf *out);

/* The module's descriptor (src/app/modules.c lists it). */
extern const struct module registry_module;

struct cli;
int cmd_demo(const struct cli *c);
int cmd_import(const struct cli *c);
int cmd_export(const struct cli *c);

#endif
