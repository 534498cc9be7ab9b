/* An upper estimate of what a run will take, from the scenario alone, so that a run that
 * cannot fit is refused before it starts instead of exhausting memory hours later. The
 * coefficients are bytes per simulated object, rounded up from the structures' sizes and
 * checked against measured peak memory (docs/limits.md); the estimate errs on the high side. */
#include "models/run.h"

#include "models/ledger/ledger.h"
#include "models/market/tripfile.h"
#include "models/platform/platform.h"

/* bytes per object (record, index and output row; the chain's transaction with its block
 * entry and mempool copies), per network link (both directions, latency and bandwidth) */
#define BYTES_PROCESS (48.0 * 1024 * 1024)
#define BYTES_REQUEST 200.0
#define BYTES_DRIVER 400.0
#define BYTES_CHAIN_TX 400.0
#define BYTES_LINK 48.0
#define BYTES_NODE 1024.0
#define BYTES_BLOCK 256.0
/* per hour of the run (hourly.csv's row), and the summary's kept waits with their histogram */
#define BYTES_HOUR 160.0
#define BYTES_WAITS (8.5 * 1024 * 1024)
/* an experiment's record of one run per platform: its text, then its tree when aggregated */
#define BYTES_RECORD_PLATFORM (32.0 * 1024)

static double world_bytes(const coop_scenario *sc, const coop_platform *pc, coop_estimate *e) {
    double secs = (double)sc->simulation.duration / 1e6;
    double req = mkt_demand_requests(sc), drv = (double)sc->drivers.count;
    /* Requests are kept while under way (models/market/riders.c): a day of them bounds any
     * finite patience and trip; riders who never give up may wait to the end. */
    double held =
        sc->riders.patience == COOP_DIST_INFINITE || secs < 86400 ? req : req * 86400 / secs;
    double b = BYTES_REQUEST * held + BYTES_DRIVER * drv + BYTES_HOUR * secs / 3600 + BYTES_WAITS;
    double days = secs / 86400.0 + 1;
    e->requests += req;
    e->events += 8 * req + 4 * drv * days;
    if (pc->ledger.kind == LEDGER_CHAIN) {
        const ledger_config *lc = &pc->ledger;
        double n = (double)lc->nodes;
        double links = lc->topology == LEDGER_TOPO_COMPLETE ? n * (n - 1) / 2 : n * (lc->peers + 1);
        double blocks = lc->interval > 0 ? secs / ((double)lc->interval / 1e6) + 1 : 1;
        double tx = 2 * req + lc->load_rate * secs; /* payments (and top-ups), transfers */
        b += BYTES_LINK * 2 * links + BYTES_NODE * n + BYTES_CHAIN_TX * tx + BYTES_BLOCK * blocks;
        e->links += links;
        e->events += blocks * n * 3 + tx;
    }
    return b;
}

void coop_estimate_run(const coop_scenario *sc, double n_runs, coop_estimate *e) {
    *e = (coop_estimate){0};
    const coop_platform *pc = sc->platforms.items;
    double kept = 0, largest = 0;
    for (size_t i = 0; i < sc->platforms.n; i++) {
        double b = world_bytes(sc, &pc[i], e);
        /* worlds with a chain stay until all are done (their blocks are written together);
         * the others are freed one after the other */
        if (pc[i].ledger.kind == LEDGER_CHAIN)
            kept += b;
        else if (b > largest)
            largest = b;
    }
    e->run_bytes = BYTES_PROCESS + kept + largest;
    /* a shared city keeps two bytes per rider of its population, seven with disappointment
     * (models/market/shared_riders.c) */
    if (sc->market.platforms == COOP_PLATFORMS_SHARED)
        e->run_bytes +=
            (sc->riders.disappointment_cost > 0 ? 7.0 : 2.0) * (double)sc->riders.population;
    e->records_bytes = n_runs > 1 ? n_runs * (double)sc->platforms.n * BYTES_RECORD_PLATFORM : 0;
    e->bytes = e->run_bytes + e->records_bytes;
    e->events *= n_runs;
    e->runs = n_runs;
}
