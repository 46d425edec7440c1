/*
** envgov: the working platform of an Ecology and Environment Bureau. This file only
** dispatches subcommands: each module's descriptor lists its own (platform/module.h), and
** src/app/modules.c lists the modules.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "core/err.h"
#include "core/log.h"
#include "core/settings.h"
#include "core/util.h"
#include "platform/cli.h"
#include "platform/module.h"

#ifndef ENVGOV_VERSION
#define ENVGOV_VERSION "0.1.0"
#endif

static int cmd_version(const struct cli *c);

static const char *const no_opts[] = {NULL};
static const struct module_command version_command = {"version", cmd_version, "print the version",
                                                      "envgov version", no_opts};

static int cmd_version(const struct cli *c)
{
    (void)c;
    printf("envgov %s\n", ENVGOV_VERSION);
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f,
            "envgov %s — 生态环境局工作平台 / Ecology and Environment Bureau platform\n\n"
            "usage: envgov COMMAND [options]   (envgov COMMAND --help for details)\n\n",
            ENVGOV_VERSION);
    for (size_t i = 0; i < app_n_modules; i++) {
        for (size_t k = 0; k < app_modules[i]->n_commands; k++) {
            const struct module_command *mc = &app_modules[i]->commands[k];
            fprintf(f, "  %-9s %s\n", mc->name, mc->summary);
        }
    }
    fprintf(f, "  %-9s %s\n", version_command.name, version_command.summary);
    fprintf(f, "\nEvery command takes --data DIR (default ./envgov-data). Settings come from\n"
               "defaults, DIR/envgov.ini (or --config FILE), ENVGOV_* variables, then flags.\n");
}

/* Split argv into settings flags, other options and positional arguments. */
static int parse(int argc, char **argv, struct cli *c)
{
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            c->help = true;
            continue;
        }
        if (strncmp(a, "--", 2)) {
            if (c->n_args < CLI_MAX) {
                c->args[c->n_args++] = a;
            }
            continue;
        }
        const char *name = a + 2, *eq = strchr(name, '='), *value;
        char *key;
        if (eq) {
            key = xstrndup(name, (size_t)(eq - name));
            value = eq + 1;
        } else {
            key = xstrdup(name);
            value = (i + 1 < argc && strncmp(argv[i + 1], "--", 2)) ? argv[++i] : "";
        }
        for (char *p = key; *p; p++) {
            *p = *p == '-' ? '_' : *p;
        }
        if (c->n_opts >= CLI_MAX) {
            fprintf(stderr, "envgov: too many options\n");
            return 2;
        }
        c->opt_name[c->n_opts] = key;
        c->opt_value[c->n_opts++] = value;
    }
    return 0;
}

/* The options of a command that are not settings (any command takes --config and every
   setting). A flag that is neither stops the command before it runs: a mistyped --data would
   otherwise act on the default data directory. */
static bool command_option(const struct module_command *mc, const char *name)
{
    if (!strcmp(name, "config")) {
        return true;
    }
    for (size_t k = 0; mc->opts && mc->opts[k]; k++) {
        if (!strcmp(mc->opts[k], name)) {
            return true;
        }
    }
    return false;
}

/* Settings layers: defaults, file, environment, then flags that name a setting. */
static int apply_settings(struct cli *c, const struct module_command *mc)
{
    settings_init();
    for (int i = 0; i < c->n_opts; i++) {
        if (!strcmp(c->opt_name[i], "data")) {
            settings_set("data", c->opt_value[i], SRC_FLAG);
        }
    }
    const char *config = cli_opt(c, "config");
    char path[1024];
    snprintf(path, sizeof path, "%s/envgov.ini", settings_get("data"));
    int bad_line = 0;
    if (settings_load_file(config ? config : path, config == NULL, &bad_line)) {
        fprintf(stderr, "envgov: cannot read settings file %s%s%d\n", config ? config : path,
                bad_line ? ": bad line " : "", bad_line);
        return 2;
    }
    const char *bad_env;
    if (settings_load_env(&bad_env)) {
        fprintf(stderr, "envgov: %s needs a non-negative integer\n", bad_env);
        return 2;
    }
    for (int i = 0; i < c->n_opts; i++) {
        int rc = settings_set(c->opt_name[i], c->opt_value[i], SRC_FLAG);
        if (rc == ERR_INPUT) {
            fprintf(stderr, "envgov: --%s needs a non-negative integer\n", c->opt_name[i]);
            return 2;
        }
        if (rc == ERR_NOTFOUND && !command_option(mc, c->opt_name[i])) {
            fprintf(stderr, "envgov %s: unknown option --%s (see envgov %s --help)\n", c->cmd,
                    c->opt_name[i], c->cmd);
            return 2;
        }
    }
    log_set_level(log_level_from_name(settings_get("log_level")));
    return 0;
}

/* Thousands of device connections need more descriptors than the usual soft limit of 1024:
   take the hard limit (the gateway's own cap, hj212_max_connections, still applies). */
static void raise_nofile(void)
{
    struct rlimit r;
    if (!getrlimit(RLIMIT_NOFILE, &r) && r.rlim_cur < r.rlim_max) {
        r.rlim_cur = r.rlim_max;
        setrlimit(RLIMIT_NOFILE, &r);
    }
}

int main(int argc, char **argv)
{
    raise_nofile();
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "--version")) {
        return cmd_version(NULL);
    }
    modules_register();
    const struct module_command *mc =
        strcmp(argv[1], "version") ? modules_command(argv[1]) : &version_command;
    if (mc) {
        struct cli c = {.cmd = mc->name};
        if (parse(argc, argv, &c)) {
            return 2;
        }
        if (c.help) {
            printf("%s\n\n%s\n", mc->summary, mc->usage);
            for (int k = 0; k < c.n_opts; k++) {
                free((char *)c.opt_name[k]);
            }
            return 0;
        }
        int rc = util_init() || apply_settings(&c, mc) ? 2 : mc->fn(&c);
        for (int k = 0; k < c.n_opts; k++) {
            free((char *)c.opt_name[k]);
        }
        settings_init(); /* frees the values */
        return rc;
    }
    fprintf(stderr, "envgov: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 2;
}
