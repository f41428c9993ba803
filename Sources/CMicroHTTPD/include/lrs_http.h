/*
 * lrs_http: a small, fixed-arity C interface over libmicrohttpd.
 *
 * libmicrohttpd's start and info functions are variadic and its callbacks run
 * on its own threads; this layer hides both. It collects each request body
 * (bounded by a limit), guards against ambiguous message framing, and hands a
 * complete request to one callback. The callback answers with a response built
 * through lrs_response_create / lrs_response_add_header.
 *
 * Threading: the request and rejection callbacks run concurrently on the
 * daemon's worker threads. lrs_port, lrs_quiesce and the counters may be
 * called from any thread, callbacks included; lrs_stop and lrs_destroy from
 * any thread but a worker (see lrs_in_callback).
 */
#ifndef LRS_HTTP_H
#define LRS_HTTP_H

#include <stddef.h>
#include <stdint.h>

#if defined(__clang__)
#  pragma clang diagnostic push
#  pragma clang diagnostic ignored "-Wnullability-extension"
#else
#  define _Nullable
#  define _Nonnull
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** One request header, as received (name case preserved). Not NUL-terminated. */
typedef struct lrs_header {
    const char *_Nonnull name;
    size_t name_len;
    const char *_Nonnull value;
    size_t value_len;
} lrs_header;

/**
 * A fully received request. Every pointer is valid only during the callback.
 * Strings are not NUL-terminated; use the lengths.
 */
typedef struct lrs_request {
    const char *_Nonnull method;
    size_t method_len;
    /** Protocol version as sent, e.g. "HTTP/1.1". */
    const char *_Nonnull version;
    size_t version_len;
    /**
     * Nonzero when the head shows bytes that libmicrohttpd silently accepts but that other
     * parsers read differently: a bare LF ending a line, or a NUL inside the method or a header
     * value (both end a string early). Only set for the head passed to on_head.
     */
    int malformed_line;
    /** Request-target path up to the first '?' or '#', exactly as sent (not percent-decoded). */
    const char *_Nonnull path;
    size_t path_len;
    /** Raw query string after the first '?' (up to any '#'), or NULL when the target has no '?'. */
    const char *_Nullable query;
    size_t query_len;
    /** Headers in arrival order; NULL when header_count is 0. */
    const lrs_header *_Nullable headers;
    size_t header_count;
    /** Request body; NULL when body_len is 0. */
    const uint8_t *_Nullable body;
    size_t body_len;
    /** Identifies the request for lrs_resume when the callback defers its answer. */
    void *_Nullable ticket;
} lrs_request;

/** Why a request was refused before reaching the request callback. */
typedef enum lrs_rejection_kind {
    /** A chunked body exceeded the limit while arriving (limit in lrs_rejection.limit). */
    LRS_REJECT_BODY_TOO_LARGE = 1
} lrs_rejection_kind;

/** A refused request. `detail` is valid only during the callback. */
typedef struct lrs_rejection {
    lrs_rejection_kind kind;
    /** The body limit in bytes, for LRS_REJECT_BODY_TOO_LARGE; 0 otherwise. */
    uint64_t limit;
    /** The offending header value (not NUL-terminated), or NULL. */
    const char *_Nullable detail;
    size_t detail_len;
} lrs_rejection;

/** A response under construction (opaque). */
typedef struct lrs_response lrs_response;

/** The running server (opaque). */
typedef struct lrs_server lrs_server;

/**
 * Answers a complete request. Returns a response from lrs_response_create
 * (ownership passes to the shim), or NULL for a plain 500 reply.
 */
typedef lrs_response *_Nullable (*lrs_request_fn)(void *_Nullable context,
                                                  const lrs_request *_Nonnull request);

/**
 * Answers a refused request. Returns a response from lrs_response_create
 * (ownership passes to the shim), or NULL for a plain reply with the
 * default status (413 or 400). The connection is closed after the reply.
 */
typedef lrs_response *_Nullable (*lrs_rejection_fn)(void *_Nullable context,
                                                    const lrs_rejection *_Nonnull rejection);

/** Start parameters. All fields are read during lrs_start only. */
/** Where a connection is in its current request (see lrs_scan_connections). */
typedef enum lrs_connection_phase {
    /** Waiting for a request head (just accepted, or answered on keep-alive). */
    LRS_PHASE_AWAITING_HEAD = 1,
    /** The head arrived; the body, if any, is arriving. */
    LRS_PHASE_RECEIVING_BODY = 2,
    /** Head and body are in; the request is being answered. */
    LRS_PHASE_ANSWERING = 3
} lrs_connection_phase;

/**
 * Decides whether a connection is too slow: `seconds` since its phase began, `body_bytes` received
 * so far in LRS_PHASE_RECEIVING_BODY. Returns nonzero to shut the connection down.
 */
typedef int (*lrs_scan_fn)(void *_Nullable context, lrs_connection_phase phase, double seconds,
                           uint64_t body_bytes);

