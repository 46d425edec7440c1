/*
** argon2id off the request threads: a fixed pool of threads takes jobs from a queue. A job
** owns its buffers; the submitter owns the job and is told through job->done on the pool
** thread (which then resumes the suspended HTTP request).
*/
#include "accounts/hashpool.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "core/util.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static struct hash_job *head, *tail;
static pthread_t *threads;
static int n_threads;
static bool stopping;

static void run(struct hash_job *j)
{
    if (j->kind == HASH_VERIFY) {
        j->result =
            crypto_pwhash_str_verify(j->hash, j->password, strlen(j->password)) == 0 ? 0 : ERR_AUTH;
    } else {
        j->result = crypto_pwhash_str(j->hash, j->password, strlen(j->password),
                                      crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                      crypto_pwhash_MEMLIMIT_INTERACTIVE)
                        ? ERR_UNSUPPORTED
                        : 0;
    }
    sodium_memzero(j->password, sizeof j->password);
}

static void *worker(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&lock);
        while (!head && !stopping) {
            pthread_cond_wait(&cond, &lock);
        }
        if (!head) {
            pthread_mutex_unlock(&lock);
            return NULL;
        }
        struct hash_job *j = head;
        head = j->next;
        if (!head) {
            tail = NULL;
        }
        pthread_mutex_unlock(&lock);
        run(j);
        j->done(j);
    }
}

void hashpool_start(int n)
{
    stopping = false;
    n_threads = n < 1 ? 1 : n;
    threads = xcalloc((size_t)n_threads, sizeof *threads);
    for (int i = 0; i < n_threads; i++) {
        pthread_create(&threads[i], NULL, worker, NULL);
    }
}

void hashpool_stop(void)
{
    pthread_mutex_lock(&lock);
    stopping = true;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < n_threads; i++) {
        pthread_join(threads[i], NULL);
    }
    free(threads);
    threads = NULL;
    n_threads = 0;
}

void hashpool_submit(struct hash_job *j)
{
    if (!threads) {
        /* No pool (CLI use): run inline. */
        run(j);
        j->done(j);
        return;
    }
    j->next = NULL;
    pthread_mutex_lock(&lock);
    if (tail) {
        tail->next = j;
    } else {
        head = j;
    }
    tail = j;
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
}
