/*
** prefault.c — new memory made present on a helper thread (see prefault.h).
*/
#include "prefault.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__linux__) && !defined(MADV_POPULATE_WRITE)
#define MADV_POPULATE_WRITE 23 /* Linux 5.14; older kernels refuse it harmlessly */
#endif

typedef struct Job {
    char *p;
    size_t n; /* bytes */
    bool fill;
    uint32_t pattern;
} Job;

struct Prefault {
    Job *jobs;
    size_t n, cap;
    bool closed;  /* started: no more jobs */
    bool started; /* the thread runs */
    pthread_t thread;
};

Prefault *prefault_new(void)
{
    return calloc(1, sizeof(Prefault));
}

static void add(Prefault *pf, Job j)
{
    if (!pf || !j.p || !j.n || pf->closed) return;
    if (pf->n == pf->cap) {
        pf->cap = pf->cap ? pf->cap * 2 : 16;
        pf->jobs = xrealloc(pf->jobs, pf->cap * sizeof(Job));
    }
    pf->jobs[pf->n++] = j;
}

void prefault_touch(Prefault *pf, void *p, size_t n)
{
    add(pf, (Job){p, n, false, 0});
}

void prefault_fill32(Prefault *pf, void *p, size_t count, uint32_t pattern)
{
    add(pf, (Job){p, count * sizeof(uint32_t), true, pattern});
}

static void fill(const Job *j)
{
    uint32_t *w = (uint32_t *)(void *)j->p;
    size_t n = j->n / sizeof(uint32_t);
    if (j->pattern == 0) {
        memset(w, 0, n * sizeof(uint32_t));
        return;
    }
    for (size_t i = 0; i < n; i++)
        w[i] = j->pattern;
}

/* Bytes per madvise call: the call holds the process's memory map lock,
** which the main thread's malloc needs to grow the heap, and its madvise
** to mark blocks for huge pages. */
#define TOUCH_STEP ((uintptr_t)2 << 20)

/* Only whole pages inside the range: the pages at its ends may hold other
** blocks, which their owners are using. */
static void touch(const Job *j)
{
#ifdef MADV_POPULATE_WRITE
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t a = ((uintptr_t)j->p + page - 1) & ~(page - 1);
    uintptr_t b = ((uintptr_t)j->p + j->n) & ~(page - 1);
    for (uintptr_t at = a; at < b; at += TOUCH_STEP) {
        uintptr_t end = b - at < TOUCH_STEP ? b : at + TOUCH_STEP;
        if (madvise((void *)at, end - at, MADV_POPULATE_WRITE) != 0) return;
    }
#else
    (void)j;
#endif
}

static void *run(void *arg)
{
    Prefault *pf = arg;
    for (size_t i = 0; i < pf->n; i++)
        if (pf->jobs[i].fill)
            fill(&pf->jobs[i]);
        else
            touch(&pf->jobs[i]);
    return NULL;
}

void prefault_start(Prefault *pf)
{
    if (!pf || pf->closed) return;
    pf->closed = true;
    if (pf->n) pf->started = pthread_create(&pf->thread, NULL, run, pf) == 0;
}

void prefault_wait(Prefault *pf)
{
    if (!pf) return;
    if (pf->started)
        pthread_join(pf->thread, NULL);
    else
        for (size_t i = 0; i < pf->n; i++)
            if (pf->jobs[i].fill) fill(&pf->jobs[i]);
    free(pf->jobs);
    free(pf);
}
