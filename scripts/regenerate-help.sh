#!/usr/bin/env bash
# Rewrites the expected help texts in Tests/Fixtures/help/ from the built binary (80 columns, as the tests run it).
# HelpTextTests compares `maxp-diagnose <command> --help` with these files verbatim: after changing a command's
# help on purpose, run this script and review the diff.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product maxp-diagnose
BIN="$(swift build -c release --show-bin-path)/maxp-diagnose"
for command in merge report gate; do
    COLUMNS=80 "$BIN" "$command" --help > "Tests/Fixtures/help/$command.txt"
done
echo "help texts written to Tests/Fixtures/help/"
