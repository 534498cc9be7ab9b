/* coopsim lab under hostile requests: the real program on an ephemeral port, sent oversized
 * bodies, keys it must refuse, path traversal, malformed HTTP and a burst of 250 requests; each
 * gets a clean 4xx/5xx while a good request keeps getting its run. Also what the lab refuses to
 * start with, and that it stops cleanly on SIGTERM leaving nothing in its temporary directory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/cli_util.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>

#define COMMISSION COOPSIM_SOURCE_DIR "/scenarios/teaching/commission.yaml"

typedef struct server {
    pid_t pid;
    int port;
    char tmp[64]; /* the lab's TMPDIR */
} server;

/* Starts `coopsim lab FILE --port 0 --queue Q [OPTION VALUE]` with TMPDIR set to a fresh
 * directory and reads the port it prints. */
static void start_with(server *s, const char *file, const char *queue, const char *opt,
                       const char *val) {
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    snprintf(s->tmp, sizeof s->tmp, "/tmp/coopsim-labtest-XXXXXX");
    assert_non_null(mkdtemp(s->tmp));
    s->pid = fork();
    assert_true(s->pid >= 0);
    if (s->pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        setenv("TMPDIR", s->tmp, 1);
        if (opt)
            execl(COOPSIM_BINARY, COOPSIM_BINARY, "lab", file, "--port", "0", "--queue", queue, opt,
                  val, (char *)NULL);
        else
            execl(COOPSIM_BINARY, COOPSIM_BINARY, "lab", file, "--port", "0", "--queue", queue,
                  (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    char buf[512];
    size_t n = 0;
    struct pollfd p = {.fd = fd[0], .events = POLLIN};
    while (n < sizeof buf - 1 && !memchr(buf, '\n', n) && poll(&p, 1, 30000) == 1) {
        ssize_t k = read(fd[0], buf + n, sizeof buf - 1 - n);
        if (k <= 0) break;
        n += (size_t)k;
    }
    buf[n] = '\0';
    close(fd[0]);
    const char *at = strstr(buf, "http://127.0.0.1:");
    assert_non_null(at);
    s->port = atoi(at + strlen("http://127.0.0.1:"));
    assert_true(s->port > 0);
}

static void start(server *s, const char *file, const char *queue) {
    start_with(s, file, queue, NULL, NULL);
}

/* Stops the server with SIGTERM: it must exit 0 and leave its TMPDIR empty. */
static void stop(server *s) {
    kill(s->pid, SIGTERM);
    int st = 0;
    assert_int_equal(waitpid(s->pid, &st, 0), s->pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
    DIR *d = opendir(s->tmp);
    assert_non_null(d);
    struct dirent *e;
    int left = 0;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) left++;
    closedir(d);
    assert_int_equal(left, 0);
    rmdir(s->tmp);
}

/* A connected socket to the server, from source address 127.0.0.<from> (0: any). */
static int connect_from(const server *s, int from) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    if (from > 0) {
        struct sockaddr_in src = {.sin_family = AF_INET};
        src.sin_addr.s_addr = htonl(0x7f000000u | (uint32_t)from);
        assert_int_equal(bind(fd, (struct sockaddr *)&src, sizeof src), 0);
    }
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
    a.sin_addr.s_addr = htonl(0x7f000001u);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

static void send_all(int fd, const char *data, size_t n) {
    while (n > 0) {
        ssize_t k = send(fd, data, n, MSG_NOSIGNAL);
        if (k <= 0) return; /* the server may close early (413): what it answered is read next */
        data += k;
        n -= (size_t)k;
    }
}

/* Reads the answer until the server closes; returns the status code (0: none) and the body. */
static int read_answer(int fd, char *body, size_t bodylen) {
    static char buf[1 << 17];
    size_t n = 0;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    while (n < sizeof buf - 1 && poll(&p, 1, 60000) == 1) {
        ssize_t k = recv(fd, buf + n, sizeof buf - 1 - n, 0);
        if (k <= 0) break;
        n += (size_t)k;
    }
    buf[n] = '\0';
    close(fd);
    int status = 0;
    if (strncmp(buf, "HTTP/1.1 ", 9) == 0) status = atoi(buf + 9);
    const char *b = strstr(buf, "\r\n\r\n");
    if (body) snprintf(body, bodylen, "%s", b ? b + 4 : "");
    return status;
}

static int raw(const server *s, const char *req, char *body, size_t bodylen) {
    int fd = connect_from(s, 0);
    send_all(fd, req, strlen(req));
    return read_answer(fd, body, bodylen);
}

static char *post_request(const char *body) {
    static char req[1 << 15];
    snprintf(req, sizeof req,
             "POST /api/run HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
             "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
             strlen(body), body);
    return req;
}

static int post(const server *s, const char *json, char *body, size_t bodylen) {
    return raw(s, post_request(json), body, bodylen);
}

/* The good request: a commission moved within its range gets its run. */
static void assert_good(const server *s) {
    static char body[1 << 17];
    assert_int_equal(post(s, "{\"set\":{\"platforms[0].commission\":\"20%\"}}", body, sizeof body),
                     200);
    assert_non_null(strstr(body, "\"net_per_hour\""));
    assert_non_null(strstr(body, "platforms[0].commission=20%"));
}

static void test_hostile_requests(void **state) {
    (void)state;
    server s;
    start(&s, COMMISSION, "4");
    char body[4096];
    assert_good(&s);

    /* oversized bodies: announced, or sent in chunks without a length */
    static char big[20000], req[24000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(post(&s, big, body, sizeof body), 413);
    snprintf(req, sizeof req,
             "POST /api/run HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
             "Transfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n",
             (unsigned)strlen(big), big);
    assert_int_equal(raw(&s, req, body, sizeof body), 413);

    /* keys: unknown, a real key the lab does not offer, bad and out-of-range values */
    assert_int_equal(post(&s, "{\"set\":{\"no.such.key\":\"1\"}}", body, sizeof body), 400);
    assert_non_null(strstr(body, "not one of this lab's controls"));
    assert_int_equal(post(&s, "{\"set\":{\"city.width\":\"3km\"}}", body, sizeof body), 400);
    assert_int_equal(post(&s, "{\"set\":{\"drivers.count\":\"55.5\"}}", body, sizeof body), 400);
    assert_non_null(strstr(body, "--set drivers.count=55.5")); /* the loader's own message */
    assert_int_equal(post(&s, "{\"set\":{\"platforms[0].commission\":\"90%\"}}", body, sizeof body),
                     400);
    assert_int_equal(
        post(&s, "{\"set\":{\"drivers.count\":\"100\\n name: x\"}}", body, sizeof body), 400);
    assert_int_equal(post(&s, "{\"set\":{\"drivers.count\":100}}", body, sizeof body), 400);
    assert_int_equal(post(&s, "{\"set\":[1,2]}", body, sizeof body), 400);
    assert_int_equal(post(&s, "not json", body, sizeof body), 400);

    /* path traversal and unknown pages: nothing but the fixed pages exists */
    const char *paths[] = {"/../../etc/passwd",  "/%2e%2e/%2e%2e/etc/passwd",
                           "/..%2fetc%2fpasswd", "//etc/passwd",
                           "/lab.js/../../x",    "/api/run/../../etc/passwd"};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                 paths[i]);
        assert_int_equal(raw(&s, req, body, sizeof body), 404);
        assert_null(strstr(body, "root:"));
    }
    assert_int_equal(
        raw(&s, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", body, sizeof body), 200);
    assert_int_equal(
        raw(&s, "DELETE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", body, sizeof body),
        405);

    /* malformed HTTP */
    assert_int_equal(raw(&s, "GET / HTTP/1.1\r\nNoColonHere\r\n\r\n", body, sizeof body), 400);
    assert_int_equal(raw(&s, "GET / HTTP/7.0\r\nHost: x\r\n\r\n", body, sizeof body), 505);
    assert_int_equal(raw(&s,
                         "POST /api/run HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                         "zz\r\n",
                         body, sizeof body),
                     400);
    assert_good(&s);
    stop(&s);
}

/* 200 clients at once, each from its own address, against a queue of 4 runs; then 50 requests
 * from one client. Every answer is a run or a clean refusal, and the queue bound is seen. */
static void test_burst(void **state) {
    (void)state;
    server s;
    start(&s, COMMISSION, "4");
    enum { N = 200, SAME = 50 };
    static int fds[N], st[N];
    const char *req = post_request("{\"set\":{\"drivers.count\":\"250\"}}");
    for (int i = 0; i < N; i++) {
        fds[i] = connect_from(&s, 2 + i);
        send_all(fds[i], req, strlen(req));
    }
    int ok = 0, busy = 0;
    for (int i = 0; i < N; i++) {
        st[i] = read_answer(fds[i], NULL, 0);
        if (st[i] == 200)
            ok++;
        else if (st[i] == 503)
            busy++;
        else
            fail_msg("burst request %d: status %d (expected 200 or 503)", i, st[i]);
    }
    assert_true(ok >= 1);
    assert_true(busy >= 1); /* 200 runs of ~0.1 s arriving together cannot all fit a queue of 4 */
    for (int i = 0; i < SAME; i++) {
        fds[i] = connect_from(&s, 0);
        send_all(fds[i], req, strlen(req));
    }
    int again = 0;
    ok = 0;
    for (int i = 0; i < SAME; i++) {
        st[i] = read_answer(fds[i], NULL, 0);
        if (st[i] == 200)
            ok++;
        else if (st[i] == 429)
            again++;
        else
            fail_msg("same-client request %d: status %d (expected 200 or 429)", i, st[i]);
    }
    assert_true(ok >= 1);
    assert_true(again >= 1); /* one run at a time per client */
    assert_good(&s);
    stop(&s);
}

/* The map: each platform's frames come with the run when the page asks for them. */
static void test_map(void **state) {
    (void)state;
    server s;
    start(&s, COOPSIM_SOURCE_DIR "/scenarios/teaching/surge.yaml", "4");
    static char body[1 << 17];
    assert_int_equal(post(&s, "{\"set\":{},\"map\":true}", body, sizeof body), 200);
    assert_non_null(strstr(body, "\"maps\":[{"));
    assert_non_null(strstr(body, "\"every_s\":30"));
    assert_int_equal(post(&s, "{\"set\":{}}", body, sizeof body), 200);
    assert_null(strstr(body, "\"maps\"")); /* not asked for: not sent */
    stop(&s);
}

#if defined(__SANITIZE_ADDRESS__)
#define ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ASAN 1
#endif
#endif

/* A run past the lab's memory bound is stopped and answered 503 with the reason, and the lab
 * keeps answering (a run of its own process, which a real out-of-memory would have killed). The
 * bound is a data-size limit, which AddressSanitizer's shadow memory rules out. */
static void test_memory_bound(void **state) {
    (void)state;
#ifdef ASAN
    skip();
#else
    server s;
    start_with(&s, COMMISSION, "4", "--memory-limit", "1");
    static char body[1 << 16];
    for (int i = 0; i < 2; i++) {
        assert_int_equal(post(&s, "{\"set\":{\"drivers.count\":\"300\"}}", body, sizeof body), 503);
        assert_non_null(strstr(body, "more memory than the lab allows (1 MiB)"));
        assert_int_equal(raw(&s,
                             "GET /api/controls HTTP/1.1\r\nHost: x\r\n"
                             "Connection: close\r\n\r\n",
                             body, sizeof body),
                         200);
    }
    stop(&s);
    start_with(&s, COMMISSION, "4", "--memory-limit", "512"); /* the default fits a run */
    assert_good(&s);
    stop(&s);
#endif
}

/* What the lab refuses to start with: exit 2 and a message saying what to change. */
static void test_refused_scenarios(void **state) {
    (void)state;
    char *dir = cli_tmpdir();
    static char text[8192];
    const char *base = "name: t\nsimulation: {seed: 1, duration: %s}\ndemand: {rate: 3000/day}\n"
                       "drivers: {count: 100}\nplatforms:\n  - {name: a, kind: centralized, "
                       "commission: 20%%}\n%s";
    struct {
        const char *duration, *lab, *expect;
    } cases[] = {
        {"1d", "", "no lab section"},
        {"1d",
         "lab: {controls: [{key: drivers.shift_mean, label: s, min: 1h, max: 9h, step: 1h}]}\n",
         "does not write drivers.shift_mean"},
        {"1d",
         "lab: {controls: [{key: drivers.count, label: d, min: 1, max: 1000000, step: 1000}]}\n",
         "too large for the lab"},
        {"300d", "lab: {controls: [{key: drivers.count, label: d, min: 1, max: 200, step: 1}]}\n",
         "too large for the lab"},
        {"1d", "lab: {controls: [{key: drivers.count, label: d, min: 0, max: 200, step: 1}]}\n",
         "drivers.count"},
        {"1d", "lab: {controls: [{key: drivers.count, label: d, min: 1%, max: 200, step: 1}]}\n",
         "need one unit"},
        {"1d", "lab: {controls: [{key: sweep.mode, label: d, kind: switch}]}\n",
         "cannot be a control"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int n = snprintf(text, sizeof text, base, cases[i].duration, cases[i].lab);
        const char *path = cli_write(dir, "s.yaml", text, (size_t)n);
        const char *args[] = {"lab", path, "--port", "0", NULL};
        cli_result *r = cli_run(args);
        if (r->status != 2 || !strstr(r->err, cases[i].expect))
            fail_msg("case %zu: status %d, stderr: %s", i, r->status, r->err);
    }
    const char *args[] = {"lab", COMMISSION, "--port", "70000", NULL};
    assert_int_equal(cli_run(args)->status, 2);
    const char *mem[] = {"lab", COMMISSION, "--memory-limit", "0", NULL};
    assert_int_equal(cli_run(mem)->status, 2);
    cli_rmdir(dir);
}

/* Every teaching scenario's lab starts (each control loads at both ends of its range) and
 * answers with its controls. */
static void test_teaching_labs_start(void **state) {
    (void)state;
    const char *files[] = {COMMISSION, COOPSIM_SOURCE_DIR "/scenarios/teaching/surge.yaml",
                           COOPSIM_SOURCE_DIR "/scenarios/teaching/oversupply.yaml"};
    static char body[1 << 16];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        server s;
        start(&s, files[i], "4");
        assert_int_equal(raw(&s,
                             "GET /api/controls HTTP/1.1\r\nHost: x\r\n"
                             "Connection: close\r\n\r\n",
                             body, sizeof body),
                         200);
        assert_non_null(strstr(body, "\"controls\":[{"));
        stop(&s);
    }
}

int main(void) {
#ifndef COOPSIM_LAB
    puts("test_lab: skipped (built without libmicrohttpd, so without coopsim lab)");
    return 77;
#else
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostile_requests),  cmocka_unit_test(test_burst),
        cmocka_unit_test(test_refused_scenarios), cmocka_unit_test(test_map),
        cmocka_unit_test(test_memory_bound),      cmocka_unit_test(test_teaching_labs_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
#endif
}
