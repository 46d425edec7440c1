/*
** `envgov serve`: open the store, load the calendar, start the HTTP server and the HJ 212
** gateway, wait for SIGINT/SIGTERM, stop cleanly (the gateway commits what it holds first).
*/
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "accounts/accounts.h"
#include "core/log.h"
#include "core/settings.h"
#include "http/server.h"
#include "monitor/monitor.h"
#include "platform/app.h"
#include "platform/cli.h"
#include "platform/platform.h"

int cmd_serve(const struct cli *c)
{
    if (cli_opt(c, "print_config")) {
        settings_print(stdout);
        return 0;
    }
    if (cli_open_store(true)) {
        return 1;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* threads inherit the mask; main waits */
    accounts_start();
    struct router *rt = router_new();
    app_routes(rt);
    static const struct http_hooks hooks = {accounts_authenticate};
    struct http_server *srv;
    char err[256];
    if (http_server_start(settings_get("http"), rt, &hooks, &srv, err, sizeof err)) {
        fprintf(stderr, "envgov: %s\n", err);
        accounts_stop();
        cli_close_store();
        return 1;
    }
    struct gateway *gw;
    if (gateway_start(settings_get("hj212"), &gw, err, sizeof err)) {
        fprintf(stderr, "envgov: %s\n", err);
        http_server_stop(srv);
        accounts_stop();
        router_free(rt);
        cli_close_store();
        return 1;
    }
    notify_start();
    log_info("envgov serving http://%s and HJ 212 on %s (data %s, %zu routes)",
             settings_get("http"), settings_get("hj212"), settings_get("data"), router_count(rt));
    int sig = 0;
    do {
        sigwait(&set, &sig);
    } while (sig == SIGPIPE);
    log_info("signal %d: stopping", sig);
    gateway_stop(gw);
    notify_stop();
    http_server_stop(srv);
    accounts_stop();
    router_free(rt);
    cli_close_store();
    return 0;
}
