/* coopsim lab: a small local web server where students move a control and see a scenario rerun.
 * What its parts share: the state of one server, the runs and the embedded page. */
#ifndef APP_LAB_H
#define APP_LAB_H

#include "models/scenario.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#define LAB_BODY_MAX 4096     /* bytes of a request body (413 beyond) */
#define LAB_QUEUE_MAX 64      /* runs waiting or running, at most (503 beyond) */
#define LAB_WORK_MAX 400000.0 /* estimated requests + driver shifts of one run (~3 s) */
#define LAB_MEMORY_MB 512     /* default address space a run may add, MiB (--memory-limit) */
/* The map: one frame every LAB_MAP_EVERY_S seconds from the busiest hour of the first day's
 * demand, at most LAB_MAP_FRAMES frames (one hour) and LAB_MAP_AGENTS drivers (the first by
 * index) and waiting riders per frame. */
#define LAB_MAP_EVERY_S 30
#define LAB_MAP_FRAMES 120
#define LAB_MAP_AGENTS 600

/* Under AddressSanitizer the address space cannot be bounded (its shadow memory is terabytes of
 * reserved addresses): --memory-limit is then not enforced, and says so. */
#if defined(__SANITIZE_ADDRESS__)
#define LAB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LAB_ASAN 1
#endif
#endif
#ifndef LAB_ASAN
#define LAB_ASAN 0
#endif

typedef struct lab {
    const char *file;        /* the scenario */
    coop_scenario base;      /* as the file says: controls, title, notes */
    char **start;            /* each control's value as the file writes it */
    char *tmpdir;            /* private; runs write here, removed at exit */
    double time_limit_s;     /* wall time of one run, at most */
    unsigned long memory_mb; /* address space one run may add, MiB; 0: unbounded */
    size_t queue_max;        /* runs waiting or running, at most */
    char *controls_json;     /* the answer to GET /api/controls */
    atomic_int stopping;     /* shutting down: runs stop, queued ones are refused */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool running;                    /* a run holds the runner */
    char clients[LAB_QUEUE_MAX][64]; /* addresses of clients with a run waiting or running */
    size_t n_clients;
} lab;

/* Loads the scenario, checks each control against the loader at both ends of its range and the
 * run size, makes the private directory. 0, or 2 with the message in err. */
int lab_open(lab *L, const char *file, char *err, size_t errlen);
void lab_close(lab *L);

/* Runs the scenario with the overrides in `set` (an object of control key -> value) in a child
 * process bounded in time and memory; with `map`, records each platform's map into *maps (JSON
 * text, an array, for the answer's `maps`; else NULL; the caller frees it). Returns the HTTP status
 * (200, 400 bad input, 503 too slow, too large for memory or shutting down, 500) and *out, the JSON
 * to send (results, or {"error": message}). */
int lab_run(lab *L, const json_t *set, bool map, json_t **out, char **maps);

/* One embedded file of the page. */
typedef struct lab_asset {
    const char *path, *type;
    const unsigned char *data;
    size_t size;
} lab_asset;
extern const lab_asset lab_assets[];
extern const size_t lab_n_assets;

/* Serves L on host:port (port 0: any free one) until a SIGINT or SIGTERM, which the caller has
 * blocked in every thread; prints the address. 0, or 2 with a message printed. */
int lab_serve(lab *L, const char *host, unsigned port);

#endif
