/*
 * lrs_http: fixed-arity wrappers over libmicrohttpd, body collection and
 * request-framing guards. See include/lrs_http.h for the interface.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include "lrs_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <zlib.h>

/* Smallest growth step of a body buffer. */
#define LRS_BODY_MIN_CAPACITY ((size_t)4096)

/* After a chunked body passes the limit, at most this many further bytes
 * (or the limit itself, when larger) are read and discarded so that the
 * client still gets its 413; past that the connection is dropped. */
#define LRS_DISCARD_MIN_ALLOWANCE ((uint64_t)64 * 1024)

#define LRS_ERROR_CAPACITY 256

struct lrs_response {
    struct MHD_Response *mhd;
    unsigned int status;
};

struct lrs_server {
    /* Guards daemon, quiesced and listen_fd; held only briefly. */
    pthread_mutex_t lock;
    struct MHD_Daemon *daemon;
    bool quiesced;
    MHD_socket listen_fd;

    atomic_int draining;
    atomic_uint_fast64_t held_bytes;
    atomic_uint active_requests;

    uint64_t max_body;
    uint64_t discard_allowance;
    lrs_request_fn on_request;
    lrs_rejection_fn on_rejection;
    lrs_request_fn on_head;

    /* Open connections, for lrs_scan_connections; the list is guarded by conns_lock. */
    pthread_mutex_t conns_lock;
    struct lrs_conn *conns;
    void *context;

    /* Start-up diagnostics: while `starting` is set, the first log line is
     * captured here instead of being printed. */
    atomic_int starting;
    atomic_flag error_captured;
    char start_error[LRS_ERROR_CAPACITY];
};

/* Per-request state, stored in libmicrohttpd's *con_cls. */
typedef struct lrs_req {
    char *uri;                  /* raw request target, or NULL */
    bool headers_checked;
    bool rejected;
    bool answered;              /* a reply was queued at the head */
    /* A deferred answer: 0 while the callback runs, 1 once suspended, 2 once the
     * response is in `ready` (set by lrs_resume from another thread). */
    atomic_int deferred_state;
    bool deferred;
    struct MHD_Connection *conn;
    lrs_response *ready;
    bool failed;                /* out of memory while collecting the body */
    lrs_rejection_kind rejection;
    uint64_t received;          /* body bytes received so far */
    uint64_t discarded;         /* bytes dropped after a rejection or failure */
    uint8_t *body;
    size_t body_len;
    size_t body_cap;
} lrs_req;

static _Thread_local int lrs_callback_depth = 0;

/* ------------------------------------------------------------------------ */
/* Small helpers                                                             */

static void lrs_copy_error(char *dst, size_t dst_len, const char *msg)
{
    if (dst == NULL || dst_len == 0) {
        return;
    }
    snprintf(dst, dst_len, "%s", msg);
}


static void lrs_req_free(lrs_req *rq)
{
    if (rq == NULL) {
        return;
    }
    free(rq->uri);
    free(rq->body);
    lrs_response_destroy(rq->ready);
    free(rq);
}

static lrs_req *lrs_req_new(lrs_server *s, const char *uri)
{
    lrs_req *rq = calloc(1, sizeof *rq);
    if (rq == NULL) {
        return NULL;
    }
    if (uri != NULL) {
        rq->uri = strdup(uri); /* NULL on failure: the decoded URL is used */
    }
    atomic_fetch_add(&s->active_requests, 1u);
    return rq;
}

static void lrs_req_drop_body(lrs_req *rq)
{
    free(rq->body);
    rq->body = NULL;
    rq->body_len = 0;
    rq->body_cap = 0;
}

/* ------------------------------------------------------------------------ */
/* Responses                                                                 */

lrs_response *lrs_response_create(unsigned int status, const void *body, size_t body_len)
{
    if (status < 200 || status > 999) { /* 1xx are interim; the shim sends final replies only */
        return NULL;
    }
    if (body == NULL && body_len > 0) {
        return NULL;
    }
    lrs_response *r = malloc(sizeof *r);
    if (r == NULL) {
        return NULL;
    }
    /* MUST_COPY: the caller's buffer is only valid during this call. */
    r->mhd = MHD_create_response_from_buffer(body_len, (void *)(uintptr_t)body,
                                             MHD_RESPMEM_MUST_COPY);
    if (r->mhd == NULL) {
        free(r);
        return NULL;
    }
    r->status = status;
    return r;
}

