#!/usr/bin/env bash
# Installs Debian's chromium for MatrixHtmlBrowserIT (headless --dump-dom of the HTML report).
# Idempotent and quiet: does nothing when a chromium binary is already on PATH.
set -euo pipefail
command -v chromium >/dev/null 2>&1 && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends chromium >/dev/null
command -v chromium >/dev/null
