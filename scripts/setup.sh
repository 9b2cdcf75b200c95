#!/usr/bin/env bash
# Installs everything torch2onnx needs on a Debian 12 or 13 machine and builds it.
#   scripts/setup.sh            install what is missing and build into build/
#   scripts/setup.sh --no-build only install
# Idempotent: a second run installs nothing and rebuilds only what changed.
#
#   Debian packages     compilers (clang for the fuzz targets), protobuf, CLI11, spdlog,
#                       nlohmann-json, Catch2, zlib
#   .venv/              Python 3.11 + requirements/python.txt (torch 2.13.0 CPU: its
#                       libtorch is what the tool links; onnx, onnxscript, onnxruntime)
#   .venv-torchvision/  requirements/torchvision-<arch>.txt, for torchvision fixtures only
#   .deps/onnx-*/       the ONNX C++ library built from requirements/onnx-source.txt
#   tools/ort_runner/   onnxruntime-node 1.30 from npm
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
log() { echo "[setup] $*"; }

# ------------------------------------------------------------------ Debian packages
APT_PACKAGES=(
  build-essential ninja-build ccache pkg-config time clang libclang-rt-dev
  libprotobuf-dev protobuf-compiler libcli11-dev libspdlog-dev nlohmann-json3-dev catch2 zlib1g-dev
  nodejs npm
)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  # nodejs may come from another repository with npm bundled: accept any node + npm.
  if [[ $p == nodejs || $p == npm ]] && command -v node >/dev/null && command -v npm >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ------------------------------------------------------------------ Python environments
# The torch wheels on the machine's disk are built for CPython 3.11.
find_python311() {
  local c
  for c in "${T2O_PYTHON311:-}" "$(command -v python3.11 || true)" /usr/bin/python3.11 \
           "$HOME"/.pyenv/versions/3.11*/bin/python3.11; do
    [[ -n $c && -x $c ]] && "$c" -c 'import sys, venv; assert sys.version_info[:2] == (3, 11)' 2>/dev/null && { echo "$c"; return; }
  done
  echo "[setup] error: no CPython 3.11 with venv found (the torch wheels are cp311); set T2O_PYTHON311" >&2
  exit 1
}

# make_venv DIR REQUIREMENTS: a virtual environment with exactly the pinned packages,
# (re)installed only when the requirements file changed.
make_venv() {
  local dir=$1 req=$2 stamp=$1/.t2o-requirements
  if [[ -f $stamp ]] && cmp -s "$req" "$stamp"; then return; fi
  log "installing $(basename "$req") into $(basename "$dir")"
  [[ -x $dir/bin/python ]] || "$(find_python311)" -m venv "$dir"
  # --no-deps: every dependency is pinned in the file, so pip can never pull in a newer
  # torch (a CUDA build of several GB) for some package's range.
  local status=0
  "$dir/bin/pip" install --quiet --no-deps --disable-pip-version-check -r "$req" >"$dir/.t2o-pip.log" 2>&1 || status=$?
  grep -v "^WARNING: Location" "$dir/.t2o-pip.log" || true
  [[ $status -eq 0 ]] || { echo "[setup] error: pip could not install $req (exit $status)" >&2; exit 1; }
  "$dir/bin/python" - "$req" <<'EOF'
import sys, importlib.metadata as md, re
for line in open(sys.argv[1]):
    line = line.split("#")[0].split(" --")[0].strip()
    if not line:
        continue
    name, version = re.split(r"==", line)
    have = md.version(name)
    assert have.split("+")[0] == version, f"{name}: {have} installed, {version} pinned"
EOF
  cp "$req" "$stamp"
}

make_venv "$ROOT/.venv" "$ROOT/requirements/python.txt"
ARCH=$(uname -m)
if [[ -f $ROOT/requirements/torchvision-$ARCH.txt ]]; then
  make_venv "$ROOT/.venv-torchvision" "$ROOT/requirements/torchvision-$ARCH.txt"
else
  log "no torchvision environment is known for $ARCH: torchvision fixtures will be skipped (tests say so)"
fi
PY=$ROOT/.venv/bin/python

