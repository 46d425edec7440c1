/* libFuzzer driver: calendar year files (admins upload them) and date parsing. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "calendar/calendar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct calendar *c;
    if (!c) {
        c = calloc(1, sizeof *c);
        calendar_init(c);
    }
    char err[256];
    int year;
    if (calendar_load_json(c, (const char *)data, size, &year, err, sizeof err) == 0) {
        int32_t first, out;
        char iso[11] = "2000-01-01";
        iso[0] = (char)('0' + year / 1000), iso[1] = (char)('0' + year / 100 % 10);
        iso[2] = (char)('0' + year / 10 % 10), iso[3] = (char)('0' + year % 10);
        if (calendar_date_parse(iso, 10, &first) == 0) {
            calendar_add_workdays(c, first, 30, &out, NULL);
        }
    }
    int32_t d;
    calendar_date_parse((const char *)data, size, &d);
    return 0;
}
