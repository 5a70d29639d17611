#!/usr/bin/env bash
# Installs the Debian packages TMDash Clinic needs to build, run and test, when any is missing.
set -euo pipefail
packages=(
    qt6-base-dev qt6-base-dev-tools qt6-qpa-plugins libqt6opengl6-dev libqt6sql6-sqlite
    libqt6sql6-psql qt6-charts-dev qt6-svg-dev qt6-l10n-tools qt6-tools-dev qt6-tools-dev-tools
    libgl-dev libhiredis-dev redis-server redis-tools libsodium-dev libssl-dev libsqlite3-dev libpq-dev
    postgresql postgresql-contrib xvfb xauth cmake ninja-build pkg-config g++ tzdata
    fonts-dejavu-core ccache
)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing: ${missing[*]}"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
