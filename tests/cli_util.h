/* Running the coopsim program from tests: exit status and captured output. */
#ifndef TESTS_CLI_UTIL_H
#define TESTS_CLI_UTIL_H

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
    int status; /* exit status, or 128 + signal */
    char out[1 << 17]; /* the output reference passed 64 KiB */
    char err[1 << 16];
} cli_result;

static inline void cli_slurp(const char *path, char *buf, size_t n) {
    FILE *f = fopen(path, "rb");
    size_t k = 0;
    if (f) {
        k = fread(buf, 1, n - 1, f);
        fclose(f);
    }
    buf[k] = '\0';
}

/* Runs COOPSIM_BINARY with argv (NULL-terminated, without argv[0]). */
static inline cli_result *cli_run(const char *const *args) {
    static cli_result r;
    char out_path[] = "/tmp/coopsim-test-out-XXXXXX", err_path[] = "/tmp/coopsim-test-err-XXXXXX";
    int fo = mkstemp(out_path), fe = mkstemp(err_path);
    if (fo < 0 || fe < 0) abort();
    pid_t pid = fork();
    if (pid < 0) abort();
    if (pid == 0) {
        const char *argv[64];
        int n = 0;
        argv[n++] = COOPSIM_BINARY;
        for (; args[n - 1] && n < 63; n++)
            argv[n] = args[n - 1];
        argv[n] = NULL;
        dup2(fo, 1);
        dup2(fe, 2);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) dup2(devnull, 0);
        execv(COOPSIM_BINARY, (char *const *)argv);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    close(fo);
    close(fe);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    cli_slurp(out_path, r.out, sizeof r.out);
    cli_slurp(err_path, r.err, sizeof r.err);
    unlink(out_path);
    unlink(err_path);
    return &r;
}

/* A new temporary directory for a test's files; the caller removes it with cli_rmdir. */
static inline char *cli_tmpdir(void) {
    static char dir[64];
    snprintf(dir, sizeof dir, "/tmp/coopsim-test-XXXXXX");
    if (!mkdtemp(dir)) abort();
    return dir;
}

/* Writes n bytes to dir/name and returns the path (a static buffer, valid until the next call). */
static inline const char *cli_write(const char *dir, const char *name, const void *data, size_t n) {
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) abort();
    return path;
}

static inline void cli_rmdir(const char *dir) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) abort();
}

/* The ```sh blocks of a Markdown file, concatenated, each announced by an echo (so a log shows
 * which failed); *blocks counts them. NULL when the file cannot be read or a block is not closed;
 * the caller frees the text. */
static inline char *cli_sh_blocks(const char *path, int *blocks) {
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *out = malloc(cap), line[4096];
    bool in = false;
    *blocks = 0;
    while (out && fgets(line, sizeof line, f)) {
        if (!in && strncmp(line, "```sh", 5) == 0 && (line[5] == '\n' || line[5] == ' ')) {
            in = true;
            ++*blocks;
            n += (size_t)snprintf(out + n, cap - n, "echo '--- block %d'\n", *blocks);
            continue;
        }
        if (in && strncmp(line, "```", 3) == 0) {
            in = false;
            continue;
        }
        if (in && n + strlen(line) + 1 < cap) {
            memcpy(out + n, line, strlen(line) + 1);
            n += strlen(line);
        }
    }
    fclose(f);
    if (in) {
        free(out);
        return NULL; /* an unterminated block */
    }
    return out;
}

#endif