typedef struct lrs_config {
    /** IPv4 or IPv6 literal ("127.0.0.1", "0.0.0.0", "::1", "[::]"), or "localhost". */
    const char *_Nonnull host;
    /** TCP port; 0 picks a free one (read it back with lrs_port). */
    uint16_t port;
    /** Worker threads; values below 2 mean one internal polling thread. */
    unsigned int threads;
    /** Largest accepted request body in bytes. */
    uint64_t max_body_bytes;
    /** Most concurrent connections. */
    unsigned int connection_limit;
    /** Idle connection timeout in seconds; 0 disables it. */
    unsigned int connection_timeout_seconds;
    /** Per-connection memory pool (request line and headers) in bytes. */
    size_t connection_memory_limit;
    /** Most concurrent connections from one client address; 0 means no limit. */
    unsigned int per_address_connection_limit;
    lrs_request_fn _Nonnull on_request;
    lrs_rejection_fn _Nonnull on_rejection;
    /**
     * Called once per request when its head (request line and headers) has arrived and passed
     * the Content-Length/Transfer-Encoding guards, before any body byte is read; the request has
     * no body. Returning a response rejects the request with it (the connection is then closed);
     * NULL lets it proceed. Optional.
     */
    lrs_request_fn _Nullable on_head;
    /** Passed unchanged to both callbacks. */
    void *_Nullable context;
} lrs_config;

/** Processors available to this process (affinity mask), at least 1. */
unsigned int lrs_available_processors(void);

/** Makes glibc map every allocation of `bytes` or more separately (freed straight back to the system). */
void lrs_map_large_allocations(size_t bytes);

/**
 * Creates a response with a copy of `body` (`body` may be NULL when
 * `body_len` is 0). Status must be within 200...999. Returns NULL when out of
 * memory or when the status is out of range.
 */
lrs_response *_Nullable lrs_response_create(unsigned int status,
                                            const void *_Nullable body,
                                            size_t body_len);

/**
 * Adds a header to a response. Returns 1 on success, 0 when libmicrohttpd
 * refuses it (empty name, CR/LF/tab in the name, CR/LF in the value, a
 * header it manages itself such as Content-Length, or out of memory).
 */
int lrs_response_add_header(lrs_response *_Nonnull response,
                            const char *_Nonnull name,
                            const char *_Nonnull value);

/** Frees a response that was not handed back to the shim. */
void lrs_response_destroy(lrs_response *_Nullable response);

/**
 * Like lrs_response_create, and the body's bytes count towards lrs_held_response_bytes(server)
 * until libmicrohttpd has sent them (a slow reader holds them longer).
 */
lrs_response *_Nullable lrs_response_create_counted(lrs_server *_Nonnull server, unsigned int status,
                                                    const void *_Nullable body, size_t body_len);

/**
 * Like lrs_response_create_counted, with the body gzip-compressed (the caller adds the
 * Content-Encoding header); NULL when compression fails.
 */
lrs_response *_Nullable lrs_response_create_gzipped(lrs_server *_Nonnull server, unsigned int status,
                                                    const void *_Nullable body, size_t body_len);

/** Bytes of counted response bodies that libmicrohttpd still holds. */
uint64_t lrs_held_response_bytes(lrs_server *_Nonnull server);

/**
 * The answer a request callback returns to answer later: the connection is suspended (its worker
 * thread serves other connections) until lrs_resume gives the response for request->ticket.
 */
lrs_response *_Nonnull lrs_response_deferred(void);

/**
 * Answers a deferred request (taking ownership of `response`; NULL sends a 500) from any thread,
 * exactly once per deferred request. Call it before lrs_stop.
 */
void lrs_resume(lrs_server *_Nonnull server, void *_Nonnull ticket, lrs_response *_Nullable response);

/**
 * Starts a daemon. Returns NULL on failure and writes a NUL-terminated
 * reason into `error` (when `error_len` > 0).
 */
lrs_server *_Nullable lrs_start(const lrs_config *_Nonnull config,
                                char *_Nullable error,
                                size_t error_len);

/** The bound TCP port, or 0 when it cannot be read. */
uint16_t lrs_port(lrs_server *_Nonnull server);

/**
 * Stops accepting connections: the listen socket is taken out of the daemon
 * and shut down so that new connection attempts are refused. Responses
 * queued afterwards carry "Connection: close". Returns 1 when this call
 * quiesced the daemon, 0 when it already was (or is stopped).
 */
int lrs_quiesce(lrs_server *_Nonnull server);

/** Connections currently open on the daemon (0 once stopped). */
unsigned int lrs_connection_count(lrs_server *_Nonnull server);

/**
 * Requests whose request line has been received and whose reply has not yet
 * been fully sent (or whose connection has not yet been closed).
 */
unsigned int lrs_active_requests(lrs_server *_Nonnull server);

/**
 * Stops the daemon: closes every connection, joins the worker threads and
 * closes the listen socket. No callback runs after the first call returns;
 * later calls return at once. Must not be called from a callback (it would
 * wait for its own thread) nor concurrently with lrs_destroy.
 */
/**
 * Asks `decide` about every open connection and shuts down (never closes: libmicrohttpd then
 * closes it) those it marks too slow. Returns how many were shut down. Thread-safe.
 */
unsigned int lrs_scan_connections(lrs_server *_Nonnull server, lrs_scan_fn _Nonnull decide,
                                  void *_Nullable context);

void lrs_stop(lrs_server *_Nonnull server);

/** 1 when the calling thread is inside a request or rejection callback. */
int lrs_in_callback(void);

/** Stops the daemon if needed and frees the server. */
void lrs_destroy(lrs_server *_Nullable server);

#ifdef __cplusplus
}
#endif

#if defined(__clang__)
#  pragma clang diagnostic pop
#endif

#endif /* LRS_HTTP_H */
