#!/usr/bin/env bash
# Debian packages SoRa needs beside Python: Pango for WeasyPrint's PDFs (HarfBuzz's subsetter makes
# font subsetting fast); with --browser, Chromium for the browser tests and Debian's npm for axe-core
# unless some npm is already on the PATH; with --postgresql, the PostgreSQL server, whose initdb and
# pg_ctl the database restart test runs. Installs what is missing when run as root; otherwise says
# what to install.
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
for option in "$@"; do
  case "$option" in
    --browser) packages+=(chromium); command -v npm >/dev/null || packages+=(npm) ;;
    --postgresql) packages+=(postgresql) ;;
    *) echo "usage: $0 [--browser] [--postgresql]" >&2; exit 2 ;;
  esac
done
command -v dpkg-query >/dev/null || exit 0
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "== installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing Debian packages: ${missing[*]} (sudo apt-get install ${missing[*]})" >&2
fi
