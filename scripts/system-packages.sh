#!/usr/bin/env bash
# The Debian packages the tests need: a real browser and CJK fonts (web page tests) and a PostgreSQL server
# (database tests). Installed from Debian's packages only (no browser or database download); a no-op when present.
set -euo pipefail
APT_PACKAGES=(chromium fonts-noto-cjk postgresql)
installed() {  # `dpkg -s` also succeeds for a removed package whose config files remain ("deinstall ok config-files")
  for package in "$@"; do
    [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" = "install ok installed" ] || return 1
  done
}
if command -v apt-get >/dev/null 2>&1 && ! installed "${APT_PACKAGES[@]}"; then
  SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo "sudo")
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${APT_PACKAGES[@]}" >/dev/null
fi