int lrs_response_add_header(lrs_response *response, const char *name, const char *value)
{
    if (response == NULL || name == NULL || value == NULL || name[0] == '\0') {
        return 0;
    }
    return MHD_add_response_header(response->mhd, name, value) == MHD_YES ? 1 : 0;
}

/* The bookkeeping in front of a counted body: released when libmicrohttpd frees it. */
typedef struct lrs_held {
    lrs_server *server;
    size_t len;
} lrs_held;

static void lrs_release_held(void *cls)
{
    lrs_held *held = cls;
    atomic_fetch_sub(&held->server->held_bytes, (uint_fast64_t)held->len);
    free(held);
}

lrs_response *lrs_response_create_counted(lrs_server *server, unsigned int status,
                                          const void *body, size_t body_len)
{
    if (status < 200 || status > 999 || (body == NULL && body_len > 0) ||
        body_len > SIZE_MAX - sizeof(lrs_held)) {
        return NULL;
    }
    lrs_response *r = malloc(sizeof *r);
    lrs_held *held = malloc(sizeof *held + body_len);
    if (r == NULL || held == NULL) {
        free(r);
        free(held);
        return NULL;
    }
    held->server = server;
    held->len = body_len;
    if (body_len > 0) {
        memcpy(held + 1, body, body_len);
    }
    r->mhd = MHD_create_response_from_buffer_with_free_callback_cls(body_len, held + 1,
                                                                   lrs_release_held, held);
    if (r->mhd == NULL) {
        free(r);
        free(held);
        return NULL;
    }
    atomic_fetch_add(&server->held_bytes, (uint_fast64_t)body_len);
    r->status = status;
    return r;
}

lrs_response *lrs_response_create_gzipped(lrs_server *server, unsigned int status,
                                          const void *body, size_t body_len)
{
    if (status < 200 || status > 999 || (body == NULL && body_len > 0) || body_len > UINT32_MAX) {
        return NULL;
    }
    z_stream z;
    memset(&z, 0, sizeof z);
    /* windowBits 15 + 16: a gzip wrapper; level 1: answers are streams of similar numbers,
     * which the fastest level already shrinks about threefold. */
    if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return NULL;
    }
    size_t bound = (size_t)deflateBound(&z, (uLong)body_len);
    lrs_response *r = malloc(sizeof *r);
    lrs_held *held = malloc(sizeof *held + bound);
    if (r == NULL || held == NULL) {
        deflateEnd(&z);
        free(r);
        free(held);
        return NULL;
    }
    z.next_in = (Bytef *)(uintptr_t)body;
    z.avail_in = (uInt)body_len;
    z.next_out = (Bytef *)(held + 1);
    z.avail_out = (uInt)bound;
    int rc = deflate(&z, Z_FINISH);
    size_t produced = bound - z.avail_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(r);
        free(held);
        return NULL;
    }
    held->server = server;
    held->len = sizeof *held + bound;
    r->mhd = MHD_create_response_from_buffer_with_free_callback_cls(produced, held + 1,
                                                                   lrs_release_held, held);
    if (r->mhd == NULL) {
        free(r);
        free(held);
        return NULL;
    }
    atomic_fetch_add(&server->held_bytes, (uint_fast64_t)held->len);
    r->status = status;
    return r;
}

uint64_t lrs_held_response_bytes(lrs_server *server)
{
    return (uint64_t)atomic_load(&server->held_bytes);
}

static lrs_response lrs_deferred_marker;

lrs_response *lrs_response_deferred(void)
{
    return &lrs_deferred_marker;
}

void lrs_response_destroy(lrs_response *response)
{
    if (response == NULL || response == &lrs_deferred_marker) {
        return;
    }
    MHD_destroy_response(response->mhd);
    free(response);
}

