#!/usr/bin/env bash
# Builds the mock's image (sfjwt/mock:local) from container/Dockerfile. The build context is staged
# on the host in container/.build/ (git-ignored): the app's runtime sources without their tests,
# and its production node_modules installed there with `npm ci --omit=dev --ignore-scripts` (from
# npm's cache when it has them), so nothing inside the build needs a network, npm or a shell.
#
#   container/build.sh [--base IMAGE] [--tag IMAGE]
#
# --base defaults to node:20-bookworm-slim (pulled if missing); on a site with no registry, build
# sfjwt/node-base:local first with container/build-base-image.sh and pass --base sfjwt/node-base:local.
# The staged node_modules are this machine's: build on the CPU architecture the image will run on.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd -P)
repo=$(dirname "$here")
base=node:20-bookworm-slim
tag=sfjwt/mock:local
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base=${2:?--base needs an image name}; shift 2 ;;
    --tag) tag=${2:?--tag needs an image name}; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument \"$1\" (try --help)" >&2; exit 2 ;;
  esac
done

fail() { echo "build.sh: $1" >&2; [ $# -lt 2 ] || echo "  → $2" >&2; exit 2; }
command -v npm >/dev/null || fail "npm is not installed" "Install Node.js 20 with npm."
command -v docker >/dev/null || fail "the docker command is not installed" "Install docker.io, or Docker Engine."
docker info >/dev/null 2>&1 || fail "the Docker engine does not answer (docker info failed)" "Start it (e.g. dockerd), or check DOCKER_HOST."

start=$(date +%s)
stage="$here/.build"
context="$stage/context"
rm -rf "$stage"
mkdir -p "$context/app" "$context/state"
# An empty folder does not survive every builder's COPY: this file makes /var/lib/sfjwt exist.
printf 'sfjwt state folder: the local CA (tls/) and the default world key pair (keys/), made on first start.\n' > "$context/state/README"

# What `npm pack` would ship (package.json "files"), minus tests and their golden files.
for item in bin src mock-server scenarios sfjwt.config.schema.json package.json package-lock.json; do
  cp -R "$repo/$item" "$context/app/"
done
find "$context/app" \( -name '*.test.ts' -o -name '__golden__' -o -name '__snapshots__' \) -prune -exec rm -rf {} +

(
  cd "$context/app"
  # Dropped from the staged package.json and lock file only (no install): testcontainers, which the
  # host-side testcontainers module imports only when used (the image needs no Docker client), and
  # typescript, a dev tool that msw's optional peer dependency would otherwise keep (23 MB).
  npm uninstall testcontainers typescript --package-lock-only --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error
  npm ci --omit=dev --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error
) || fail "npm could not install the production dependencies into $context/app" "Run npm ci once with registry access (it fills npm's cache), then build again."
staged=$(du -sm "$context" | cut -f1)
echo "staged the build context in $(( $(date +%s) - start )) s: ${staged} MB in $context"

# The legacy builder needs no buildx plugin and does all this Dockerfile asks (it has no RUN).
builder=()
docker buildx version >/dev/null 2>&1 || builder=(env DOCKER_BUILDKIT=0)
previous=$(docker image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)
"${builder[@]}" docker build --quiet --file "$here/Dockerfile" --build-arg "BASE_IMAGE=$base" --tag "$tag" "$context" >/dev/null \
  || fail "docker build of $tag from $base failed" "Without registry access, build the base first: container/build-base-image.sh, then container/build.sh --base sfjwt/node-base:local"
# The image this one replaces, untagged now: removed unless a container still uses it.
if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect --format '{{.Id}}' "$tag")" ]; then
  docker image rm "$previous" >/dev/null 2>&1 || true
fi
size=$(docker image inspect --format '{{.Size}}' "$tag" | awk '{ printf "%.0f MB", $1 / 1e6 }')
echo "built $tag from $base: $size, in $(( $(date +%s) - start )) s"
