#!/usr/bin/env bash
# `npm run build:image -- BOARD`: a bootable appliance image for BOARD (qemu-x86_64, qemu-arm64, rpi3,
# rpi4) in out/BOARD/, from Debian packages (kernel, busybox-static, glibc, raspi-firmware), our `ha`
# executable (npm run build:exe) and the console overlay (rootfs-overlay/):
#   out/BOARD/disk.img   HAOS's layout (scripts/image-disk.sh, genimage; hybrid MBR on rpi3/rpi4, GPT on QEMU):
#                        hassos-boot (vfat: kernel, initramfs, firmware, config), A/B slots (stand-ins),
#                        bootstate, hassos-overlay, hassos-data with a demo config (offline recovery works on it)
#   out/BOARD/boot/      the files of the boot partition
#   out/BOARD/boot.sh    QEMU boards only: boots the image, first serial console on stdio, -no-reboot
# Downloaded .deb files are cached in out/cache/image (a rebuild is offline).
# Needs: apt-get, dpkg-deb, cpio, gzip, objdump (binutils), genimage, sfdisk, mkfs.vfat, mtools, squashfs-tools, erofs-utils, e2fsprogs, node.
set -euo pipefail

usage() { echo "usage: npm run build:image -- qemu-x86_64|qemu-arm64|rpi3|rpi4" >&2; exit 2; }
[ $# -eq 1 ] || usage
BOARD="$1"
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
CONF="$REPO/image/boards/$BOARD.conf"
[ -f "$CONF" ] || { echo "build-image: unknown board '$BOARD'" >&2; usage; }
TABLE=gpt
DTBS=""
# Kernel modules in the initramfs (with their dependencies): the disk and its file systems. crc32c is asked
# for through the crypto API by ext4 and jbd2 (no modprobe in the image), so it is named here.
MODULES="crc32c_generic ext4 vfat nls_cp437 nls_ascii"
BOARD_MODULES=""
# shellcheck source=/dev/null
. "$CONF"
for tool in apt-get dpkg-deb cpio gzip objdump genimage sfdisk mkfs.vfat mcopy mksquashfs mkfs.erofs mkfs.ext4 node; do
  command -v "$tool" >/dev/null 2>&1 || { echo "build-image: $tool not found (apt-get install cpio binutils genimage fdisk dosfstools mtools squashfs-tools erofs-utils e2fsprogs)" >&2; exit 1; }
done
started=$(date +%s)
CACHE="$REPO/out/cache/image"
OUT="$REPO/out/$BOARD"
EXE_DIR="$REPO/out/exe/linux-$EXE_ARCH"

# 1. The executable: (re)built when missing or older than any source file.
if [ ! -x "$EXE_DIR/ha" ] || [ -n "$(find "$REPO/src" "$REPO/package.json" -newer "$EXE_DIR/ha" -print -quit)" ]; then
  echo "build-image: building the linux-$EXE_ARCH executable" >&2
  (cd "$REPO" && node scripts/build-exe.mjs "$EXE_ARCH") >&2
fi

# 2. Debian packages.
# Programs of the state (image-rootfs.sh takes each with the libraries it needs from the library packages):
# e2fsck + resize2fs, sfdisk (hassos-expand), dropbear, systemd-journald + journalctl + systemd-cat.
PKGS=(linux-image-"$DEB_ARCH" busybox-static libc6 libstdc++6 libgcc-s1 e2fsprogs libext2fs2 libcom-err2 libblkid1 libuuid1
  dropbear-bin libcrypt1 libtomcrypt1 libtommath1 libgmp10 zlib1g
  fdisk libfdisk1 libsmartcols1 libreadline8 libtinfo6
  systemd libsystemd-shared libacl1 libcap2 libgcrypt20 libgpg-error0 libip4tc2 libkmod2 liblz4-1 libmount1 libssl3
  libpam0g libaudit1 libcap-ng0 libseccomp2 libselinux1 libpcre2-8-0 libzstd1 liblzma5)
[ "$KIND" = rpi ] && PKGS+=(raspi-firmware)
declare -A ROOT_OF
while IFS=$'\t' read -r pkg dir; do ROOT_OF[$pkg]="$dir"; done < <("$HERE/image-fetch-debs.sh" "$CACHE" "$DEB_ARCH" "${PKGS[@]}")
KERNEL_ROOT=""
for pkg in "${!ROOT_OF[@]}"; do case "$pkg" in linux-image-*) KERNEL_ROOT="${ROOT_OF[$pkg]}" ;; esac; done
ROOTS="$CACHE/root-$DEB_ARCH"
# image-rootfs.sh looks packages up by name under ROOTS.
[ -d "$ROOTS/busybox-static" ] || { echo "build-image: busybox-static was not unpacked" >&2; exit 1; }

# 3. Boot files.
rm -rf "$OUT.new"
mkdir -p "$OUT.new/boot"
BOOT="$OUT.new/boot"
MODULES="$MODULES $BOARD_MODULES" "$HERE/image-rootfs.sh" "$ROOTS" "$EXE_DIR" "$BOOT/initramfs.cpio.gz" "$KERNEL_ROOT"
cp "$KERNEL_ROOT"/boot/vmlinuz-* "$BOOT/vmlinuz"
printf '%s\n' "$CMDLINE" >"$BOOT/cmdline.txt"
if [ "$KIND" = rpi ]; then
  cp "${ROOT_OF[raspi-firmware]}"/usr/lib/raspi-firmware/* "$BOOT/"
  for dtb in $DTBS; do cp "$KERNEL_ROOT"/usr/lib/linux-image-*/broadcom/"$dtb" "$BOOT/"; done
  sed -e "s/@KERNEL@/vmlinuz/" -e "s/@INITRAMFS@/initramfs.cpio.gz/" "$REPO/image/rpi/config.txt" >"$BOOT/config.txt"
fi

# 4. Disk image with the data partition.
"$HERE/image-disk.sh" "$BOOT" "$OUT.new/disk.img" "$TABLE"

# 5. QEMU launcher.
if [ "$KIND" = qemu ]; then
  {
    echo "# Board $BOARD, written by scripts/build-image.sh"
    printf 'QEMU_SYSTEM=%q\nQEMU_MACHINE=%q\nCMDLINE=%q\nSERIAL_DEVICE=%q\n' "$QEMU_SYSTEM" "$QEMU_MACHINE" "$CMDLINE" "$SERIAL"
  } >"$OUT.new/board.env"
  cp "$REPO/image/qemu-boot.sh" "$OUT.new/boot.sh"
  chmod 755 "$OUT.new/boot.sh"
fi

rm -rf "$OUT"
mv "$OUT.new" "$OUT"
echo "build-image: out/$BOARD ready in $(( $(date +%s) - started )) s (disk.img $(du -h --apparent-size "$OUT/disk.img" | cut -f1), initramfs $(du -h "$OUT/boot/initramfs.cpio.gz" | cut -f1))"
