#!/usr/bin/env bash
# Installs what is missing, builds, and opens the desktop app on a local demo database
# (seeded on first run; no server needed).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/install-deps.sh"
export BUILD_DIR=${BUILD_DIR:-$root/build}
"$root/scripts/build.sh" -DTMDASH_BUILD_TESTS=OFF
data_dir=${TMDASH_DEMO_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/tmdash}
mkdir -p "$data_dir"
db="$data_dir/demo.sqlite"
if [ ! -f "$db" ]; then
    if ! { "$BUILD_DIR/app/tmdashctl" --db "sqlite:$db" migrate up &&
           "$BUILD_DIR/app/tmdashctl" --db "sqlite:$db" seed; }; then
        echo "Seeding demo data failed; opening an empty database."
        rm -f "$db" "$db-wal" "$db-shm"
    fi
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
    echo "No display found: starting the app under Xvfb (set DISPLAY to use your own)."
    exec xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" "$BUILD_DIR/app/tmdash" --db "sqlite:$db"
fi
exec "$BUILD_DIR/app/tmdash" --db "sqlite:$db"