# ------------------------------------------------------------------ ONNX C++ library
# Built from the pinned sdist against Debian's protobuf, once per version (cached in .deps/).
ONNX_SPEC=$(grep -v '^#' requirements/onnx-source.txt | grep -o 'onnx==[0-9.]*')
ONNX_VERSION=${ONNX_SPEC#onnx==}
ONNX_DEPS=$ROOT/.deps/onnx-$ONNX_VERSION
ONNX_PREFIX=$ONNX_DEPS/install
if [[ ! -f $ONNX_PREFIX/.t2o-built ]]; then
  log "building the ONNX $ONNX_VERSION C++ library (once; cached in .deps/)"
  mkdir -p "$ONNX_DEPS"
  if [[ ! -f $ONNX_DEPS/onnx-$ONNX_VERSION.tar.gz ]]; then
    "$ROOT/.venv/bin/pip" download --quiet --no-deps --no-build-isolation --no-binary onnx --require-hashes \
      -r requirements/onnx-source.txt -d "$ONNX_DEPS" >"$ONNX_DEPS/download.log" 2>&1 ||
      { grep -v "^WARNING: Location" "$ONNX_DEPS/download.log"; echo "[setup] error: cannot download the onnx sdist" >&2; exit 1; }
  fi
  rm -rf "$ONNX_DEPS/src" "$ONNX_DEPS/build"
  mkdir -p "$ONNX_DEPS/src"
  tar -xzf "$ONNX_DEPS/onnx-$ONNX_VERSION.tar.gz" -C "$ONNX_DEPS/src" --strip-components=1
  launcher=(); command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  "$ROOT/.venv/bin/cmake" -S "$ONNX_DEPS/src" -B "$ONNX_DEPS/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$ONNX_PREFIX" -DCMAKE_POSITION_INDEPENDENT_CODE=ON "${launcher[@]}" \
    -DONNX_USE_PROTOBUF_SHARED_LIBS=ON -DONNX_BUILD_TESTS=OFF -DONNX_BUILD_PYTHON=OFF \
    -DONNX_GEN_PB_TYPE_STUBS=OFF -DONNX_ML=ON >"$ONNX_DEPS/configure.log" 2>&1 \
    || { cat "$ONNX_DEPS/configure.log"; exit 1; }
  "$ROOT/.venv/bin/cmake" --build "$ONNX_DEPS/build" -j "$(nproc)" >"$ONNX_DEPS/build.log" 2>&1 \
    || { tail -50 "$ONNX_DEPS/build.log"; exit 1; }
  "$ROOT/.venv/bin/cmake" --install "$ONNX_DEPS/build" >/dev/null
  rm -rf "$ONNX_DEPS/build" "$ONNX_DEPS/src"
  touch "$ONNX_PREFIX/.t2o-built"
fi

# ------------------------------------------------------------------ ONNX Runtime (Node)
# onnxruntime-node bundles the runtime library; ONNXRUNTIME_NODE_INSTALL=skip stops its
# install script from downloading extras.
RUNNER="$ROOT/tools/ort_runner"
if [[ ! -d $RUNNER/node_modules/onnxruntime-node || $RUNNER/package-lock.json -nt $RUNNER/node_modules/.package-lock.json ]]; then
  log "installing onnxruntime-node"
  (cd "$RUNNER" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error)
fi

# ------------------------------------------------------------------ build
if [[ ${1:-} != --no-build ]]; then
  BUILD_DIR=${BUILD_DIR:-$ROOT/build}
  TORCH_DIR=$("$PY" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "share/cmake/Torch"))')
  if [[ ! -f $BUILD_DIR/build.ninja ]] || ! grep -q "^Torch_DIR:PATH=$TORCH_DIR\$" "$BUILD_DIR/CMakeCache.txt" ||
     ! grep -q "^ONNX_DIR:PATH=$ONNX_PREFIX/lib/cmake/ONNX\$" "$BUILD_DIR/CMakeCache.txt"; then
    rm -rf "$BUILD_DIR"
    "$ROOT/.venv/bin/cmake" -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DTorch_DIR="$TORCH_DIR" -DONNX_DIR="$ONNX_PREFIX/lib/cmake/ONNX" \
      -DT2O_PYTHON="$PY" -DT2O_TORCHVISION_PYTHON="$ROOT/.venv-torchvision/bin/python" ${T2O_CMAKE_ARGS:-} >/dev/null
  fi
  log "building in $BUILD_DIR"
  "$ROOT/.venv/bin/cmake" --build "$BUILD_DIR" -j "$(nproc)"
fi
