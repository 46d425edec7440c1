/*
** The one settings table. Every tunable of envgov is a row here with a default; values are
** layered defaults -> INI file (DATA/envgov.ini or --config) -> environment (ENVGOV_NAME)
** -> command-line flags (--name value). settings_print() shows each value and its source.
** Values are owned by the table; getters return pointers valid until the next settings_set.
** Set everything before threads start; read-only afterwards.
*/
#ifndef ENVGOV_CORE_SETTINGS_H
#define ENVGOV_CORE_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum settings_source { SRC_DEFAULT, SRC_FILE, SRC_ENV, SRC_FLAG };

/* One row of the settings table: a name, its default, whether it must be a non-negative
   integer, and a line of help for --print-config. */
struct setting_def {
    const char *name;
    const char *def;
    bool is_int;
    const char *help;
};

/* Add rows to the table (a module's, from its descriptor), before settings are loaded. The rows
   must outlive the program (static); a name registered twice is a bug (assert). */
void settings_register(const struct setting_def *rows, size_t n);

/* Reset to defaults. */
void settings_init(void);
/* Set a value by name; ERR_NOTFOUND for an unknown name, ERR_INPUT for a bad integer. */
int settings_set(const char *name, const char *value, enum settings_source src);
/* Load an INI file (key = value lines, [sections] ignored, ; and # comments). Missing file
   is fine when optional. On a bad line returns ERR_INPUT with *bad_line set. */
int settings_load_file(const char *path, int optional, int *bad_line);
/* Apply ENVGOV_* environment variables. A bad integer is not applied: the others still are,
   and the result is ERR_INPUT with *bad naming the first such variable. */
int settings_load_env(const char **bad);
const char *settings_get(const char *name);
int64_t settings_int(const char *name);
void settings_print(FILE *f);

#endif
