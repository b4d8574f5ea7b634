#!/usr/bin/env bash
# Builds the mock's image (sfjwt/mock:local) from container/Dockerfile. The build context is staged
# on the host in container/.build/ (git-ignored): the package as `npm pack` makes it (dist/ compiled
# by `npm run build`; no sources, no tests), unpacked, and its production node_modules installed
# there with `npm ci --omit=dev --ignore-scripts` (from npm's cache when it has them; no tsx, no
# TypeScript), so nothing inside the build needs a network, npm or a shell.
#
#   container/build.sh [--base IMAGE] [--tag IMAGE] [--stage-only]
#
# --stage-only stages the context and stops (no Docker needed): to see what the image would hold.
# --base defaults to node:20-bookworm-slim (pulled if missing); on a site with no registry, build
# sfjwt/node-base:local first with container/build-base-image.sh and pass --base sfjwt/node-base:local.
# The staged node_modules are this machine's; none of the production dependencies has a native
# binary today, but build on the CPU architecture the image will run on all the same.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd -P)
repo=$(dirname "$here")
base=node:20-bookworm-slim
tag=sfjwt/mock:local
stage_only=false
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base=${2:?--base needs an image name}; shift 2 ;;
    --tag) tag=${2:?--tag needs an image name}; shift 2 ;;
    --stage-only) stage_only=true; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument \"$1\" (try --help)" >&2; exit 2 ;;
  esac
done

fail() { echo "build.sh: $1" >&2; [ $# -lt 2 ] || echo "  → $2" >&2; exit 2; }
command -v npm >/dev/null || fail "npm is not installed" "Install Node.js 20 with npm."
if [ "$stage_only" = false ]; then
  command -v docker >/dev/null || fail "the docker command is not installed" "Install docker.io, or Docker Engine."
  docker info >/dev/null 2>&1 || fail "the Docker engine does not answer (docker info failed)" "Start it (e.g. dockerd), or check DOCKER_HOST."
fi

start=$(date +%s)
stage="$here/.build"
context="$stage/context"
rm -rf "$stage"
mkdir -p "$context/app" "$context/state"
# An empty folder does not survive every builder's COPY: this file makes /var/lib/sfjwt exist.
printf 'sfjwt state folder: the local CA (tls/) and the default world key pair (keys/), made on first start.\n' > "$context/state/README"

# The package users install (package.json "files": bin/, dist/, the catalogue, the config schema),
# unpacked, with the lock file beside it to pin the production dependencies. dist/ is built by name
# and packed without scripts, so that an npm configured with ignore-scripts still packs a fresh dist/.
(cd "$repo" && npm run build --silent && npm pack --pack-destination "$stage" --ignore-scripts --loglevel=error >/dev/null) \
  || fail "building or packing the package in $repo failed (see above)" "npm run build there shows what tsc says."
tar -xzf "$stage"/sfjwt-*.tgz -C "$context/app" --strip-components=1
cp "$repo/package-lock.json" "$context/app/"

(
  cd "$context/app"
  # Dropped from the staged package.json and lock file only (no install): testcontainers, the
  # optional peer that only the host side of a test suite imports (the image needs no Docker
  # client), and typescript, a dev tool that msw's optional peer dependency would otherwise keep (23 MB).
  npm uninstall testcontainers typescript --package-lock-only --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error
  npm ci --omit=dev --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error
) || fail "npm could not install the production dependencies into $context/app" "Run npm ci once with registry access (it fills npm's cache), then build again."
staged=$(du -sm "$context" | cut -f1)
echo "staged the build context in $(( $(date +%s) - start )) s: ${staged} MB in $context"
[ "$stage_only" = false ] || exit 0

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
