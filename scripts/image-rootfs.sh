#!/usr/bin/env bash
# Assembles the appliance root filesystem (it runs from the initramfs) and packs it as a newc cpio.
# Layers, later ones win: busybox-static, glibc + libstdc++ + libgcc (the executable is a glibc program),
# image/rootfs (/init, passwd, profile), the console overlay (rootfs-overlay/), and the `ha` executable at /usr/lib/ha/ha (its addons beside it; Node
# resolves them from the real path of the executable) linked as /usr/bin/ha.
#
# State (image/rootfs/usr/libexec/appliance-state): e2fsck and its libraries from e2fsprogs, dropbear (SSH on
# 22222, as HAOS) and its libraries, and the kernel
# modules MODULES names with their dependencies (modinfo `depends=`), loaded in order from /lib/modules/ha/load.
#
# Usage: scripts/image-rootfs.sh ROOTS_DIR EXE_DIR OUT.cpio.gz [KERNEL_DIR]
#   ROOTS_DIR  unpacked Debian packages of the board's architecture (scripts/image-fetch-debs.sh)
#   EXE_DIR    out/exe/linux-<arch> (ha, *.node)
#   KERNEL_DIR unpacked linux-image package whose modules MODULES (env, space-separated) names
set -euo pipefail

[ $# -eq 3 ] || [ $# -eq 4 ] || { sed -n '10,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
ROOTS="$1"; EXE_DIR="$2"; OUT="$3"; KERNEL_DIR="${4:-}"
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/image-rootfs.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
ROOT="$WORK/root"
mkdir -p "$ROOT/bin" "$ROOT/usr/lib/ha" "$ROOT/usr/bin"

cp "$ROOTS/busybox-static/bin/busybox" "$ROOT/bin/busybox"
ln -s busybox "$ROOT/bin/sh"
LIB_PKGS=(libc6 libstdc++6 libgcc-s1)
[ ! -d "$ROOTS/e2fsprogs" ] || LIB_PKGS+=(libext2fs2 libcom-err2 libblkid1 libuuid1)
[ ! -d "$ROOTS/dropbear-bin" ] || LIB_PKGS+=(libcrypt1 libtomcrypt1 libtommath1 libgmp10 zlib1g)
for pkg in "${LIB_PKGS[@]}"; do
  # Only the shared libraries and the loader: no docs, locales or gconv modules.
  (cd "$ROOTS/$pkg" && find . \( -path ./usr/share -o -path '*/gconv' -o -path ./usr/libexec -o -path ./usr/bin -o -path ./sbin \) -prune \
    -o \( -type f -o -type l \) -print) | while IFS= read -r file; do
    mkdir -p "$ROOT/$(dirname "$file")"
    cp -a "$ROOTS/$pkg/$file" "$ROOT/$file"
  done
done

if [ -d "$ROOTS/e2fsprogs" ]; then
  mkdir -p "$ROOT/usr/sbin"
  cp "$ROOTS/e2fsprogs/sbin/e2fsck" "$ROOT/usr/sbin/e2fsck"
fi
if [ -d "$ROOTS/dropbear-bin" ]; then
  mkdir -p "$ROOT/usr/sbin"
  cp "$ROOTS/dropbear-bin/usr/sbin/dropbear" "$ROOT/usr/sbin/dropbear"
fi
if [ -n "$KERNEL_DIR" ] && [ -n "${MODULES:-}" ]; then
  mkdir -p "$ROOT/lib/modules/ha"
  # Depth-first: a module's dependencies are listed (and loaded) before it.
  add_module() {
    local name="$1" ko dep
    grep -qx "$name" "$ROOT/lib/modules/ha/load" 2>/dev/null && return 0
    ko="$(find "$KERNEL_DIR/lib/modules" -name "$name.ko" -o -name "${name//_/-}.ko" | head -n 1)"
    [ -n "$ko" ] || { echo "image-rootfs: kernel module $name not found" >&2; exit 1; }
    for dep in $(tr '\0' '\n' <"$ko" | sed -n 's/^depends=//p' | tr ',' ' '); do add_module "${dep//-/_}"; done
    cp "$ko" "$ROOT/lib/modules/ha/$name.ko"
    echo "$name" >>"$ROOT/lib/modules/ha/load"
  }
  for module in $MODULES; do add_module "$module"; done
fi
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
