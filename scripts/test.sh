#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors and ASan+UBSan, starts a throwaway
# PostgreSQL and Redis on 127.0.0.1, runs every test, and stops the services again.
# Extra arguments go to ctest (e.g. -L gui, -R patient).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/install-deps.sh"
export BUILD_DIR=${BUILD_DIR:-$root/build-test}
"$root/scripts/build.sh" -DTMDASH_WERROR=ON -DTMDASH_SANITIZE=${TMDASH_SANITIZE:-ON} -DTMDASH_BUILD_TESTS=ON

# shellcheck source=services.sh
source "$root/scripts/services.sh"
trap services_stop EXIT INT TERM
services_start

export QT_QPA_PLATFORM=offscreen
export XDG_RUNTIME_DIR=$(mktemp -d /tmp/tmdash-xdg.XXXXXX)
chmod 700 "$XDG_RUNTIME_DIR"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$BUILD_DIR"
ctest --output-on-failure --timeout 900 -j "$(nproc)" "$@"
