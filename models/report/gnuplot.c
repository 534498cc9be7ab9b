/* Running gnuplot as a program: arguments through argv (gnuplot -c makes them ARG1..ARG9, plain
 * strings never parsed as commands), in the plot directory, output captured in a log file. */
#include "models/report/report_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Seconds one plot may take before gnuplot is stopped. */
#define GNUPLOT_TIMEOUT_S 60

static bool executable(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

bool rp_gnuplot_find(char *out, size_t outlen) {
    const char *env = getenv("COOPSIM_GNUPLOT");
    if (env && *env) {
        snprintf(out, outlen, "%s", env);
        return executable(out);
    }
    const char *path = getenv("PATH");
    if (!path) path = "/usr/local/bin:/usr/bin:/bin";
    while (*path) {
        const char *colon = strchr(path, ':');
        size_t n = colon ? (size_t)(colon - path) : strlen(path);
        static const char exe[] = "/gnuplot";
        if (n > 0 && n + sizeof exe <= outlen) {
            memcpy(out, path, n);
            memcpy(out + n, exe, sizeof exe);
            if (executable(out)) return true;
        }
        path += n + (colon ? 1 : 0);
    }
    return false;
}

/* The last lines of the log, for the error message. */
static void log_tail(const char *logpath, char *buf, size_t n) {
    buf[0] = '\0';
    FILE *f = fopen(logpath, "rb");
    if (!f) return;
    char all[4096];
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        if (size > (long)sizeof all - 1)
            fseek(f, size - (long)sizeof all + 1, SEEK_SET);
        else
            fseek(f, 0, SEEK_SET);
    }
    size_t k = fread(all, 1, sizeof all - 1, f);
    fclose(f);
    all[k] = '\0';
    while (k > 0 && (all[k - 1] == '\n' || all[k - 1] == ' '))
        all[--k] = '\0';
    const char *start = all;
    if (k > n - 1) start = all + k - (n - 1);
    size_t len = strlen(start); /* at most n - 1 by construction */
    memcpy(buf, start, len + 1);
}

int rp_gnuplot_run(const char *gnuplot, const char *scripts_dir, const char *script,
                   const char *plotdir, const char *outbase, const char *const *args,
                   const char *logpath, char *err, size_t errlen) {
    char spath[2048];
    snprintf(spath, sizeof spath, "%s/%s.gp", scripts_dir, script);
    const char *argv[16];
    int n = 0;
    argv[n++] = gnuplot;
    argv[n++] = "-c";
    argv[n++] = spath;
    argv[n++] = outbase;
    argv[n++] = scripts_dir;
    for (int i = 0; args && args[i] && n < 14; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    int logfd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (logfd < 0) {
        snprintf(err, errlen, "%s: %s", logpath, strerror(errno));
        return 1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        close(logfd);
        snprintf(err, errlen, "cannot start gnuplot: %s", strerror(errno));
        return 1;
    }
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(logfd, 1) < 0 || dup2(logfd, 2) < 0 ||
            chdir(plotdir) != 0)
            _exit(126);
        alarm(GNUPLOT_TIMEOUT_S); /* survives exec: a stuck gnuplot is killed by SIGALRM */
        execv(gnuplot, (char *const *)argv);
        _exit(127);
    }
    close(logfd);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR) {
            snprintf(err, errlen, "waiting for gnuplot: %s", strerror(errno));
            return 1;
        }
    }
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0) return 0;
    char tail[600];
    log_tail(logpath, tail, sizeof tail);
    if (WIFSIGNALED(st))
        snprintf(err, errlen, "gnuplot %s.gp: stopped by signal %d%s%s", script, WTERMSIG(st),
                 *tail ? ": " : "", tail);
    else
        snprintf(err, errlen, "gnuplot %s.gp: exit status %d%s%s", script, WEXITSTATUS(st),
                 *tail ? ": " : "", tail);
    return 1;
}