static lrs_response *lrs_plain_response(unsigned int status)
{
    const char *text;
    switch (status) {
    case 400: text = "Bad Request\n"; break;
    case 413: text = "Payload Too Large\n"; break;
    default: text = "Internal Server Error\n"; break;
    }
    lrs_response *r = lrs_response_create(status, text, strlen(text));
    if (r != NULL) {
        (void)lrs_response_add_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
    }
    return r;
}

/* Queues `r` (taking ownership) and returns the value for the access handler. */
static enum MHD_Result lrs_queue(lrs_server *s, struct MHD_Connection *conn,
                                 lrs_response *r, bool close_connection)
{
    if (r == NULL) {
        return MHD_NO;
    }
    if (close_connection || atomic_load(&s->draining)) {
        (void)MHD_add_response_header(r->mhd, MHD_HTTP_HEADER_CONNECTION, "close");
    }
    enum MHD_Result ret = MHD_queue_response(conn, r->status, r->mhd);
    lrs_response_destroy(r);
    return ret;
}

/* Asks the rejection callback for a reply and queues it; the connection is
 * closed afterwards because the rest of the stream cannot be trusted. */
static enum MHD_Result lrs_reject(lrs_server *s, struct MHD_Connection *conn,
                                  lrs_rejection_kind kind,
                                  const char *detail, size_t detail_len)
{
    lrs_rejection rej;
    rej.kind = kind;
    rej.limit = kind == LRS_REJECT_BODY_TOO_LARGE ? s->max_body : 0;
    rej.detail = detail;
    rej.detail_len = detail != NULL ? detail_len : 0;

    lrs_callback_depth++;
    lrs_response *r = s->on_rejection(s->context, &rej);
    lrs_callback_depth--;
    if (r == NULL) {
        r = lrs_plain_response(kind == LRS_REJECT_BODY_TOO_LARGE ? 413u : 400u);
    }
    return lrs_queue(s, conn, r, true);
}

/* ------------------------------------------------------------------------ */
/* Body collection                                                           */

/* Appends a body chunk. Sets rq->rejected when the limit is passed and
 * rq->failed when memory runs out; both stop collection. */
static void lrs_append_body(lrs_server *s, lrs_req *rq, const char *data, size_t size)
{
    if (rq->rejected || rq->failed) {
        rq->discarded += size;
        return;
    }
    rq->received += size;
    if (rq->received > s->max_body) {
        rq->rejected = true;
        rq->rejection = LRS_REJECT_BODY_TOO_LARGE;
        rq->discarded = rq->received - s->max_body;
        lrs_req_drop_body(rq);
        return;
    }
    size_t needed = rq->body_len + size; /* cannot overflow: bounded by max_body */
    if (needed > rq->body_cap) {
        size_t hard_cap = (size_t)s->max_body;
        size_t cap = rq->body_cap < LRS_BODY_MIN_CAPACITY / 2 ? LRS_BODY_MIN_CAPACITY
                                                               : rq->body_cap * 2;
        if (cap > hard_cap) {
            cap = hard_cap;
        }
        if (cap < needed) {
            cap = needed;
        }
        uint8_t *grown = realloc(rq->body, cap);
        if (grown == NULL) {
            rq->failed = true;
            lrs_req_drop_body(rq);
            return;
        }
        rq->body = grown;
        rq->body_cap = cap;
    }
    memcpy(rq->body + rq->body_len, data, size);
    rq->body_len = needed;
}

/* ------------------------------------------------------------------------ */
/* Final call: hand the request to the callback                              */

typedef struct lrs_header_list {
    lrs_header *items;
    size_t count;
    size_t capacity;
} lrs_header_list;

static enum MHD_Result lrs_collect_iterator(void *cls, enum MHD_ValueKind kind,
                                            const char *key, size_t key_size,
                                            const char *value, size_t value_size)
{
    (void)kind;
    lrs_header_list *list = cls;
    if (key == NULL || list->count >= list->capacity) {
        return MHD_YES;
    }
    lrs_header *h = &list->items[list->count++];
    h->name = key;
    h->name_len = key_size;
    h->value = value != NULL ? value : "";
    h->value_len = value != NULL ? value_size : 0;
    return MHD_YES;
}

