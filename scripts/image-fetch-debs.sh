#!/usr/bin/env bash
# Downloads Debian packages for one architecture through a private apt configuration (its own sources list
# and package lists under the cache, so the host's apt state is neither needed nor touched) and unpacks
# each into CACHE/root-ARCH/PKG. Downloaded .deb files stay in CACHE/debs-ARCH: a rebuild is offline.
#
# Usage: scripts/image-fetch-debs.sh CACHE ARCH PKG...
#   PKG may be a metapackage such as linux-image-arm64: it is resolved to the package it depends on.
#   Prints one line per package: NAME<TAB>UNPACKED-DIR
# Env: DEBIAN_MIRROR (default http://deb.debian.org/debian), DEBIAN_SUITE (default bookworm),
#      IMAGE_APT_MAX_AGE_MIN (package lists older than this are refreshed; default 1440).
set -euo pipefail

[ $# -ge 3 ] || { sed -n '6,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
CACHE="$1"; ARCH="$2"; shift 2
mkdir -p "$CACHE"; CACHE="$(cd "$CACHE" && pwd)"  # apt resolves relative Dir:: paths against /etc/apt
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SUITE="${DEBIAN_SUITE:-bookworm}"
MAX_AGE_MIN="${IMAGE_APT_MAX_AGE_MIN:-1440}"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

APT_DIR="$CACHE/apt-$ARCH"
DEBS="$CACHE/debs-$ARCH"
ROOTS="$CACHE/root-$ARCH"
mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache" "$DEBS" "$ROOTS"
cat >"$APT_DIR/sources.list" <<EOF
deb [arch=$ARCH signed-by=$KEYRING] $MIRROR $SUITE main non-free-firmware
deb [arch=$ARCH signed-by=$KEYRING] $MIRROR $SUITE-updates main non-free-firmware
EOF
: >"$APT_DIR/status"
APT_OPTS=(
  -o "APT::Architecture=$ARCH" -o "APT::Architectures=$ARCH"
  -o "Dir::State::Lists=$APT_DIR/lists" -o "Dir::State::status=$APT_DIR/status"
  -o "Dir::Etc::SourceList=$APT_DIR/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::Cache=$APT_DIR/cache" -o "APT::Sandbox::User=root" -q
)

lists_fresh() {
  [ -n "$(find "$APT_DIR/lists" -maxdepth 1 -name '*_Packages*' -mmin "-$MAX_AGE_MIN" -print -quit)" ]
}
if ! lists_fresh; then
  apt-get "${APT_OPTS[@]}" update >&2 || { echo "image-fetch-debs: apt-get update failed for $ARCH ($MIRROR)" >&2; exit 1; }
fi

# Metapackages (linux-image-arm64) name the real package in their first dependency.
resolve() {
  local pkg="$1" dep
  case "$pkg" in
    linux-image-amd64|linux-image-arm64)
      dep="$(apt-cache "${APT_OPTS[@]}" depends "$pkg" | sed -n 's/^ *Depends: //p' | head -n 1)"
      [ -n "$dep" ] || { echo "image-fetch-debs: cannot resolve $pkg" >&2; exit 1; }
      echo "$dep" ;;
    *) echo "$pkg" ;;
  esac
}

for want in "$@"; do
  pkg="$(resolve "$want")"
  version="$(apt-cache "${APT_OPTS[@]}" policy "$pkg" | sed -n 's/^ *Candidate: //p')"
  [ -n "$version" ] && [ "$version" != "(none)" ] || { echo "image-fetch-debs: $pkg not available for $ARCH" >&2; exit 1; }
  file_version="${version//:/%3a}"
  deb="$(find "$DEBS" -maxdepth 1 -name "${pkg}_${file_version}_*.deb" -print -quit)"
  if [ -z "$deb" ]; then
    (cd "$DEBS" && apt-get "${APT_OPTS[@]}" download "$pkg=$version" >&2)
    deb="$(find "$DEBS" -maxdepth 1 -name "${pkg}_${file_version}_*.deb" -print -quit)"
    [ -n "$deb" ] || { echo "image-fetch-debs: download of $pkg $version left no file" >&2; exit 1; }
  fi
  dest="$ROOTS/$pkg"
  stamp="$dest/.from-$(basename "$deb")"
  if [ ! -e "$stamp" ]; then
    rm -rf "$dest"; mkdir -p "$dest"
    dpkg-deb -x "$deb" "$dest"
    : >"$stamp"
  fi
  printf '%s\t%s\n' "$pkg" "$dest"
done
