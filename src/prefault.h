/*
** prefault.h — new memory made present on a helper thread.
**
** The first write to each page of a new block makes the kernel clear it, and
** on this project's target machines (virtual ones) that costs 0.4-2.5 ms per
** megabyte: a third of the main thread's time while the persons load, where
** the other core is half idle. A loader that has just reserved room for the
** rest of a table hands the untouched parts to a Prefault; its thread faults
** them in (or fills them) while the loader goes on parsing.
**
** Two kinds of job, with different rules for the caller:
**   - touch: the pages are made present, their contents left as they are;
**     the caller may read and write the range meanwhile.
**   - fill: the range is set to a 32-bit pattern; the caller must not use
**     the range until prefault_wait has returned.
** Nothing is guaranteed about when a job runs, only that all have run when
** prefault_wait returns. Where the thread cannot start, the jobs run at
** prefault_wait on the caller's thread (fills) or not at all (touches).
*/
#ifndef KP_PREFAULT_H
#define KP_PREFAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Prefault Prefault;

/* An idle Prefault, or NULL when out of memory. */
Prefault *prefault_new(void);
/* Queues a job; p may be NULL or n 0 (nothing to do). Only before start. */
void prefault_touch(Prefault *pf, void *p, size_t n);
void prefault_fill32(Prefault *pf, void *p, size_t count, uint32_t pattern);
/* Starts the thread on the queued jobs. */
void prefault_start(Prefault *pf);
/* Waits for every job, then frees pf. pf may be NULL. */
void prefault_wait(Prefault *pf);

#endif
