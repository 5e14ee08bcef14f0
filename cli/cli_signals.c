/* Interrupts: SIGINT, SIGTERM and SIGHUP end an omreg run by the signal,
 * leaving no staged output behind.
 *
 * The signals are blocked in every thread (cli_signals_install runs first in
 * main, before any OpenMP thread exists, and threads inherit the mask) and
 * taken by one dedicated thread with sigwait. That thread removes the staged
 * outputs with cli_outputs_abandon (cli_outputs.c), which waits for a write
 * in progress and keeps the output lock, then restores the default action
 * and re-raises, and the process ends by the signal (shell status 128 + n)
 * as it would without a handler. The library installs no handler and knows
 * nothing of this. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const int handled_signals[] = {SIGINT, SIGTERM, SIGHUP};
enum { NSIGNALS = sizeof handled_signals / sizeof handled_signals[0] };

static sigset_t watched;

static void *signal_thread(void *arg)
{
    (void)arg;
    for (;;) {
        int sig = 0;
        if (sigwait(&watched, &sig) != 0)
            continue;
        cli_outputs_abandon(); /* waits for a write or commit in progress */
        struct sigaction dfl;
        memset(&dfl, 0, sizeof dfl);
        dfl.sa_handler = SIG_DFL;
        sigemptyset(&dfl.sa_mask);
        sigaction(sig, &dfl, NULL);
        sigset_t one;
        sigemptyset(&one);
        sigaddset(&one, sig);
        pthread_sigmask(SIG_UNBLOCK, &one, NULL);
        raise(sig); /* default action: the process ends by the signal */
        _exit(128 + sig); /* not reached */
    }
    return NULL;
}

void cli_signals_install(void)
{
    sigemptyset(&watched);
    for (int i = 0; i < NSIGNALS; ++i) {
        struct sigaction old;
        /* a signal ignored by the parent (nohup) stays ignored */
        if (sigaction(handled_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaddset(&watched, handled_signals[i]);
    }
    if (pthread_sigmask(SIG_BLOCK, &watched, NULL) != 0)
        return;
    pthread_attr_t attr;
    pthread_t tid;
    int ok = pthread_attr_init(&attr) == 0;
    if (ok) {
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        ok = pthread_create(&tid, &attr, signal_thread, NULL) == 0;
        pthread_attr_destroy(&attr);
    }
    if (!ok) /* no watcher: keep the default actions (no cleanup, but no hang) */
        pthread_sigmask(SIG_UNBLOCK, &watched, NULL);
}