/* Fills `req` with the request line and headers (list->items must be freed by
 * the caller). Returns false when memory runs out. */
static bool lrs_fill_request(struct MHD_Connection *conn, lrs_req *rq, const char *url,
                             const char *method, const char *version,
                             lrs_request *req, lrs_header_list *list)
{
    memset(req, 0, sizeof *req);
    memset(list, 0, sizeof *list);
    req->method = method;
    req->method_len = strlen(method);
    req->version = version != NULL ? version : "";
    req->version_len = strlen(req->version);
    if (rq->uri != NULL) {
        /* path ends at '?' or '#'; the query runs from '?' to '#' or the end. */
        size_t path_len = strcspn(rq->uri, "?#");
        req->path = rq->uri;
        req->path_len = path_len;
        if (rq->uri[path_len] == '?') {
            req->query = rq->uri + path_len + 1;
            req->query_len = strcspn(req->query, "#");
        }
    } else {
        req->path = url != NULL ? url : "/";
        req->path_len = strlen(req->path);
    }
    int total = MHD_get_connection_values_n(conn, MHD_HEADER_KIND, NULL, NULL);
    if (total > 0) {
        list->items = calloc((size_t)total, sizeof *list->items);
        if (list->items == NULL) {
            return false;
        }
        list->capacity = (size_t)total;
        (void)MHD_get_connection_values_n(conn, MHD_HEADER_KIND, lrs_collect_iterator, list);
    }
    req->headers = list->count > 0 ? list->items : NULL;
    req->header_count = list->count;
    return true;
}

/* libmicrohttpd parses the head in place, turning each CRLF into two NULs and
 * taking strings up to their first NUL. So after a well-formed string both
 * following bytes are NUL; a bare LF (one NUL, then the next line) or an
 * embedded NUL (then the rest of the value) leaves a non-NUL byte second. */
static bool lrs_line_is_malformed(const char *text, size_t len)
{
    return text[len] != '\0' || text[len + 1] != '\0';
}

static bool lrs_head_is_malformed(const char *url, const char *method, const char *version,
                                  const lrs_header_list *list)
{
    size_t method_len = strlen(method);
    /* The target follows the method and one space (replaced by a NUL). */
    if (url != NULL && url != method + method_len + 1) {
        return true;
    }
    if (version != NULL && lrs_line_is_malformed(version, strlen(version))) {
        return true;
    }
    for (size_t i = 0; i < list->count; i++) {
        if (lrs_line_is_malformed(list->items[i].value, list->items[i].value_len)) {
            return true;
        }
    }
    return false;
}

/* Per-connection progress, kept in libmicrohttpd's socket context. The phase
 * fields are written by the connection's worker and read by scans. */
typedef struct lrs_conn {
    struct lrs_conn *prev;
    struct lrs_conn *next;
    int fd;
    atomic_int phase;          /* lrs_connection_phase; 0 once shut down */
    atomic_uint_fast64_t since_ns;
    atomic_uint_fast64_t body_bytes;
} lrs_conn;

static uint64_t lrs_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Records that `conn` entered `phase` (0 keeps the phase and only updates the body count). */
static void lrs_progress(struct MHD_Connection *conn, int phase, uint64_t body_bytes)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    lrs_conn *c = info != NULL ? info->socket_context : NULL;
    if (c == NULL || atomic_load_explicit(&c->phase, memory_order_relaxed) == 0) {
        return;
    }
    atomic_store_explicit(&c->body_bytes, body_bytes, memory_order_relaxed);
    if (phase != 0) {
        atomic_store_explicit(&c->since_ns, lrs_now_ns(), memory_order_relaxed);
        atomic_store_explicit(&c->phase, phase, memory_order_relaxed);
    }
}

/* Asks the head callback whether the request may proceed; queues its rejection
 * (closing the connection) when it answers one. Returns true when rejected. */
