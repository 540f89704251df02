#!/usr/bin/env bash
# Builds @tensorflow/tfjs-node (or -gpu) without its install step's download: the package comes
# from the npm registry, the TensorFlow C library (libtensorflow_cc.so.2 +
# libtensorflow_framework.so.2, which export the TF_* and TFE_* C API, and the C API headers) from
# the TensorFlow wheel on PyPI, and the binding is compiled here against them with node-gyp.
#
# Usage: scripts/build-tfjs-node.sh OUT_DIR
#   Leaves OUT_DIR/package: an npm package folder (name @tensorflow/tfjs-node[-gpu]) with
#   deps/lib (the TF libraries), lib/napi-vN/tfjs_binding.node and node_modules; OUT_DIR/cache
#   keeps the npm tarball, the wheel and the build log.
#   Its install script is replaced by a no-op, so npm never runs the download or node-gyp again.
#   Load it with require("OUT_DIR/package"), or install it as a dependency:
#     npm install --install-links --ignore-scripts OUT_DIR/package
#   (--install-links copies it into node_modules, so its dependencies dedupe with the project's
#   @tensorflow/tfjs; a plain file: link keeps its own copy of tfjs under OUT_DIR/package).
# Environment:
#   TF_WHEEL_VERSION  TensorFlow wheel version (default 2.20.0; needs a wheel whose
#                     libtensorflow_cc.so.2 exports the C API, checked below)
#   TF_WHEEL_PACKAGE  tensorflow-cpu (default) or tensorflow (the CUDA 12 build; for -gpu)
#   TFJS_PACKAGE      @tensorflow/tfjs-node (default) or @tensorflow/tfjs-node-gpu
#   TFJS_VERSION      default 4.22.0
#   WITH_CUDA_LIBS=1  also pip-install the wheel's "and-cuda" NVIDIA libraries into
#                     OUT_DIR/package/deps/nvidia (several GB), where libtensorflow finds them
#   PYTHON            python with pip (default python3); JOBS compile jobs (default 2)
#   NODEDIR           node headers prefix (default: the running node's prefix when it has
#                     include/node/node_api.h; otherwise node-gyp downloads headers)
#   PATCH_JS=0        do not apply the two small fixes of step 5 to tfjs-node's dist/*.js
#   KEEP_HEADERS=1    keep deps/include (the C API headers) after the build
#   FORCE=1           rebuild even when OUT_DIR/package matches
# Re-running with the same settings does nothing but the final smoke test.
set -euo pipefail

say() { printf '[build-tfjs-node] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

[ $# -eq 1 ] || die "usage: $0 OUT_DIR"
OUT=$(mkdir -p "$1" && cd "$1" && pwd)
TF_WHEEL_VERSION=${TF_WHEEL_VERSION:-2.20.0}
TF_WHEEL_PACKAGE=${TF_WHEEL_PACKAGE:-tensorflow-cpu}
TFJS_PACKAGE=${TFJS_PACKAGE:-@tensorflow/tfjs-node}
TFJS_VERSION=${TFJS_VERSION:-4.22.0}
PYTHON=${PYTHON:-python3}
JOBS=${JOBS:-2}
PKG="$OUT/package"
CACHE="$OUT/cache"
STAMP="$PKG/.tf-wheel-build.json"
WANT="{\"tfjs\":\"$TFJS_PACKAGE@$TFJS_VERSION\",\"wheel\":\"$TF_WHEEL_PACKAGE==$TF_WHEEL_VERSION\",\"node_abi\":\"napi\",\"cuda_libs\":\"${WITH_CUDA_LIBS:-0}\",\"patch_js\":\"${PATCH_JS:-1}\"}"

command -v node >/dev/null || die "node not found"
command -v npm >/dev/null || die "npm not found"
"$PYTHON" -m pip --version >/dev/null 2>&1 || die "$PYTHON -m pip not available"
command -v make >/dev/null && command -v g++ >/dev/null || die "make and g++ are needed to compile the binding"

smoke_test() {
  say "smoke test: require($PKG)"
  (cd / && TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2} node -e '
    const tf = require(process.argv[1]);
    const y = tf.tensor([1, 2, 3]).square().dataSync();
    if (tf.getBackend() !== "tensorflow" || Array.from(y).join() !== "1,4,9") throw new Error("unexpected result");
    console.error("[build-tfjs-node] ok: backend " + tf.getBackend() + ", TensorFlow " + tf.backend().binding.TF_Version +
      ", tfjs-node " + tf.version["tfjs-node"] + ", [1,2,3]^2 = " + Array.from(y));
  ' "$PKG")
}

if [ "${FORCE:-0}" != 1 ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ]; then
  say "$PKG already built for $WANT"
  smoke_test
  exit 0
fi

mkdir -p "$CACHE"

# 1. The npm package (registry tarball) and its runtime dependencies, without install scripts.
tgz_name=$(printf '%s' "$TFJS_PACKAGE" | sed 's#^@##; s#/#-#')-$TFJS_VERSION.tgz
if [ ! -f "$CACHE/$tgz_name" ]; then
  say "npm pack $TFJS_PACKAGE@$TFJS_VERSION"
  (cd "$CACHE" && npm pack --silent "$TFJS_PACKAGE@$TFJS_VERSION" >/dev/null)
fi
say "unpacking $tgz_name into $PKG"
rm -rf "$PKG"
mkdir -p "$PKG"
tar -xzf "$CACHE/$tgz_name" -C "$PKG" --strip-components=1
say "npm install --ignore-scripts --omit=dev (dependencies from the registry)"
(cd "$PKG" && npm install --ignore-scripts --omit=dev --no-audit --no-fund --no-package-lock --loglevel=error >/dev/null)

# 2. The TensorFlow wheel (any CPython tag: the C libraries in it do not depend on Python).
arch=$(uname -m)
case "$arch" in
  x86_64 | aarch64) platform="manylinux_2_17_$arch" ;;
  *) die "no TensorFlow wheel for $arch" ;;
