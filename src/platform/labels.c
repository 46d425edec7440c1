/*
** Labels of fields and enumerated values (see labels.h): read once from every module's
** web/js/<module>/labels.json, embedded in the binary, the same files the UI imports.
*/
#include "platform/labels.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/embed.h"
#include "core/util.h"
#include "platform/module.h"

/* A field: key is "field" or "entity.field"; previous labels have en = NULL. */
struct field_label {
    const char *key, *zh, *en;
    const char *module;
};

/* A value of a set; previous labels have en = NULL. */
struct value_label {
    const char *set, *value, *zh, *en;
    const char *module;
};

/* A column whose values are labelled by one or more sets ("kind" → outlet_kind, agency_kind). */
#define COL_SETS 4
struct column_sets {
    const char *col;
    const char *sets[COL_SETS];
    size_t n;
};

#define MAX_FIELDS 1024
#define MAX_VALUES 2048
#define MAX_COLUMNS 512

static struct {
    struct field_label fields[MAX_FIELDS];
    size_t n_fields, n_current_fields; /* current labels first, then previous ones */
    struct value_label values[MAX_VALUES];
    size_t n_values, n_current_values;
    struct column_sets columns[MAX_COLUMNS];
    size_t n_columns;
    const char *sets[MAX_COLUMNS * 2]; /* the distinct set names, for sets_of on every cell */
    size_t n_sets;
    json_t *roots[64]; /* kept for the process: the tables point into them */
    const char *root_module[64];
    size_t n_roots;
    struct buf problems;
} L;

static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void problem(const char *fmt, const char *a, const char *b, const char *c)
{
    char line[512];
    snprintf(line, sizeof line, fmt, a, b, c);
    buf_printf(&L.problems, "%s\n", line);
}

static bool pair(json_t *v, const char **zh, const char **en)
{
    if (!json_is_array(v) || json_array_size(v) != 2 || !json_is_string(json_array_get(v, 0)) ||
        !json_is_string(json_array_get(v, 1))) {
        return false;
    }
    *zh = json_string_value(json_array_get(v, 0));
    *en = json_string_value(json_array_get(v, 1));
    return **zh && **en;
}

static const struct field_label *find_field(const char *key, size_t upto)
{
    for (size_t i = 0; i < upto; i++) {
        if (!strcmp(L.fields[i].key, key)) {
            return &L.fields[i];
        }
    }
    return NULL;
}

static const struct value_label *find_value(const char *set, const char *v, size_t n, size_t upto)
{
    for (size_t i = 0; i < upto; i++) {
        if (!strcmp(L.values[i].set, set) && strlen(L.values[i].value) == n &&
            !strncmp(L.values[i].value, v, n)) {
            return &L.values[i];
        }
    }
    return NULL;
}

static void add_field(const char *m, const char *key, const char *zh, const char *en)
{
    const struct field_label *old = find_field(key, L.n_fields);
    if (old) {
        if (strcmp(old->zh, zh) || strcmp(old->en, en)) {
            problem("field '%s' is labelled by %s and again, differently, by %s", key, old->module,
                    m);
        }
        return;
    }
    if (L.n_fields == MAX_FIELDS) {
        problem("too many field labels (at %s in %s)%s", key, m, "");
        return;
    }
    L.fields[L.n_fields++] = (struct field_label){key, zh, en, m};
}

static void add_value(const char *m, const char *set, const char *v, const char *zh, const char *en)
{
    const struct value_label *old = find_value(set, v, strlen(v), L.n_values);
    if (old) {
        if (strcmp(old->zh, zh) || strcmp(old->en, en)) {
            problem("value '%s' of '%s' is labelled differently by two modules (the second: %s)", v,
                    set, m);
        }
        return;
    }
    if (L.n_values == MAX_VALUES) {
        problem("too many value labels (at %s.%s in %s)", set, v, m);
        return;
    }
    L.values[L.n_values++] = (struct value_label){set, v, zh, en, m};
}

