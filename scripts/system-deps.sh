#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages gridcmd needs, only when one is missing:
# PostgreSQL + PostGIS (the embedded cluster), CJK fonts (Chinese text in the browser and in
# exports), Chromium (UI tests and snapshots), poppler-utils (reading exported PDFs), gdal-bin
# (ogrinfo/ogr2ogr, the real OGC API client the tests read /ogc/ with), and
# python3-venv. Uses sudo only when not root.
set -euo pipefail

packages=(postgresql postgresql-postgis fonts-noto-cjk chromium chromium-driver poppler-utils
          python3-venv gdal-bin)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# The Debian package starts a cluster of its own on 5432 where a service manager exists;
# gridcmd never uses it (it runs a private cluster on its own port).
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "system packages installed"