static bool lrs_check_head(lrs_server *s, struct MHD_Connection *conn, lrs_req *rq,
                           const char *url, const char *method, const char *version,
                           enum MHD_Result *result)
{
    if (s->on_head == NULL) {
        return false;
    }
    lrs_request req;
    lrs_header_list list;
    if (!lrs_fill_request(conn, rq, url, method, version, &req, &list)) {
        *result = lrs_queue(s, conn, lrs_plain_response(500), true);
        return true;
    }
    req.malformed_line = lrs_head_is_malformed(url, method, version, &list) ? 1 : 0;
    lrs_callback_depth++;
    lrs_response *r = s->on_head(s->context, &req);
    lrs_callback_depth--;
    free(list.items);
    if (r == NULL) {
        return false;
    }
    *result = lrs_queue(s, conn, r, true);
    return true;
}

static enum MHD_Result lrs_dispatch(lrs_server *s, struct MHD_Connection *conn,
                                    lrs_req *rq, const char *url, const char *method,
                                    const char *version)
{
    lrs_request req;
    lrs_header_list list;
    if (!lrs_fill_request(conn, rq, url, method, version, &req, &list)) {
        return lrs_queue(s, conn, lrs_plain_response(500), true);
    }

    req.body = rq->body_len > 0 ? rq->body : NULL;
    req.body_len = rq->body_len;
    req.ticket = rq;

    lrs_callback_depth++;
    lrs_response *r = s->on_request(s->context, &req);
    lrs_callback_depth--;

    free(list.items);
    lrs_req_drop_body(rq);

    if (r == &lrs_deferred_marker) {
        /* Suspend first: lrs_resume may already have run on another thread, in which case
         * the state is 2 and this thread resumes the connection itself. */
        rq->deferred = true;
        rq->conn = conn;
        MHD_suspend_connection(conn);
        int expected = 0;
        if (!atomic_compare_exchange_strong(&rq->deferred_state, &expected, 1)) {
            MHD_resume_connection(conn);
        }
        return MHD_YES;
    }
    if (r == NULL) {
        r = lrs_plain_response(500);
    }
    return lrs_queue(s, conn, r, false);
}

/* ------------------------------------------------------------------------ */
/* libmicrohttpd callbacks                                                   */

static enum MHD_Result lrs_access(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    lrs_server *s = cls;
    lrs_req *rq = *con_cls;

    if (rq == NULL) {
        /* The URI callback could not allocate; try once more here. */
        rq = lrs_req_new(s, NULL);
        if (rq == NULL) {
            return MHD_NO;
        }
        *con_cls = rq;
    }

    if (!rq->headers_checked) {
        rq->headers_checked = true;
        lrs_progress(conn, LRS_PHASE_RECEIVING_BODY, 0);
        /* The head callback applies the framing policy before any body byte is read; a
         * rejection queued now means no 100 Continue is sent. */
        enum MHD_Result result = MHD_NO;
        if (lrs_check_head(s, conn, rq, url, method, version, &result)) {
            rq->rejected = true;
            rq->rejection = LRS_REJECT_BODY_TOO_LARGE; /* unused: the reply is already queued */
            rq->answered = true;
            return result;
        }
        return MHD_YES;
    }

    if (*upload_data_size != 0) {
        size_t size = *upload_data_size;
        *upload_data_size = 0;
        lrs_append_body(s, rq, upload_data, size);
        lrs_progress(conn, 0, rq->received + rq->discarded);
        if ((rq->rejected || rq->failed) && rq->discarded > s->discard_allowance) {
            return MHD_NO; /* far past the limit: drop the connection */
        }
        return MHD_YES;
    }

    if (rq->answered) {
        return MHD_YES; /* a head rejection was queued; MHD sends it */
    }
    if (rq->deferred) {
        /* Called again after lrs_resume: send what it gave. */
        if (atomic_load(&rq->deferred_state) != 2) {
            return MHD_YES;
        }
        lrs_response *ready = rq->ready;
        rq->ready = NULL;
        rq->deferred = false;
        return lrs_queue(s, conn, ready != NULL ? ready : lrs_plain_response(500), false);
    }
    lrs_progress(conn, LRS_PHASE_ANSWERING, rq->received);
    if (rq->failed) {
        return lrs_queue(s, conn, lrs_plain_response(500), true);
    }
    if (rq->rejected) {
        return lrs_reject(s, conn, rq->rejection, NULL, 0);
    }
    return lrs_dispatch(s, conn, rq, url, method, version);
}