static void load_current(const char *m, json_t *root)
{
    const char *k;
    json_t *v;
    json_object_foreach (json_object_get(root, "fields"), k, v) {
        const char *zh, *en;
        if (!pair(v, &zh, &en)) {
            problem("%s: fields.%s must be [\"中文\", \"English\"]%s", m, k, "");
            continue;
        }
        add_field(m, k, zh, en);
    }
    const char *set;
    json_t *values;
    json_object_foreach (json_object_get(root, "enums"), set, values) {
        json_object_foreach (values, k, v) {
            const char *zh, *en;
            if (!pair(v, &zh, &en)) {
                problem("%s: enums.%s.%s must be [\"中文\", \"English\"]", m, set, k);
                continue;
            }
            add_value(m, set, k, zh, en);
        }
    }
    json_object_foreach (json_object_get(root, "columns"), k, v) {
        if (L.n_columns == MAX_COLUMNS) {
            problem("%s: columns.%s is over the cap of all modules' columns%s", m, k, "");
            continue;
        }
        if (!json_is_array(v)) {
            problem("%s: columns.%s must be a list of sets%s", m, k, "");
            continue;
        }
        struct column_sets *c = &L.columns[L.n_columns++];
        c->col = k;
        size_t i;
        json_t *s;
        json_array_foreach (v, i, s) {
            if (json_is_string(s) && c->n < COL_SETS) {
                c->sets[c->n++] = json_string_value(s);
            }
        }
    }
}

static void load_previous(const char *m, json_t *root)
{
    json_t *prev = json_object_get(root, "previous");
    const char *k;
    json_t *v;
    json_object_foreach (json_object_get(prev, "fields"), k, v) {
        size_t i;
        json_t *s;
        json_array_foreach (v, i, s) {
            if (json_is_string(s) && L.n_fields < MAX_FIELDS) {
                L.fields[L.n_fields++] = (struct field_label){k, json_string_value(s), NULL, m};
            }
        }
    }
    const char *set;
    json_t *values;
    json_object_foreach (json_object_get(prev, "enums"), set, values) {
        json_object_foreach (values, k, v) {
            size_t i;
            json_t *s;
            json_array_foreach (v, i, s) {
                if (json_is_string(s) && L.n_values < MAX_VALUES) {
                    L.values[L.n_values++] =
                        (struct value_label){set, k, json_string_value(s), NULL, m};
                }
            }
        }
    }
}

static void load(void)
{
    buf_init(&L.problems, 1 << 16);
    for (size_t i = 0; i < app_n_modules && L.n_roots < ARRAY_LEN(L.roots); i++) {
        char path[128];
        snprintf(path, sizeof path, "web/js/%s/labels.json", app_modules[i]->name);
        const struct embed_file *f = embed_find(path);
        if (!f) {
            continue;
        }
        json_error_t e;
        json_t *root = json_loadb((const char *)f->data, f->size, 0, &e);
        if (!json_is_object(root)) {
            char line[16];
            snprintf(line, sizeof line, "%d", e.line);
            problem("%s: %s (line %s)", path, e.text, line);
            json_decref(root);
            continue;
        }
        L.root_module[L.n_roots] = app_modules[i]->name;
        L.roots[L.n_roots++] = root;
        load_current(app_modules[i]->name, root);
    }
    L.n_current_fields = L.n_fields;
    L.n_current_values = L.n_values;
    for (size_t i = 0; i < L.n_values; i++) {
        bool seen = false;
        for (size_t k = 0; k < L.n_sets && !seen; k++) {
            seen = !strcmp(L.sets[k], L.values[i].set);
        }
        if (!seen && L.n_sets == ARRAY_LEN(L.sets)) {
            problem("too many value sets (at %s)%s%s", L.values[i].set, "", "");
        } else if (!seen) {
            L.sets[L.n_sets++] = L.values[i].set;
        }
    }
    for (size_t i = 0; i < L.n_roots; i++) {
        load_previous(L.root_module[i], L.roots[i]);
    }
}

static void ensure(void)
{
    pthread_once(&g_once, load);
}

