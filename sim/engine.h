/* The discrete-event engine: an integer microsecond clock, a pending-event set with FIFO
 * tie-break and cancellation, events drawn from a pool. Knows nothing of rides or chains. */
#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Simulated time in microseconds. Integer so that ordering is exact and reproducible. */
typedef int64_t sim_time;

#define SIM_USEC ((sim_time)1)
#define SIM_MSEC ((sim_time)1000)
#define SIM_SEC ((sim_time)1000000)
#define SIM_MIN (60 * SIM_SEC)
#define SIM_HOUR (60 * SIM_MIN)
#define SIM_DAY (24 * SIM_HOUR)
#define SIM_TIME_MAX INT64_MAX

typedef struct sim sim;

/* A handler receives the engine, the target it was scheduled with (a model object) and a
 * small integer payload, so that most events need no allocation of their own. */
typedef void (*sim_handler)(sim *s, void *target, uint64_t data);

/* Handle of a scheduled event; 0 is never a valid handle. A handle stays safe to cancel
 * after its event has fired or been cancelled (the call then returns false). */
typedef uint64_t sim_event_id;

typedef enum {
    SIM_STOP_EMPTY,     /* no pending events left */
    SIM_STOP_TIME,      /* the next event lies beyond the requested end time */
    SIM_STOP_REQUESTED, /* a handler called sim_request_stop */
} sim_stop_reason;

/* NULL on allocation failure. capacity_hint sizes the pool and queue (they grow as needed). */
sim *sim_new(size_t capacity_hint);
void sim_free(sim *s);

sim_time sim_now(const sim *s);

/* Schedules handler(s, target, data) at absolute time `at` (clamped to now if earlier).
 * Events at equal times run in the order they were scheduled. Returns 0 only when memory
 * runs out. */
sim_event_id sim_schedule(sim *s, sim_time at, sim_handler fn, void *target, uint64_t data);
sim_event_id sim_schedule_in(sim *s, sim_time delay, sim_handler fn, void *target, uint64_t data);

/* Cancels a pending event. Returns true if it was pending and will no longer run. */
bool sim_cancel(sim *s, sim_event_id id);

/* Runs events in time order while the next event's time is <= until. On SIM_STOP_TIME the
 * clock is advanced to `until` (unless until is SIM_TIME_MAX). Can be called again to continue. */
sim_stop_reason sim_run(sim *s, sim_time until);

/* Asks the running sim_run to return after the current handler. */
void sim_request_stop(sim *s);

/* Called from sim_run every `every` executed events (0 disables), e.g. to show progress. */
typedef void (*sim_hook)(sim *s, void *ctx);
void sim_set_hook(sim *s, sim_hook fn, void *ctx, uint64_t every);

uint64_t sim_events_executed(const sim *s);
size_t sim_pending(const sim *s);

#endif
