/*
 * The transport's floor, for scripts/bench.sh: libmicrohttpd with the daemon flags lrsched uses
 * (internal polling threads, epoll, one thread per core), answering every request to /NAME with
 * the bytes of DIRECTORY/NAME, loaded at start, after reading the request's body. No parsing,
 * no evaluating, no writing, no logging: what lrsched spends above this is its own.
 *
 *   mhd_floor PORT THREADS DIRECTORY NAME...
 */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct answer {
    char path[256];
    char *bytes;
    size_t length;
};

static struct answer *answers;
static int answer_count;

static enum MHD_Result handle(void *cls, struct MHD_Connection *connection, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **request)
{
    (void)cls;
    (void)method;
    (void)version;
    (void)upload;
    if (*request == NULL) {
        *request = connection;
        return MHD_YES;
    }
    if (*upload_size != 0) {
        *upload_size = 0;
        return MHD_YES;
    }
    for (int i = 0; i < answer_count; i++) {
        if (strcmp(url, answers[i].path) == 0) {
            struct MHD_Response *response = MHD_create_response_from_buffer(
                answers[i].length, answers[i].bytes, MHD_RESPMEM_PERSISTENT);
            MHD_add_response_header(response, "Content-Type", "application/json");
            enum MHD_Result queued = MHD_queue_response(connection, MHD_HTTP_OK, response);
            MHD_destroy_response(response);
            return queued;
        }
    }
    struct MHD_Response *missing = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
    enum MHD_Result queued = MHD_queue_response(connection, MHD_HTTP_NOT_FOUND, missing);
    MHD_destroy_response(missing);
    return queued;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: %s PORT THREADS DIRECTORY NAME...\n", argv[0]);
        return 2;
    }
    answer_count = argc - 4;
    answers = calloc((size_t)answer_count, sizeof *answers);
    for (int i = 0; i < answer_count; i++) {
        char file[4096];
        snprintf(file, sizeof file, "%s/%s", argv[3], argv[4 + i]);
        snprintf(answers[i].path, sizeof answers[i].path, "/%s", argv[4 + i]);
        FILE *f = fopen(file, "rb");
        if (f == NULL || fseek(f, 0, SEEK_END) != 0) {
            perror(file);
            return 1;
        }
        answers[i].length = (size_t)ftell(f);
        answers[i].bytes = malloc(answers[i].length + 1);
        rewind(f);
        if (fread(answers[i].bytes, 1, answers[i].length, f) != answers[i].length) {
            perror(file);
            return 1;
        }
        fclose(f);
    }
    unsigned int threads = (unsigned int)atoi(argv[2]);
    struct MHD_Daemon *daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC, (uint16_t)atoi(argv[1]), NULL,
        NULL, handle, NULL, MHD_OPTION_THREAD_POOL_SIZE, threads >= 2 ? threads : 0, MHD_OPTION_END);
    if (daemon == NULL) {
        fprintf(stderr, "cannot start on port %s\n", argv[1]);
        return 1;
    }
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigprocmask(SIG_BLOCK, &signals, NULL);
    int received;
    sigwait(&signals, &received);
    MHD_stop_daemon(daemon);
    return 0;
}