static void *lrs_uri_log(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)conn;
    return lrs_req_new(cls, uri);
}

static void lrs_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                          enum MHD_RequestTerminationCode toe)
{
    (void)toe;
    lrs_server *s = cls;
    if (conn != NULL) {
        lrs_progress(conn, LRS_PHASE_AWAITING_HEAD, 0);
    }
    if (con_cls == NULL || *con_cls == NULL) {
        return;
    }
    lrs_req_free(*con_cls);
    *con_cls = NULL;
    atomic_fetch_sub(&s->active_requests, 1u);
}

static void lrs_notify_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                                  enum MHD_ConnectionNotificationCode toe)
{
    lrs_server *s = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        lrs_conn *c = calloc(1, sizeof *c);
        if (c == NULL) {
            return; /* no deadlines for this connection */
        }
        const union MHD_ConnectionInfo *info =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        c->fd = info != NULL ? (int)info->connect_fd : -1;
        atomic_init(&c->phase, LRS_PHASE_AWAITING_HEAD);
        atomic_init(&c->since_ns, lrs_now_ns());
        atomic_init(&c->body_bytes, 0);
        pthread_mutex_lock(&s->conns_lock);
        c->next = s->conns;
        if (s->conns != NULL) {
            s->conns->prev = c;
        }
        s->conns = c;
        pthread_mutex_unlock(&s->conns_lock);
        *socket_context = c;
        return;
    }
    lrs_conn *c = *socket_context;
    if (c == NULL) {
        return;
    }
    /* Unlinked before libmicrohttpd closes the descriptor, so a scan never shuts down a
     * descriptor that has been reused. */
    pthread_mutex_lock(&s->conns_lock);
    if (c->prev != NULL) {
        c->prev->next = c->next;
    } else {
        s->conns = c->next;
    }
    if (c->next != NULL) {
        c->next->prev = c->prev;
    }
    pthread_mutex_unlock(&s->conns_lock);
    *socket_context = NULL;
    free(c);
}

void lrs_resume(lrs_server *server, void *ticket, lrs_response *response)
{
    (void)server;
    lrs_req *rq = ticket;
    rq->ready = response;
    if (atomic_exchange(&rq->deferred_state, 2) == 1) {
        MHD_resume_connection(rq->conn);
    }
}

unsigned int lrs_scan_connections(lrs_server *server, lrs_scan_fn decide, void *context)
{
    unsigned int count = 0;
    uint64_t now = lrs_now_ns();
    pthread_mutex_lock(&server->conns_lock);
    for (lrs_conn *c = server->conns; c != NULL; c = c->next) {
        int phase = atomic_load_explicit(&c->phase, memory_order_relaxed);
        if (phase == 0 || c->fd < 0) {
            continue;
        }
        uint64_t since = atomic_load_explicit(&c->since_ns, memory_order_relaxed);
        double seconds = now > since ? (double)(now - since) / 1e9 : 0.0;
        uint64_t bytes = atomic_load_explicit(&c->body_bytes, memory_order_relaxed);
        if (decide(context, (lrs_connection_phase)phase, seconds, bytes)) {
            (void)shutdown(c->fd, SHUT_RDWR);
            atomic_store_explicit(&c->phase, 0, memory_order_relaxed);
            count++;
        }
    }
    pthread_mutex_unlock(&server->conns_lock);
    return count;
}

__attribute__((format(printf, 2, 0)))
static void lrs_log(void *cls, const char *fmt, va_list ap)
{
    lrs_server *s = cls;
    if (atomic_load(&s->starting)) {
        if (!atomic_flag_test_and_set(&s->error_captured)) {
            vsnprintf(s->start_error, sizeof s->start_error, fmt, ap);
            size_t n = strlen(s->start_error);
            while (n > 0 && (s->start_error[n - 1] == '\n' || s->start_error[n - 1] == '\r')) {
                s->start_error[--n] = '\0';
            }
        }
        return;
    }
    fputs("microhttpd: ", stderr);
    vfprintf(stderr, fmt, ap);
}