const char *labels_problems(void)
{
    ensure();
    return L.problems.len ? L.problems.p : NULL;
}

const char *label_field(const char *entity, const char *field, bool en)
{
    ensure();
    const struct field_label *f = NULL;
    if (entity) {
        char key[128];
        snprintf(key, sizeof key, "%s.%s", entity, field);
        f = find_field(key, L.n_current_fields);
    }
    if (!f) {
        f = find_field(field, L.n_current_fields);
    }
    return f ? (en ? f->en : f->zh) : field;
}

const char *label_enum(const char *set, const char *value, bool en)
{
    ensure();
    const struct value_label *v = find_value(set, value, strlen(value), L.n_current_values);
    return v ? (en ? v->en : v->zh) : NULL;
}

const char *label_column(const char *col)
{
    return label_field(NULL, col, false);
}

const char *label_column_parse(const char *header)
{
    ensure();
    if (!*header) {
        return NULL;
    }
    for (size_t i = 0; i < L.n_fields; i++) {
        const struct field_label *f = &L.fields[i];
        if (!strchr(f->key, '.') && i < L.n_current_fields && !strcmp(f->key, header)) {
            return f->key;
        }
    }
    for (size_t i = 0; i < L.n_fields; i++) {
        const struct field_label *f = &L.fields[i];
        if (!strchr(f->key, '.') && !strcmp(f->zh, header)) {
            return f->key;
        }
    }
    return NULL;
}

/* The sets that label col's values: the "columns" entry "entity.col", then "col", then the
   set of the same name. */
static size_t sets_of(const char *entity, const char *col, const char **out)
{
    char key[128];
    snprintf(key, sizeof key, "%s.%s", entity ? entity : "", col);
    for (int pass = entity ? 0 : 1; pass < 2; pass++) {
        for (size_t i = 0; i < L.n_columns; i++) {
            if (!strcmp(L.columns[i].col, pass ? col : key)) {
                memcpy(out, L.columns[i].sets, sizeof(char *) * L.columns[i].n);
                return L.columns[i].n;
            }
        }
    }
    for (size_t i = 0; i < L.n_sets; i++) {
        if (!strcmp(L.sets[i], col)) {
            out[0] = L.sets[i];
            return 1;
        }
    }
    return 0;
}

static const char *one_label(const char *const *sets, size_t n_sets, const char *v, size_t n)
{
    for (size_t s = 0; s < n_sets; s++) {
        const struct value_label *l = find_value(sets[s], v, n, L.n_current_values);
        if (l) {
            return l->zh;
        }
    }
    return NULL;
}

static const char *one_value(const char *const *sets, size_t n_sets, const char *s, size_t n)
{
    for (size_t k = 0; k < n_sets; k++) {
        for (size_t i = 0; i < L.n_values; i++) {
            const struct value_label *l = &L.values[i];
            if (strcmp(l->set, sets[k])) {
                continue;
            }
            if ((i < L.n_current_values && strlen(l->value) == n && !strncmp(l->value, s, n)) ||
                (strlen(l->zh) == n && !strncmp(l->zh, s, n))) {
                return l->value;
            }
        }
    }
    return NULL;
}

const char *label_value(struct arena *a, const char *col, const char *v)
{
    return label_entity_value(a, NULL, col, v);
}

const char *label_value_parse(struct arena *a, const char *col, const char *s)
{
    return label_entity_value_parse(a, NULL, col, s);
}

const char *label_entity_value(struct arena *a, const char *entity, const char *col, const char *v)
{
    ensure();
    const char *sets[COL_SETS];
    size_t n_sets = sets_of(entity, col, sets);
    if (!n_sets) {
        return v;
    }
    if (strcmp(col, "tags")) {
        const char *l = one_label(sets, n_sets, v, strlen(v));
        return l ? l : v;
    }
    struct buf b;
    buf_init(&b, 4096);
    for (const char *p = v; *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *l = one_label(sets, n_sets, p, n);
        buf_puts(&b, b.len ? "、" : "");
        buf_append(&b, l ? l : p, l ? strlen(l) : n);
        p += n + (end ? 1 : 0);
    }
    const char *out = arena_strdup(a, b.p ? b.p : "");
    buf_release(&b);
    return out;
}

