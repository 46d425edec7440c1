/*
** Error codes shared by every layer. Functions that can fail on input, I/O or the
** database return 0 on success or one of these (negative) values; results travel through
** out-parameters placed last. Bugs are asserts; out of memory aborts in xmalloc.
*/
#ifndef ENVGOV_CORE_ERR_H
#define ENVGOV_CORE_ERR_H

enum {
    ERR_OK = 0,
    ERR_INPUT = -1,     /* bad input from a user or device: 400/422 */
    ERR_NOTFOUND = -2,  /* 404 */
    ERR_CONFLICT = -3,  /* unique key or state conflict: 409 */
    ERR_FORBIDDEN = -4, /* 403 */
    ERR_AUTH = -5,      /* not authenticated: 401 */
    ERR_TOOBIG = -6,    /* over a size cap: 413 */
    ERR_IO = -7,        /* file or socket */
    ERR_DB = -8,        /* database failure that is not the caller's fault */
    ERR_AGAIN = -9,     /* need more bytes / retry later */
    ERR_PROTO = -10,    /* malformed protocol data */
    ERR_BUSY = -11,     /* throttled or locked: 429 */
    ERR_UNSUPPORTED = -12,
};

/* Short English name of an error code, for logs ("input", "notfound", ...). */
const char *err_name(int err);

#endif
