#!/usr/bin/env bash
# Assembles the appliance root filesystem (it runs from the initramfs) and packs it as a newc cpio.
# Layers, later ones win: busybox-static, glibc + libstdc++ + libgcc (the executable is a glibc program),
# image/rootfs (/init, passwd, profile), the console overlay (rootfs-overlay/), and the `ha` executable at /usr/lib/ha/ha (its addons beside it; Node
# resolves them from the real path of the executable) linked as /usr/bin/ha.
#
# Usage: scripts/image-rootfs.sh ROOTS_DIR EXE_DIR OUT.cpio.gz
#   ROOTS_DIR  unpacked Debian packages of the board's architecture (scripts/image-fetch-debs.sh)
#   EXE_DIR    out/exe/linux-<arch> (ha, *.node)
set -euo pipefail

[ $# -eq 3 ] || { sed -n '7,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
ROOTS="$1"; EXE_DIR="$2"; OUT="$3"
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/image-rootfs.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
ROOT="$WORK/root"
mkdir -p "$ROOT/bin" "$ROOT/usr/lib/ha" "$ROOT/usr/bin"

cp "$ROOTS/busybox-static/bin/busybox" "$ROOT/bin/busybox"
ln -s busybox "$ROOT/bin/sh"
for pkg in libc6 libstdc++6 libgcc-s1; do
  # Only the shared libraries and the loader: no docs, locales or gconv modules.
  (cd "$ROOTS/$pkg" && find . \( -path ./usr/share -o -path '*/gconv' -o -path ./usr/libexec -o -path ./usr/bin -o -path ./sbin \) -prune \
    -o \( -type f -o -type l \) -print) | while IFS= read -r file; do
    mkdir -p "$ROOT/$(dirname "$file")"
    cp -a "$ROOTS/$pkg/$file" "$ROOT/$file"
  done
done

cp -a "$REPO/image/rootfs/." "$ROOT/"
cp -a "$REPO/rootfs-overlay/." "$ROOT/"
# The overlay may also be laid out for systemd; busybox init reads only /etc/inittab.
[ -f "$ROOT/etc/inittab" ] || { echo "image-rootfs: no etc/inittab in the overlay" >&2; exit 1; }

cp "$EXE_DIR/ha" "$ROOT/usr/lib/ha/ha"
chmod 755 "$ROOT/usr/lib/ha/ha"
find "$EXE_DIR" -maxdepth 1 -name '*.node' -exec cp {} "$ROOT/usr/lib/ha/" \;
ln -sf ../lib/ha/ha "$ROOT/usr/bin/ha"

mkdir -p "$(dirname "$OUT")"
# gzip -1: the kernel inflates it under emulation at every boot; -1 is within a few % of -9 here.
(cd "$ROOT" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) | gzip -1 >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
