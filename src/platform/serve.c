/*
** `envgov serve`: open the store, load the calendar, start the modules (the HJ 212 gateway,
** the notifier, the hashing pool …: platform/module.h), start the HTTP server, wait for
** SIGINT/SIGTERM, stop cleanly (HTTP first, then the modules in reverse order; the gateway
** commits what it holds).
*/
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "accounts/accounts.h"
#include "core/log.h"
#include "core/settings.h"
#include "http/server.h"
#include "platform/app.h"
#include "platform/cli.h"
#include "platform/module.h"
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
    char err[256];
    if (modules_start(err, sizeof err)) {
        fprintf(stderr, "envgov: %s\n", err);
        cli_close_store();
        return 1;
    }
    struct router *rt = router_new();
    modules_routes(rt);
    static const struct http_hooks hooks = {accounts_authenticate};
    struct http_server *srv;
    if (http_server_start(settings_get("http"), rt, &hooks, &srv, err, sizeof err)) {
        fprintf(stderr, "envgov: %s\n", err);
        modules_stop();
        router_free(rt);
        cli_close_store();
        return 1;
    }
    log_info("envgov serving http://%s (data %s, %zu routes, %zu modules)", settings_get("http"),
             settings_get("data"), router_count(rt), app_n_modules);
    int sig = 0;
    do {
        sigwait(&set, &sig);
    } while (sig == SIGPIPE);
    log_info("signal %d: stopping", sig);
    http_server_stop(srv);
    modules_stop();
    router_free(rt);
    cli_close_store();
    return 0;
}
