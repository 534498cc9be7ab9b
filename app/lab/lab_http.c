/* coopsim lab's HTTP side (libmicrohttpd): a fixed set of pages, one run at a time per client, a
 * bounded queue of runs, a bounded request body. Anything else gets a clean 4xx/5xx. */
#include "app/lab/lab.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* What one request has sent so far. */
typedef struct req {
    char body[LAB_BODY_MAX + 1];
    size_t len;
    bool too_big;
} req;

static enum MHD_Result send_buf(struct MHD_Connection *c, unsigned status, const char *type,
                                const void *data, size_t size, enum MHD_ResponseMemoryMode mode) {
    struct MHD_Response *r = MHD_create_response_from_buffer(size, (void *)data, mode);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    /* the page may load nothing from anywhere but this server */
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, json_t *j) {
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (!s)
        return send_buf(c, 500, "application/json", "{\"error\":\"out of memory\"}", 25,
                        MHD_RESPMEM_PERSISTENT);
    return send_buf(c, status, "application/json", s, strlen(s), MHD_RESPMEM_MUST_FREE);
}

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *msg) {
    return send_json(c, status, json_pack("{s:s}", "error", msg));
}

/* The client's address: who "one run at a time per client" counts. */
static void client_of(struct MHD_Connection *c, char *out, size_t outlen) {
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, outlen, "?");
    if (!ci || !ci->client_addr) return;
    socklen_t len = ci->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                           : sizeof(struct sockaddr_in);
    if (getnameinfo(ci->client_addr, len, out, (socklen_t)outlen, NULL, 0, NI_NUMERICHOST) != 0)
        snprintf(out, outlen, "?");
}

/* Takes a place in the queue, then the runner. 0, or the HTTP status refusing it. */
static int admit(lab *L, const char *client) {
    pthread_mutex_lock(&L->mu);
    int status = 0;
    if (L->stopping) {
        status = 503;
    } else {
        for (size_t i = 0; i < L->n_clients; i++)
            if (strcmp(L->clients[i], client) == 0) status = 429;
        if (!status && L->n_clients >= L->queue_max) status = 503;
    }
    if (status) {
        pthread_mutex_unlock(&L->mu);
        return status;
    }
    snprintf(L->clients[L->n_clients++], sizeof L->clients[0], "%s", client);
    while (L->running && !L->stopping)
        pthread_cond_wait(&L->cv, &L->mu);
    if (!L->stopping) L->running = true;
    status = L->stopping ? 503 : 0;
    pthread_mutex_unlock(&L->mu);
    return status;
}

static void leave(lab *L, const char *client, bool ran) {
    pthread_mutex_lock(&L->mu);
    for (size_t i = 0; i < L->n_clients; i++)
        if (strcmp(L->clients[i], client) == 0) {
            memmove(L->clients[i], L->clients[i + 1],
                    (L->n_clients - i - 1) * sizeof L->clients[0]);
            L->n_clients--;
            break;
        }
    if (ran) L->running = false;
    pthread_cond_broadcast(&L->cv);
    pthread_mutex_unlock(&L->mu);
}

