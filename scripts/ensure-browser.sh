#!/usr/bin/env bash
# Page tests drive Debian's Chromium through Playwright (Playwright cannot download browsers here).
# Install it, and the Noto fonts that render all six UN languages, when we can; otherwise say so.
set -euo pipefail
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "Noto Sans" && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium and Noto fonts for the page tests..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium fonts-noto-core fonts-noto-cjk >/dev/null
elif [ ! -x /usr/bin/chromium ]; then
    echo "warning: /usr/bin/chromium is missing; page tests will be skipped." >&2
    echo "         Install it with: sudo apt-get install chromium fonts-noto-core fonts-noto-cjk" >&2
fi
