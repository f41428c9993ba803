/*
 * lrs_http: the variadic, va_list and macro calls Swift cannot make. See include/lrs_http.h.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include "lrs_http.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <zlib.h>

__attribute__((format(printf, 2, 0)))
static void lrs_log(void *cls, const char *fmt, va_list ap)
{
    const lrs_daemon_options *options = cls;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) {
        line[--n] = '\0';
    }
    options->log(options->context, line);
}

struct MHD_Daemon *lrs_start_daemon(const lrs_daemon_options *o)
{
    /* The pool option is last so that it can end the list when unused. */
    enum MHD_OPTION pool = o->threads >= 2 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END;
    struct MHD_Daemon *daemon = MHD_start_daemon(
        o->flags, 0, NULL, NULL, o->access, o->context,
        MHD_OPTION_EXTERNAL_LOGGER, (MHD_LogCallback)lrs_log, (void *)(uintptr_t)o,
        MHD_OPTION_CONNECTION_LIMIT, o->connection_limit,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, o->per_address_connection_limit,
        MHD_OPTION_CONNECTION_TIMEOUT, o->connection_timeout_seconds,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, o->connection_memory_limit,
        MHD_OPTION_URI_LOG_CALLBACK, o->uri_log, o->context,
        MHD_OPTION_NOTIFY_COMPLETED, o->completed, o->context,
        MHD_OPTION_NOTIFY_CONNECTION, o->notify_connection, o->context,
        pool, o->threads,
        MHD_OPTION_END);
    return daemon;
}

unsigned int lrs_daemon_connections(struct MHD_Daemon *daemon)
{
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    return info != NULL ? info->num_connections : 0;
}

int lrs_accept(int fd, struct sockaddr *address, socklen_t *length)
{
    return accept4(fd, address, length, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

void lrs_name_thread(const char *name)
{
    (void)pthread_setname_np(pthread_self(), name);
}

int lrs_descriptor_for_worker(int fd, unsigned int worker, unsigned int workers)
{
    if (fd < 0 || workers < 2 || worker >= workers || (unsigned int)fd % workers == worker) {
        return fd;
    }
    /* F_DUPFD gives the lowest free number at or above its floor: aim at the next number of the
     * right residue, and past it while the ones aimed at are taken. A busy table (and other
     * threads opening descriptors meanwhile) can hold many taken ones in a row, so up to 64
     * tries, one fcntl each (four left one connection in five misplaced when tests ran side by
     * side in one process). */
    int floor = fd;
    for (int attempt = 0; attempt < 64; attempt++) {
        unsigned int residue = (unsigned int)floor % workers;
        floor += (int)((worker + workers - residue) % workers);
        if (floor <= fd) {
            floor += (int)workers;
        }
        int moved = fcntl(fd, F_DUPFD_CLOEXEC, floor);
        if (moved < 0) {
            return fd;
        }
        if ((unsigned int)moved % workers == worker) {
            close(fd);
            return moved;
        }
        close(moved);
        floor = moved + 1;
    }
    return fd;
}

int lrs_connection_fd(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    return info != NULL ? (int)info->connect_fd : -1;
}

int lrs_connection_address(struct MHD_Connection *connection, char *buffer, size_t length)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (info == NULL || info->client_addr == NULL || length == 0) {
        return 0;
    }
    const struct sockaddr *address = info->client_addr;
    const void *raw = address->sa_family == AF_INET6
                          ? (const void *)&((const struct sockaddr_in6 *)address)->sin6_addr
                          : (const void *)&((const struct sockaddr_in *)address)->sin_addr;
    return inet_ntop(address->sa_family, raw, buffer, (socklen_t)length) != NULL;
}

void *lrs_connection_context(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info != NULL ? info->socket_context : NULL;
}

size_t lrs_gzip_bound(size_t length)
{
    /* deflateBound for a gzip wrapper, plus slack; computed without a stream. */
    return length + length / 1000 + 64;
}

size_t lrs_gzip(const void *input, size_t length, void *output, size_t capacity)
{
    if (length > UINT32_MAX || capacity > UINT32_MAX || capacity < lrs_gzip_bound(length)) {
        return 0;
    }
    z_stream z;
    memset(&z, 0, sizeof z);
    /* windowBits 15 + 16: a gzip wrapper; level 1: answers are streams of similar numbers,
     * which the fastest level already shrinks about threefold. */
    if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return 0;
    }
    z.next_in = (Bytef *)(uintptr_t)input;
    z.avail_in = (uInt)length;
    z.next_out = output;
    z.avail_out = (uInt)capacity;
    int rc = deflate(&z, Z_FINISH);
    size_t produced = capacity - z.avail_out;
    deflateEnd(&z);
    return rc == Z_STREAM_END ? produced : 0;
}

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
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) {
        return (unsigned int)CPU_COUNT(&set);
    }
#endif
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned int)n : 1u;
}

static _Thread_local int lrs_callback_depth = 0;

void lrs_enter_callback(void) { lrs_callback_depth++; }
void lrs_leave_callback(void) { lrs_callback_depth--; }
int lrs_in_callback(void) { return lrs_callback_depth > 0; }
