#!/usr/bin/env bash
# Page tests drive Debian's Chromium through Playwright (Playwright cannot download browsers here), and reports
# render the six UN languages with the Noto fonts (Arabic and CJK included). Install them when we can; otherwise say
# so. Safe to run several times at once (CI runs the SQLite and PostgreSQL suites side by side): one installs, the
# others wait for it.
set -euo pipefail

have_everything() {
    # grep reads the whole list (no -q): with pipefail, an early exit would fail fc-list with SIGPIPE
    [ -x /usr/bin/chromium ] \
        && fc-list 2>/dev/null | grep -i "Noto Sans" >/dev/null \
        && fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null
}

if have_everything; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    exec 9>/tmp/hrtc-ensure-browser.lock
    flock 9
    if have_everything; then
        exit 0
    fi
    echo "Installing Debian's chromium and Noto fonts for the page tests..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium fonts-noto-core fonts-noto-cjk >/dev/null
elif [ ! -x /usr/bin/chromium ]; then
    echo "warning: /usr/bin/chromium is missing; page tests will be skipped." >&2
    echo "         Install it with: sudo apt-get install chromium fonts-noto-core fonts-noto-cjk" >&2
fi