const char *label_entity_value_parse(struct arena *a, const char *entity, const char *col,
                                     const char *s)
{
    ensure();
    const char *sets[COL_SETS];
    size_t n_sets = sets_of(entity, col, sets);
    if (!n_sets) {
        return s;
    }
    if (strcmp(col, "tags")) {
        return one_value(sets, n_sets, s, strlen(s));
    }
    /* Tags: separated by 、 , ; or spaces. */
    struct buf b;
    buf_init(&b, 4096);
    const char *p = s;
    bool bad = false;
    while (*p && !bad) {
        size_t skip =
            !strncmp(p, "、", 3) || !strncmp(p, "，", 3) ? 3 : (strchr(",; ", *p) ? 1 : 0);
        if (skip) {
            p += skip;
            continue;
        }
        size_t n = 0;
        while (p[n] && strncmp(p + n, "、", 3) && strncmp(p + n, "，", 3) && !strchr(",; ", p[n])) {
            n++;
        }
        const char *v = one_value(sets, n_sets, p, n);
        bad = v == NULL;
        if (v) {
            buf_printf(&b, "%s%s", b.len ? "," : "", v);
        }
        p += n;
    }
    const char *out = bad ? NULL : arena_strdup(a, b.p ? b.p : "");
    buf_release(&b);
    return out;
}

/* "key":{"zh":…,"en":…,"module":…}, after a comma unless first. */
static void label_entry(struct buf *out, bool first, const char *key, const char *zh,
                        const char *en, const char *module)
{
    const char *parts[] = {key, ":{\"zh\":", zh, ",\"en\":", en, ",\"module\":", module};
    buf_puts(out, first ? "" : ",");
    for (size_t i = 0; i < ARRAY_LEN(parts); i++) {
        if (i % 2) {
            buf_puts(out, parts[i]);
        } else {
            buf_json_str(out, parts[i], strlen(parts[i]));
        }
    }
    buf_putc(out, '}');
}

void labels_json(struct buf *out)
{
    ensure();
    buf_puts(out, "{\"fields\":{");
    for (size_t i = 0; i < L.n_current_fields; i++) {
        const struct field_label *f = &L.fields[i];
        label_entry(out, i == 0, f->key, f->zh, f->en, f->module);
    }
    buf_puts(out, "},\"enums\":{");
    const char *open = NULL;
    for (size_t i = 0; i < L.n_current_values; i++) {
        const struct value_label *v = &L.values[i];
        if (!open || strcmp(open, v->set)) {
            /* A set's values may come from several modules, not adjacent: collect them all. */
            bool seen = false;
            for (size_t k = 0; k < i; k++) {
                seen = seen || !strcmp(L.values[k].set, v->set);
            }
            if (seen) {
                continue;
            }
            buf_printf(out, "%s", open ? "}," : "");
            buf_json_str(out, v->set, strlen(v->set));
            buf_puts(out, ":{");
            open = v->set;
            size_t n = 0;
            for (size_t k = i; k < L.n_current_values; k++) {
                const struct value_label *w = &L.values[k];
                if (strcmp(w->set, v->set)) {
                    continue;
                }
                label_entry(out, n++ == 0, w->value, w->zh, w->en, w->module);
            }
        }
    }
    buf_puts(out, open ? "}}" : "}");
    buf_puts(out, ",\"columns\":{");
    for (size_t i = 0; i < L.n_columns; i++) {
        buf_printf(out, "%s", i ? "," : "");
        buf_json_str(out, L.columns[i].col, strlen(L.columns[i].col));
        buf_puts(out, ":[");
        for (size_t k = 0; k < L.columns[i].n; k++) {
            buf_printf(out, "%s", k ? "," : "");
            buf_json_str(out, L.columns[i].sets[k], strlen(L.columns[i].sets[k]));
        }
        buf_putc(out, ']');
    }
    buf_puts(out, "}}");
}
