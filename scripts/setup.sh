#!/usr/bin/env bash
# Installs the Debian packages maxP builds against (OpenBLAS for every matrix product, Cairo for plots,
# GLPK for the exponent LP, DejaVu fonts for readable figures).
set -euo pipefail
SUDO=""; if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends \
    libopenblas-dev libcairo2-dev libglpk-dev libxml2-dev fonts-dejavu-core pkg-config
