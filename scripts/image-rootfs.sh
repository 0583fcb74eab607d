#!/usr/bin/env bash
# Assembles the appliance root filesystem (it runs from the initramfs) and packs it as a newc cpio.
# Layers, later ones win: busybox-static, glibc + libstdc++ + libgcc (the executable is a glibc program),
# image/rootfs (/init, passwd, profile), the console overlay (rootfs-overlay/), and the `ha` executable at /usr/lib/ha/ha (its addons beside it; Node
# resolves them from the real path of the executable) linked as /usr/bin/ha.
#
# State (image/rootfs/usr/libexec/appliance-state): programs from Debian packages, each with the shared
# libraries it needs (ELF NEEDED, recursively, found by soname in the library packages LIB_SEARCH names; a
# soname none of them has fails the build): e2fsck and resize2fs (e2fsprogs), sfdisk (fdisk), dropbear (SSH on
# 22222, as HAOS), systemd-journald, journalctl and systemd-cat (systemd, with libsystemd-shared), and the kernel
# modules MODULES names with their dependencies (modinfo `depends=`), loaded in order from /lib/modules/ha/load.
#
# Usage: scripts/image-rootfs.sh ROOTS_DIR EXE_DIR OUT.cpio.gz [KERNEL_DIR]
#   ROOTS_DIR  unpacked Debian packages of the board's architecture (scripts/image-fetch-debs.sh)
#   EXE_DIR    out/exe/linux-<arch> (ha, *.node)
#   KERNEL_DIR unpacked linux-image package whose modules MODULES (env, space-separated) names
set -euo pipefail

[ $# -eq 3 ] || [ $# -eq 4 ] || { sed -n '13,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
ROOTS="$1"; EXE_DIR="$2"; OUT="$3"; KERNEL_DIR="${4:-}"
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

# Shared libraries by soname: LIB_SEARCH's packages only (ROOTS also holds other boards' and older packages).
LIB_SEARCH=(libc6 libstdc++6 libgcc-s1 libext2fs2 libcom-err2 libblkid1 libuuid1 libcrypt1 libtomcrypt1 libtommath1
  libgmp10 zlib1g libsystemd-shared libacl1 libcap2 libgcrypt20 libgpg-error0 libip4tc2 libkmod2 liblz4-1 libmount1
  libssl3 libpam0g libaudit1 libcap-ng0 libseccomp2 libselinux1 libpcre2-8-0 libzstd1 liblzma5 libfdisk1
  libsmartcols1 libreadline8 libtinfo6)
SONAMES="$WORK/sonames"
for pkg in "${LIB_SEARCH[@]}"; do
  [ -d "$ROOTS/$pkg" ] || continue
  (cd "$ROOTS/$pkg" && find . -name '*.so*' \( -type f -o -type l \) -printf "%f\t$pkg\t%p\n")
done >"$SONAMES"
# add_libs ELF: copies every library ELF needs (and theirs) at its path in its package (so RUNPATHs such as
# libsystemd-shared's /usr/lib/<triplet>/systemd hold), symlinks resolved.
add_libs() {
  local soname pkg path
  for soname in $(objdump -p "$1" | awk '$1 == "NEEDED" { print $2 }'); do
    IFS=$'\t' read -r _ pkg path < <(awk -F '\t' -v n="$soname" '$1 == n { print; exit }' "$SONAMES") || true
    [ -n "${pkg:-}" ] || { echo "image-rootfs: $soname (needed by ${1#"$ROOT"}) is in none of LIB_SEARCH's packages" >&2; exit 1; }
    [ -e "$ROOT/$path" ] && continue
    mkdir -p "$ROOT/$(dirname "$path")"
    cp -L "$ROOTS/$pkg/$path" "$ROOT/$path"
    add_libs "$ROOT/$path"
  done
}
# add_program PKG PATH-IN-PKG DEST
add_program() {
  [ -f "$ROOTS/$1/$2" ] || { echo "image-rootfs: $2 not in package $1" >&2; exit 1; }
  mkdir -p "$ROOT/$(dirname "$3")"
  cp "$ROOTS/$1/$2" "$ROOT/$3"
  add_libs "$ROOT/$3"
}
add_program e2fsprogs sbin/e2fsck /usr/sbin/e2fsck
add_program e2fsprogs sbin/resize2fs /usr/sbin/resize2fs
add_program fdisk sbin/sfdisk /usr/sbin/sfdisk
add_program dropbear-bin usr/sbin/dropbear /usr/sbin/dropbear
add_program systemd lib/systemd/systemd-journald /usr/lib/systemd/systemd-journald
add_program systemd bin/journalctl /usr/bin/journalctl
add_program systemd usr/bin/systemd-cat /usr/bin/systemd-cat
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
