/* coopsim verify-ledger: re-verifies an exported chain (hashes, Merkle roots, balances). */
#include "app/cli.h"

#include "models/ledger/ledger.h"

#include <stdio.h>
#include <string.h>

const char cli_usage_verify_ledger[] =
    "usage: coopsim verify-ledger DIR\n"
    "\n"
    "Re-verifies a chain exported by a run (DIR holds blocks.jsonl and state.json):\n"
    "every transaction id, Merkle root, block hash and link, and every balance by\n"
    "replaying the transactions. DIR may also be a run directory: each ledger-*/ in\n"
    "it is verified. When the run's summary.json is there, each export's fingerprint\n"
    "is compared with the ledger_fingerprint the run recorded.\n"
    "Exit status: 0 valid, 1 a block fails (the first one is named) or the export is\n"
    "not the one the run produced, 2 DIR is missing or not a ledger export.\n";

int cli_cmd_verify_ledger(int argc, char **argv) {
    if (argc > 0 && cli_is_help(argv[0])) {
        fputs(cli_usage_verify_ledger, stdout);
        return 0;
    }
    if (argc != 1) return cli_usage_error(cli_usage_verify_ledger, "%s", "expected one directory");
    char msg[ERRLEN];
    ledger_verdict v = ledger_verify_dir(argv[0], msg, sizeof msg);
    if (v == LEDGER_VALID)
        printf("%s\n", msg);
    else
        fprintf(stderr, "%s: %s\n", cli_prog, msg);
    switch (v) { /* the exit statuses the usage text promises */
    case LEDGER_VALID:
        return 0;
    case LEDGER_INVALID:
        return 1;
    case LEDGER_UNREADABLE:
        return 2;
    }
    return 1;
}
