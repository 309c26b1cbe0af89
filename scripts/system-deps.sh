#!/bin/sh
# Install the Debian packages Hiresight needs when they are missing and we are root;
# otherwise say exactly what to install. Usage: system-deps.sh PACKAGE...
set -eu
missing=""
for pkg in "$@"; do
  case "$pkg" in
    bubblewrap) command -v bwrap >/dev/null 2>&1 || missing="$missing bubblewrap" ;;
    chromium) command -v chromium >/dev/null 2>&1 || missing="$missing chromium" ;;
    espeak-ng) command -v espeak-ng >/dev/null 2>&1 || missing="$missing espeak-ng" ;;
    *) echo "system-deps.sh: unknown package $pkg" >&2; exit 2 ;;
  esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages:$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
  echo "Hiresight needs these Debian packages: sudo apt-get install$missing" >&2
  exit 1
fi