static enum MHD_Result do_run(lab *L, struct MHD_Connection *c, req *q) {
    if (q->too_big) return send_error(c, 413, "the request is too large");
    q->body[q->len] = '\0';
    json_error_t je;
    json_t *body = json_loadb(q->body, q->len, JSON_REJECT_DUPLICATES, &je);
    json_t *set = json_object_get(body, "set");
    if (!body || !set) {
        json_decref(body);
        return send_error(c, 400, "expected a JSON body {\"set\": {key: value}}");
    }
    char client[64];
    client_of(c, client, sizeof client);
    int status = admit(L, client);
    if (status) {
        json_decref(body);
        if (status == 429) return send_error(c, 429, "your previous run has not finished yet");
        return send_error(c, 503,
                          L->stopping ? "the lab is shutting down"
                                      : "the lab is busy: too many runs waiting, try again");
    }
    json_t *out = NULL;
    char *maps = NULL;
    status = lab_run(L, set, json_is_true(json_object_get(body, "map")), &out, &maps);
    leave(L, client, true);
    json_decref(body);
    if (!maps) return send_json(c, (unsigned)status, out);
    /* The maps are JSON text already: spliced in as the answer's last member. */
    char *head = json_dumps(out, JSON_COMPACT);
    json_decref(out);
    size_t hn = head ? strlen(head) : 0, mn = strlen(maps);
    char *all = hn > 1 ? malloc(hn + mn + 16) : NULL;
    if (all) {
        memcpy(all, head, hn - 1); /* without its closing brace */
        memcpy(all + hn - 1, ",\"maps\":", 8);
        memcpy(all + hn + 7, maps, mn);
        memcpy(all + hn + 7 + mn, "}", 2);
    }
    free(head);
    free(maps);
    if (!all)
        return send_buf(c, 500, "application/json", "{\"error\":\"out of memory\"}", 25,
                        MHD_RESPMEM_PERSISTENT);
    return send_buf(c, (unsigned)status, "application/json", all, strlen(all),
                    MHD_RESPMEM_MUST_FREE);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls) {
    lab *L = cls;
    (void)version;
    bool post = strcmp(method, "POST") == 0;
    bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    if (!*con_cls) {
        req *q = calloc(1, sizeof *q);
        if (!q) return MHD_NO;
        *con_cls = q;
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (post && cl && strtoull(cl, NULL, 10) > LAB_BODY_MAX) {
            q->too_big = true;
            return send_error(c, 413, "the request is too large");
        }
        return MHD_YES;
    }
    req *q = *con_cls;
    if (*upload_size > 0) {
        if (q->too_big || q->len + *upload_size > LAB_BODY_MAX) {
            q->too_big = true;
        } else {
            memcpy(q->body + q->len, upload, *upload_size);
            q->len += *upload_size;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (post && strcmp(url, "/api/run") == 0) return do_run(L, c, q);
    if (get && strcmp(url, "/api/controls") == 0)
        return send_buf(c, 200, "application/json", L->controls_json, strlen(L->controls_json),
                        MHD_RESPMEM_PERSISTENT);
    for (size_t i = 0; get && i < lab_n_assets; i++)
        if (strcmp(url, lab_assets[i].path) == 0)
            return send_buf(c, 200, lab_assets[i].type, lab_assets[i].data, lab_assets[i].size,
                            MHD_RESPMEM_PERSISTENT);
    /* only the fixed paths above exist: "/../x" and the like are simply not among them */
    if (get || post) return send_error(c, 404, "no such page");
    return send_error(c, 405, "only GET and POST");
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe) {
    (void)cls;
    (void)c;
    (void)toe;
    free(*con_cls);
    *con_cls = NULL;
}

int lab_serve(lab *L, const char *host, unsigned port) {
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        fprintf(stderr, "coopsim lab: --host %s: not an IPv4 address (e.g. 127.0.0.1, 0.0.0.0)\n",
                host);
        return 2;
    }
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL, 0, NULL,
        NULL, handle, L, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)256, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)20,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768, MHD_OPTION_NOTIFY_COMPLETED, completed,
        NULL, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "coopsim lab: cannot listen on %s:%u (in use, or not allowed)\n", host,
                port);
        return 2;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    printf("coopsim lab: serving %s on http://%s:%u/ (Ctrl-C to stop)\n", L->base.name, host,
           di ? di->port : port);
    fflush(stdout);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    int sig = 0;
    sigwait(&set, &sig);
    L->stopping = 1;
    pthread_mutex_lock(&L->mu);
    pthread_cond_broadcast(&L->cv);
    pthread_mutex_unlock(&L->mu);
    MHD_stop_daemon(d);
    fprintf(stderr, "coopsim lab: stopped\n");
    return 0;
}
