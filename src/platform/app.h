/*
** Process-wide state of a running envgov: the store, the working-day calendar and the data
** directory. Set up once by main before any thread starts; read-only afterwards except where
** a member documents its own lock.
*/
#ifndef ENVGOV_PLATFORM_APP_H
#define ENVGOV_PLATFORM_APP_H

#include <pthread.h>

#include "store/store.h"

struct calendar;

struct app {
    struct store *store;
    const char *data_dir;
    struct calendar *cal;      /* guarded by cal_lock */
    pthread_rwlock_t cal_lock; /* readers compute deadlines; an admin upload writes */
};

extern struct app app;

#endif
