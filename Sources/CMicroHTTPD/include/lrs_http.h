/*
 * lrs_http: what Swift cannot do itself with libmicrohttpd.
 *
 * libmicrohttpd's start and info functions are variadic, its logger takes a va_list, zlib's
 * deflateInit2 and glibc's CPU_COUNT are macros, fcntl is variadic, and accept4 and
 * pthread_setname_np need _GNU_SOURCE; Swift can call none of them. Everything else (the access
 * handler, body collection, responses, deadlines, the lifecycle, accepting) is Swift, calling
 * libmicrohttpd's fixed-arity functions directly through this module, which re-exports
 * <microhttpd.h>.
 */
#ifndef LRS_HTTP_H
#define LRS_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <microhttpd.h>

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

/** Receives one formatted libmicrohttpd log message (no trailing newline). */
typedef void (*lrs_log_fn)(void *_Nullable context, const char *_Nonnull message);

/** The daemon's settings and callbacks; each callback gets `context`. */
typedef struct lrs_daemon_options {
    unsigned int flags;
    unsigned int threads;
    unsigned int connection_limit;
    unsigned int per_address_connection_limit;
    unsigned int connection_timeout_seconds;
    size_t connection_memory_limit;
    MHD_AccessHandlerCallback _Nonnull access;
    void *_Nullable (*_Nonnull uri_log)(void *_Nullable context, const char *_Nonnull uri,
                                        struct MHD_Connection *_Nonnull connection);
    MHD_RequestCompletedCallback _Nonnull completed;
    MHD_NotifyConnectionCallback _Nonnull notify_connection;
    lrs_log_fn _Nonnull log;
    void *_Nullable context;
} lrs_daemon_options;

/** MHD_start_daemon with these options; NULL when it refuses (the reason was logged). The
 *  options are the logger's context: they must outlive the daemon. */
struct MHD_Daemon *_Nullable lrs_start_daemon(const lrs_daemon_options *_Nonnull options);

/** accept4 (a GNU extension Swift's Glibc module does not show): the new socket non-blocking
 *  and closed on exec; -1 with errno set when none. */
int lrs_accept(int fd, struct sockaddr *_Nullable address, socklen_t *_Nullable length);

/** Names the calling thread (pthread_setname_np, a GNU extension; at most 15 bytes shown). */
void lrs_name_thread(const char *_Nonnull name);

/** `fd`, or a duplicate of it numbered `worker` modulo `workers` (the original then closed): the
 *  worker libmicrohttpd's pool gives a connection added with MHD_add_connection. `fd` itself
 *  when it already is, or when no such number is free nearby. */
int lrs_descriptor_for_worker(int fd, unsigned int worker, unsigned int workers);

/** Open connections (MHD_DAEMON_INFO_CURRENT_CONNECTIONS). */
unsigned int lrs_daemon_connections(struct MHD_Daemon *_Nonnull daemon);

/** The connection's socket descriptor, -1 when unknown. */
int lrs_connection_fd(struct MHD_Connection *_Nonnull connection);

/** The client's address as text (`127.0.0.1`, `::1`) into `buffer`; 0 when unknown. */
int lrs_connection_address(struct MHD_Connection *_Nonnull connection, char *_Nonnull buffer, size_t length);

/** The connection's socket context (set by the connection notifier), or NULL. */
void *_Nullable lrs_connection_context(struct MHD_Connection *_Nonnull connection);

/** The most bytes lrs_gzip can produce from `length` input bytes. */
size_t lrs_gzip_bound(size_t length);

/** Compresses `input` into a gzip member in `output` (fastest level); returns the bytes
 *  written, 0 on failure. */
size_t lrs_gzip(const void *_Nullable input, size_t length, void *_Nonnull output, size_t capacity);

/** glibc: allocations of `bytes` or more become their own mappings (freed back to the system). */
void lrs_map_large_allocations(size_t bytes);

/** Processors this process may run on (sched_getaffinity, else the online count). */
unsigned int lrs_available_processors(void);

/** Marks the calling thread as inside (or no longer inside) a request callback. */
void lrs_enter_callback(void);
void lrs_leave_callback(void);
/** Nonzero when the calling thread is inside a request callback. */
int lrs_in_callback(void);

#ifdef __cplusplus
}
#endif

#if defined(__clang__)
#  pragma clang diagnostic pop
#endif

#endif
