#!/usr/bin/env bash
# Builds a local base image for the mock's container from this machine's own Node.js, for sites
# that cannot pull node:20-bookworm-slim: a root file system with the node binary and exactly the
# shared libraries `ldd` lists for it, /etc/passwd and /etc/group with the non-root user the app
# runs as (uid/gid 10001 "sfjwt"), a writable /tmp (1777) and /var/lib/sfjwt owned by 10001, put
# into Docker with `docker import`. No shell, no package manager: nothing but node runs in it.
#
#   container/build-base-image.sh [--tag IMAGE] [--node PATH]
#
# Defaults: --tag sfjwt/node-base:local, --node the `node` on PATH. Then:
#   container/build.sh --base sfjwt/node-base:local
set -euo pipefail

tag=sfjwt/node-base:local
node_bin=$(command -v node || true)
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag=${2:?--tag needs an image name}; shift 2 ;;
    --node) node_bin=${2:?--node needs the path of a node binary}; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "build-base-image.sh: unknown argument \"$1\" (try --help)" >&2; exit 2 ;;
  esac
done

fail() { echo "build-base-image.sh: $1" >&2; [ $# -lt 2 ] || echo "  → $2" >&2; exit 2; }
[ -n "$node_bin" ] || fail "no node on PATH" "Install Node.js 20.19 or later, or pass --node /path/to/node."
[ -x "$node_bin" ] || fail "$node_bin is not an executable file" "Pass --node with the path of a node binary."
command -v ldd >/dev/null || fail "ldd is not installed" "Install libc-bin (Debian) or glibc-tools."
command -v docker >/dev/null || fail "the docker command is not installed" "Install docker.io, or Docker Engine."
docker info >/dev/null 2>&1 || fail "the Docker engine does not answer (docker info failed)" "Start it (e.g. dockerd), or check DOCKER_HOST."
# The real file, not a symlink such as /usr/bin/node -> /etc/alternatives/node.
node_bin=$(readlink -f "$node_bin")
version=$("$node_bin" --version)
"$node_bin" -e 'const [major, minor] = process.versions.node.split(".").map(Number); process.exit(major > 20 || (major === 20 && minor >= 19) ? 0 : 1)' \
  || fail "$node_bin is Node.js $version; sfjwt needs 20.19 or later" "Pass --node with a newer node binary."

root=$(mktemp -d "${TMPDIR:-/tmp}/sfjwt-base.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/bin" "$root/etc" "$root/tmp" "$root/var/lib/sfjwt" "$root/app"
cp "$node_bin" "$root/usr/bin/node"
chmod 0755 "$root/usr/bin/node"

# Every library the dynamic loader will map, copied to the same path (dereferenced: the image has
# none of the host's symlink farm), the loader itself included (ldd lists it without "=>").
# A static node needs none ("not a dynamic executable"); a library ldd cannot find is an error.
listing=$(ldd "$node_bin" 2>&1 || true)
if printf '%s\n' "$listing" | grep -q 'not found'; then
  fail "ldd cannot find every library $node_bin needs:" "$(printf '%s\n' "$listing" | grep 'not found' | tr -s ' \t' ' ')"
fi
libs=$(printf '%s\n' "$listing" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u)
for lib in $libs; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done

cat > "$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/usr/sbin/nologin
sfjwt:x:10001:10001:sfjwt mock org:/var/lib/sfjwt:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
cat > "$root/etc/group" <<'EOF'
root:x:0:
sfjwt:x:10001:
nogroup:x:65534:
EOF
# Name lookups (localhost) from /etc/hosts, which Docker provides, then DNS.
printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"
chmod 1777 "$root/tmp"
chmod 0755 "$root/var/lib/sfjwt" "$root/app"

# Ownership is set in the archive (root everywhere, 10001 on /var/lib/sfjwt), so this script needs
# no root of its own; a fixed mtime and sorted names make the same inputs give the same archive.
archive="$root.tar"
trap 'rm -rf "$root" "$archive"' EXIT
tar --create --file "$archive" --directory "$root" --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 --exclude=./var/lib/sfjwt .
tar --append --file "$archive" --directory "$root" --sort=name --mtime=@0 --numeric-owner --owner=10001 --group=10001 ./var/lib/sfjwt

# The same node and libraries make the same archive: an image made from it is kept, not re-made
# (a new image would orphan the app images built on the old one).
digest=$(sha256sum "$archive" | cut -c1-64)
if [ "$(docker image inspect --format '{{ index .Config.Labels "sfjwt.base.digest" }}' "$tag" 2>/dev/null || true)" = "$digest" ]; then
  echo "$tag is up to date (Node.js $version, archive sha256 ${digest:0:12})"
  exit 0
fi
start=$(date +%s)
previous=$(docker image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)
docker import \
  --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
  --change 'ENV NODE_ENV=production' \
  --change 'WORKDIR /app' \
  --change 'USER 10001:10001' \
  --change 'CMD ["node"]' \
  --change "LABEL sfjwt.base.digest=$digest" \
  --message "sfjwt base: $version from $node_bin" \
  "$archive" "$tag" >/dev/null
docker run --rm --network none "$tag" node -e 'process.exit(process.getuid() === 10001 ? 0 : 1)' \
  || fail "the image $tag was built but node does not run in it as uid 10001" "Check that every library ldd lists was found: ldd $node_bin"
# The image this one replaces: removed unless an image built on it (or a container) still needs it.
if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect --format '{{.Id}}' "$tag")" ]; then
  docker image rm "$previous" >/dev/null 2>&1 || true
fi
echo "built $tag: Node.js $version, $(docker image inspect --format '{{.Size}}' "$tag" | awk '{ printf "%.0f MB", $1 / 1e6 }'), in $(( $(date +%s) - start )) s"
