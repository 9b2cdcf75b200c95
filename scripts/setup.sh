#!/usr/bin/env bash
# Installs everything torch2onnx needs on a Debian 12 machine and builds it.
#   scripts/setup.sh            install missing packages (apt, npm) and build into build/
#   scripts/setup.sh --no-build only install
# Idempotent: a second run installs nothing and rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

APT_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config time
  libtorch-dev libonnx-dev libprotobuf-dev protobuf-compiler
  libcli11-dev libspdlog-dev nlohmann-json3-dev catch2 libzip-dev
  python3-torch python3-torchvision python3-onnx python3-numpy
  nodejs npm
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  # nodejs may come from another repository with npm bundled: accept any installed node+npm.
  if [[ $p == nodejs || $p == npm ]] && command -v node >/dev/null && command -v npm >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "[setup] installing: ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ONNX Runtime (CPU) through onnxruntime-node, which bundles the runtime library.
# ONNXRUNTIME_NODE_INSTALL=skip stops its install script from downloading extras.
RUNNER="$ROOT/tools/ort_runner"
if [[ ! -d $RUNNER/node_modules/onnxruntime-node || $RUNNER/package-lock.json -nt $RUNNER/node_modules/.package-lock.json ]]; then
  echo "[setup] installing onnxruntime-node"
  (cd "$RUNNER" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error)
fi

if [[ ${1:-} != --no-build ]]; then
  BUILD_DIR=${BUILD_DIR:-$ROOT/build}
  if [[ ! -f $BUILD_DIR/build.ninja ]]; then
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  echo "[setup] building in $BUILD_DIR"
  cmake --build "$BUILD_DIR" -j "$(nproc)"
fi