/* ------------------------------------------------------------------------ */
/* Daemon lifecycle                                                          */

void lrs_map_large_allocations(size_t bytes)
{
#if defined(__GLIBC__)
    (void)mallopt(M_MMAP_THRESHOLD, (int)bytes);
#else
    (void)bytes;
#endif
}

unsigned int lrs_available_processors(void)
{
#if defined(__linux__)
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int count = CPU_COUNT(&set);
        if (count > 0) {
            return (unsigned int)count;
        }
    }
#endif
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned int)n : 1u;
}

/* Parses the host into a socket address. Returns false for anything that is
 * not an IP literal (or "localhost"). */
static bool lrs_parse_host(const char *host, uint16_t port,
                           struct sockaddr_storage *addr, socklen_t *addr_len,
                           bool *ipv6, bool *any6)
{
    char buf[INET6_ADDRSTRLEN + 2];
    size_t n = strlen(host);
    memset(addr, 0, sizeof *addr);
    *ipv6 = false;
    *any6 = false;

    if (strcmp(host, "localhost") == 0) {
        host = "127.0.0.1";
        n = strlen(host);
    }
    struct sockaddr_in *v4 = (struct sockaddr_in *)addr;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        *addr_len = sizeof *v4;
        return true;
    }
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
        if (n - 2 >= sizeof buf) {
            return false;
        }
        memcpy(buf, host + 1, n - 2);
        buf[n - 2] = '\0';
        host = buf;
    }
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)addr;
    if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        *addr_len = sizeof *v6;
        *ipv6 = true;
        *any6 = memcmp(&v6->sin6_addr, &in6addr_any, sizeof in6addr_any) == 0;
        return true;
    }
    return false;
}

lrs_server *lrs_start(const lrs_config *config, char *error, size_t error_len)
{
    if (error != NULL && error_len > 0) {
        error[0] = '\0';
    }
    if (config == NULL || config->host == NULL || config->on_request == NULL ||
        config->on_rejection == NULL) {
        lrs_copy_error(error, error_len, "incomplete configuration");
        return NULL;
    }

    struct sockaddr_storage addr;
    socklen_t addr_len = 0;
    bool ipv6 = false;
    bool any6 = false;
    if (!lrs_parse_host(config->host, config->port, &addr, &addr_len, &ipv6, &any6)) {
        char msg[LRS_ERROR_CAPACITY];
        snprintf(msg, sizeof msg,
                 "invalid host '%.64s': expected an IPv4 or IPv6 address literal",
                 config->host);
        lrs_copy_error(error, error_len, msg);
        return NULL;
    }
    (void)addr_len;

    lrs_server *s = calloc(1, sizeof *s);
    if (s == NULL) {
        lrs_copy_error(error, error_len, "out of memory");
        return NULL;
    }
    if (pthread_mutex_init(&s->lock, NULL) != 0 || pthread_mutex_init(&s->conns_lock, NULL) != 0) {
        free(s);
        lrs_copy_error(error, error_len, "cannot create a mutex");
        return NULL;
    }
    s->listen_fd = MHD_INVALID_SOCKET;
    atomic_init(&s->draining, 0);
    atomic_init(&s->held_bytes, 0);
    atomic_init(&s->active_requests, 0u);
    atomic_flag_clear(&s->error_captured);
    atomic_init(&s->starting, 1);
    s->max_body = config->max_body_bytes;
    s->discard_allowance = config->max_body_bytes > LRS_DISCARD_MIN_ALLOWANCE
                               ? config->max_body_bytes
                               : LRS_DISCARD_MIN_ALLOWANCE;
    s->on_request = config->on_request;
    s->on_rejection = config->on_rejection;
    s->on_head = config->on_head;
    s->conns = NULL;
    s->context = config->context;

    unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                         MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    if (ipv6) {
        flags |= any6 ? MHD_USE_DUAL_STACK : MHD_USE_IPv6;
    }
    /* The pool option is last so that it can end the list when unused. */
    enum MHD_OPTION pool_option = config->threads >= 2 ? MHD_OPTION_THREAD_POOL_SIZE
                                                       : MHD_OPTION_END;

    s->daemon = MHD_start_daemon(
        flags, config->port, NULL, NULL, lrs_access, s,
        MHD_OPTION_EXTERNAL_LOGGER, (MHD_LogCallback)lrs_log, (void *)s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)config->connection_limit,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)config->per_address_connection_limit,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)config->connection_timeout_seconds,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)config->connection_memory_limit,
        MHD_OPTION_URI_LOG_CALLBACK, lrs_uri_log, (void *)s,
        MHD_OPTION_NOTIFY_COMPLETED, (MHD_RequestCompletedCallback)lrs_completed, (void *)s,
        MHD_OPTION_NOTIFY_CONNECTION, (MHD_NotifyConnectionCallback)lrs_notify_connection, (void *)s,
        pool_option, (unsigned int)config->threads,
        MHD_OPTION_END);

    atomic_store(&s->starting, 0);
    if (s->daemon == NULL) {
        char msg[LRS_ERROR_CAPACITY + 96];
        snprintf(msg, sizeof msg, "cannot listen on %.64s port %u: %s", config->host,
                 (unsigned int)config->port,
                 s->start_error[0] != '\0' ? s->start_error : "libmicrohttpd refused to start");
        lrs_copy_error(error, error_len, msg);
        pthread_mutex_destroy(&s->lock);
        pthread_mutex_destroy(&s->conns_lock);
        free(s);
        return NULL;
    }
    return s;
}

