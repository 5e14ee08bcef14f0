/* libFuzzer target: arbitrary bytes as a command line. The first byte picks
 * the command (modulo 3: affine, syn, qc); the rest, split at NUL bytes, is
 * argv[1..] (at most 40 arguments). The parse-only entry points run every
 * option check the commands run, open no file and never exit; each call
 * must return 0, CLI_HELP or a usage exit code (2). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { MAX_ARGS = 40 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > 4096)
        return 0;
    cli_silence_errors(1);
    const int command = data[0] % 3;
    /* a private NUL-terminated copy, so each argument is a C string that
     * ends exactly where the fuzzer's bytes end (ASan sees overreads) */
    char *buf = malloc(size);
    if (buf == NULL)
        abort();
    memcpy(buf, data + 1, size - 1);
    buf[size - 1] = '\0';
    char *argv[MAX_ARGS + 2];
    int argc = 0;
    static char *const names[3] = {"affine", "syn", "qc"};
    argv[argc++] = names[command];
    for (size_t i = 0; i < size - 1 && argc <= MAX_ARGS;) {
        argv[argc++] = buf + i;
        i += strlen(buf + i) + 1;
    }
    argv[argc] = NULL;
    int rc = command == 1   ? cmd_syn_parse_only(argc, argv)
             : command == 2 ? cmd_qc_parse_only(argc, argv)
                            : cmd_affine_parse_only(argc, argv);
    if (rc != 0 && rc != CLI_HELP && rc != 2)
        abort();
    free(buf);
    return 0;
}
