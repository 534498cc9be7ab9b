/* coopsim lab: the classroom. Serves one page where students move the controls a scenario's lab
 * section declares and see who gets what, rerun in-process (app/lab/). */
#include "app/cli.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef COOPSIM_LAB
#include "app/lab/lab.h"
#endif

const char cli_usage_lab[] =
    "usage: coopsim lab FILE [--port N] [--host ADDRESS] [--time-limit SECONDS] [--queue N]\n"
    "                   [--memory-limit MIB]\n"
    "\n"
    "Serves a page at http://127.0.0.1:8080/ where the controls the scenario's lab section\n"
    "declares (e.g. a commission slider) rerun FILE and redraw who gets what, with charts and\n"
    "the previous run beside this one. Each run goes through the same checks as 'coopsim run'\n"
    "into a private temporary directory, removed when the lab stops (Ctrl-C).\n"
    "\n"
    "  --port N             port to listen on (default 8080; 0: any free port, printed)\n"
    "  --host ADDRESS       IPv4 address to listen on (default 127.0.0.1: this machine only;\n"
    "                       0.0.0.0 opens the lab to the network, e.g. a classroom)\n"
    "  --time-limit S       stop a run after S seconds of wall time (default 10)\n"
    "  --queue N            runs waiting or running at most, 1-64 (default 16)\n"
    "  --memory-limit MIB   address space one run may add, 1-65536 MiB (default 512); a run\n"
    "                       past it is stopped and the page says so\n";

static int parse_uint(const char *s, unsigned long max, unsigned long *out) {
    char *end;
    if (!s || !*s || *s == '-') return -1;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || v > max) return -1;
    *out = v;
    return 0;
}

int cli_cmd_lab(int argc, char **argv) {
    const char *file = NULL, *host = "127.0.0.1";
    unsigned long port = 8080, limit = 10, queue = 16, memory = 512;
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (cli_is_help(s)) {
            fputs(cli_usage_lab, stdout);
            return 0;
        } else if (strcmp(s, "--port") == 0 || strcmp(s, "--host") == 0 ||
                   strcmp(s, "--time-limit") == 0 || strcmp(s, "--queue") == 0 ||
                   strcmp(s, "--memory-limit") == 0) {
            if (i + 1 >= argc) return cli_usage_error(cli_usage_lab, "%s needs a value", s);
            const char *v = argv[++i];
            int bad = 0;
            if (strcmp(s, "--host") == 0)
                host = v;
            else if (strcmp(s, "--port") == 0)
                bad = parse_uint(v, 65535, &port);
            else if (strcmp(s, "--time-limit") == 0)
                bad = parse_uint(v, 3600, &limit) || limit == 0;
            else if (strcmp(s, "--memory-limit") == 0)
                bad = parse_uint(v, 65536, &memory) || memory == 0;
            else
                bad = parse_uint(v, 64, &queue) || queue == 0;
            if (bad) return cli_usage_error(cli_usage_lab, "bad value '%s'", v);
        } else if (s[0] == '-' && s[1] != '\0') {
            return cli_usage_error(cli_usage_lab, "unknown option '%s'", s);
        } else if (file) {
            return cli_usage_error(cli_usage_lab, "one scenario file at a time (extra '%s')", s);
        } else {
            file = s;
        }
    }
    if (!file) return cli_usage_error(cli_usage_lab, "%s", "no scenario file given");
#ifndef COOPSIM_LAB
    fprintf(stderr,
            "%s: this coopsim was built without libmicrohttpd, so it has no lab; install it "
            "(sh cmake/install-deps.sh) and rebuild\n",
            cli_prog);
    return 1;
#else
    static lab L; /* static: large, and its address is handed to the server's threads */
    char err[ERRLEN];
    L.time_limit_s = (double)limit;
    L.queue_max = queue;
    L.memory_mb = memory;
    int rc = lab_open(&L, file, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "%s\n", err);
        lab_close(&L);
        return rc;
    }
    if (LAB_ASAN)
        fprintf(stderr,
                "%s lab: note: this is an AddressSanitizer build: --memory-limit is not "
                "enforced\n",
                cli_prog);
    if (strcmp(host, "127.0.0.1") != 0)
        fprintf(stderr,
                "%s lab: WARNING: listening on %s, not only this machine: anyone who can reach "
                "it can run this scenario (no password, plain HTTP)\n",
                cli_prog, host);
    /* Blocked here, so in every thread the server starts; lab_serve waits for them. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    rc = lab_serve(&L, host, (unsigned)port);
    lab_close(&L);
    return rc;
#endif
}