uint16_t lrs_port(lrs_server *server)
{
    uint16_t port = 0;
    pthread_mutex_lock(&server->lock);
    if (server->daemon != NULL) {
        const union MHD_DaemonInfo *info =
            MHD_get_daemon_info(server->daemon, MHD_DAEMON_INFO_BIND_PORT);
        if (info != NULL) {
            port = info->port;
        }
    }
    pthread_mutex_unlock(&server->lock);
    return port;
}

int lrs_quiesce(lrs_server *server)
{
    int done = 0;
    pthread_mutex_lock(&server->lock);
    if (server->daemon != NULL && !server->quiesced) {
        server->quiesced = true;
        atomic_store(&server->draining, 1);
        MHD_socket fd = MHD_quiesce_daemon(server->daemon);
        if (fd != MHD_INVALID_SOCKET) {
            /* The descriptor stays open until the daemon stops (a worker may
             * still hold it); shutting it down makes new connection attempts
             * fail at once instead of waiting in the backlog. */
            (void)shutdown(fd, SHUT_RDWR);
            server->listen_fd = fd;
        }
        done = 1;
    }
    pthread_mutex_unlock(&server->lock);
    return done;
}

unsigned int lrs_connection_count(lrs_server *server)
{
    unsigned int count = 0;
    pthread_mutex_lock(&server->lock);
    if (server->daemon != NULL) {
        const union MHD_DaemonInfo *info =
            MHD_get_daemon_info(server->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (info != NULL) {
            count = info->num_connections;
        }
    }
    pthread_mutex_unlock(&server->lock);
    return count;
}

unsigned int lrs_active_requests(lrs_server *server)
{
    return atomic_load(&server->active_requests);
}

int lrs_in_callback(void)
{
    return lrs_callback_depth > 0 ? 1 : 0;
}

void lrs_stop(lrs_server *server)
{
    /* The daemon is detached under the lock but stopped outside it: stopping
     * joins the workers, and a callback on a worker may read the counters. */
    pthread_mutex_lock(&server->lock);
    struct MHD_Daemon *daemon = server->daemon;
    MHD_socket listen_fd = server->listen_fd;
    server->daemon = NULL;
    server->listen_fd = MHD_INVALID_SOCKET;
    atomic_store(&server->draining, 1);
    pthread_mutex_unlock(&server->lock);

    if (daemon != NULL) {
        MHD_stop_daemon(daemon);
    }
    if (listen_fd != MHD_INVALID_SOCKET) {
        (void)close(listen_fd);
    }
}

void lrs_destroy(lrs_server *server)
{
    if (server == NULL) {
        return;
    }
    lrs_stop(server);
    pthread_mutex_destroy(&server->lock);
    pthread_mutex_destroy(&server->conns_lock);
    free(server);
}