esac
pyver=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
wheel=$(ls "$CACHE"/"${TF_WHEEL_PACKAGE//-/_}"-"$TF_WHEEL_VERSION"-*.whl 2>/dev/null | head -1 || true)
if [ -z "$wheel" ]; then
  say "pip download $TF_WHEEL_PACKAGE==$TF_WHEEL_VERSION (--no-deps, python $pyver, $platform)"
  "$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: --python-version "$pyver" \
    --platform "$platform" -d "$CACHE" "$TF_WHEEL_PACKAGE==$TF_WHEEL_VERSION" ||
    die "pip could not download $TF_WHEEL_PACKAGE==$TF_WHEEL_VERSION for python $pyver on $platform (try PYTHON=python3.11)"
  wheel=$(ls "$CACHE"/"${TF_WHEEL_PACKAGE//-/_}"-"$TF_WHEEL_VERSION"-*.whl | head -1)
fi
say "extracting the C library and headers from $(basename "$wheel")"
mkdir -p "$PKG/deps/lib" "$PKG/deps/include"
"$PYTHON" - "$wheel" "$PKG/deps" <<'EOF'
import os, shutil, sys, zipfile
wheel, deps = sys.argv[1], sys.argv[2]
libs = {"tensorflow/libtensorflow_cc.so.2", "tensorflow/libtensorflow_framework.so.2"}
inc = "tensorflow/include/"
found = set()
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        name = info.filename
        if name in libs:
            dest = os.path.join(deps, "lib", os.path.basename(name)); found.add(name)
        elif name.startswith(inc) and not name.endswith("/"):
            dest = os.path.join(deps, "include", name[len(inc):])
        else:
            continue
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with z.open(info) as src, open(dest, "wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
missing = libs - found
if missing:
    sys.exit("wheel has no " + ", ".join(sorted(missing)) +
             ": older wheels (2.9.1 for one) keep the C API in "
             "tensorflow/python/_pywrap_tensorflow_internal.so, which needs libpython loaded; "
             "use a wheel that ships libtensorflow_cc.so.2 (2.15.1 and later work)")
EOF
ln -sfn libtensorflow_cc.so.2 "$PKG/deps/lib/libtensorflow.so"
ln -sfn libtensorflow_framework.so.2 "$PKG/deps/lib/libtensorflow_framework.so"
if command -v nm >/dev/null; then
  # grep -c reads all of nm's output (grep -q would stop early and, with pipefail, fail the test).
  nm -D --defined-only "$PKG/deps/lib/libtensorflow_cc.so.2" | grep -c ' T TFE_NewContext@' >/dev/null ||
    die "libtensorflow_cc.so.2 of $TF_WHEEL_PACKAGE $TF_WHEEL_VERSION does not export the eager C API (TFE_NewContext)"
fi

# 3. Optional: the NVIDIA CUDA 12 libraries the GPU wheel lists under its "and-cuda" extra.
#    libtensorflow_framework.so.2 has RUNPATH $ORIGIN/../nvidia/<lib>/lib, i.e. deps/nvidia/...
if [ "${WITH_CUDA_LIBS:-0}" = 1 ]; then
  mapfile -t cuda_reqs < <("$PYTHON" - "$wheel" <<'EOF'
import re, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
    for line in z.read(meta).decode().splitlines():
        m = re.match(r'Requires-Dist: (.+?); extra == "and-cuda"', line)
        if m:
            print(m.group(1))
EOF
  )
  [ ${#cuda_reqs[@]} -gt 0 ] || die "$TF_WHEEL_PACKAGE $TF_WHEEL_VERSION has no and-cuda extra (use TF_WHEEL_PACKAGE=tensorflow)"
  say "pip install --target deps: ${cuda_reqs[*]}"
  "$PYTHON" -m pip install --quiet --no-deps --only-binary=:all: --target "$PKG/deps" "${cuda_reqs[@]}"
fi

# 4. Compile the binding (node-pre-gyp -> node-gyp) for the highest N-API version it supports here.
napi=$(node -e '
  const want = require(process.argv[1]).binary.napi_versions;
  const have = Number(process.versions.napi);
  console.log(Math.max(...want.filter((v) => v <= have)));' "$PKG/package.json")
npm_bin=$(dirname "$(readlink -f "$(command -v npm)")")
node_gyp="$npm_bin/../node_modules/node-gyp/bin/node-gyp.js"
[ -f "$node_gyp" ] || node_gyp=$(node -p 'require.resolve("node-gyp/bin/node-gyp.js")' 2>/dev/null) ||
  die "node-gyp not found (it ships inside npm)"
nodedir_arg=()
prefix=${NODEDIR:-$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")}
if [ -f "$prefix/include/node/node_api.h" ]; then nodedir_arg=(--nodedir="$prefix"); fi
say "node-pre-gyp rebuild --build-latest-napi-version-only (N-API $napi) ${nodedir_arg[*]} --jobs=$JOBS"
(cd "$PKG" && npm_config_node_gyp="$node_gyp" node node_modules/@mapbox/node-pre-gyp/bin/node-pre-gyp \
  rebuild --build-latest-napi-version-only "${nodedir_arg[@]}" --jobs="$JOBS" >"$CACHE/build.log" 2>&1) ||
  { tail -40 "$CACHE/build.log" >&2; die "compiling the binding failed (log: $CACHE/build.log)"; }
[ -f "$PKG/lib/napi-v$napi/tfjs_binding.node" ] || die "no lib/napi-v$napi/tfjs_binding.node after the build"
rm -rf "$PKG/build" "$PKG"/build-tmp-napi-v*
# The headers are needed only to compile (236 MB for 2.20); KEEP_HEADERS=1 keeps them.
[ "${KEEP_HEADERS:-0}" = 1 ] || rm -rf "$PKG/deps/include"

# 5. Two fixes in tfjs-node's JavaScript for ops whose behaviour changed after TF 2.9.1 (the
#    version tfjs-node 4.22 was tested with); PATCH_JS=0 leaves the package as published.
#    - Round on int32: TF 2.20's Round kernel returns zeros for integer inputs (2.9.1 and 2.15.1
#      return the input); tfjs-node sends int32 Round to TF, so it runs Identity instead.
#    - TensorBoard histograms of a constant tensor concat three scalars, which ConcatV2 rejects
#      since TF 2.1x ("Can't concatenate scalars"); stack them instead.
if [ "${PATCH_JS:-1}" = 1 ]; then
  say "patching dist/kernels/Round.js (int32) and dist/nodejs_kernel_backend.js (histogram buckets)"
  node -e '
    const fs = require("fs"), path = require("path"), dir = process.argv[1];
    const edits = [
      ["dist/kernels/Round.js", "return backend.executeSingleInput(tfjs_1.Round, x);",
       "return backend.executeSingleInput(x.dtype === \x22int32\x22 ? \x22Identity\x22 : tfjs_1.Round, x);"],
      ["dist/nodejs_kernel_backend.js", "return tf.concat([bucketStart, bucketEnd, bucketCounts_1]).reshape([1, 3]);",
       "return tf.stack([bucketStart, bucketEnd, bucketCounts_1]).reshape([1, 3]);"],
    ];
    for (const [file, from, to] of edits) {
      const f = path.join(dir, file), src = fs.readFileSync(f, "utf8");
      if (src.split(from).length !== 2) throw new Error(file + ": expected exactly one `" + from + "`");
      fs.writeFileSync(f, src.replace(from, to));
    }' "$PKG"
fi

# 6. The install script must not run again (it would download libtensorflow).
say "replacing the package's install script with a no-op"
node -e '
  const fs = require("fs"); const f = process.argv[1]; const p = JSON.parse(fs.readFileSync(f, "utf8"));
  p.scripts["install-download"] = p.scripts.install;
  p.scripts.install = "node -e \"\"";
  p.tfWheelBuild = JSON.parse(process.argv[2]);
  fs.writeFileSync(f, JSON.stringify(p, null, 2) + "\n");' "$PKG/package.json" "$WANT"
printf '%s' "$WANT" >"$STAMP"
say "built $PKG ($(du -sh "$PKG" | cut -f1))"
smoke_test
