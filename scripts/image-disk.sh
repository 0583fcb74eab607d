#!/usr/bin/env bash
# Builds the board's disk image in HAOS's layout with scripts/make-test-image (genimage): hassos-boot,
# hassos-kernel0/1 and hassos-system0/1 (stand-ins: the A/B machinery is not used, QEMU and the Pi firmware
# boot the kernel and initramfs straight from hassos-boot), hassos-bootstate (empty), hassos-overlay, and
# hassos-data with a demo Home Assistant config, so offline recovery works on it. hassos-boot (vfat, label
# hassos-boot) holds BOOT_DIR and is grown past HAOS's 32M to fit it. The table is genimage's own, so a hybrid
# MBR (0x0C hassos-boot + 0xEE) stays as HAOS writes it. The image is sparse (~2 GB long, data 1280M as
# genimage leaves it; the appliance grows it on first boot).
#
# Usage: scripts/image-disk.sh BOOT_DIR OUT.img gpt|hybrid
set -euo pipefail

[ $# -eq 3 ] || { sed -n '10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
BOOT_DIR="$1"; OUT="$2"; TABLE="$3"
HERE="$(cd "$(dirname "$0")" && pwd)"
"$HERE/make-test-image" "$OUT.tmp" --table "$TABLE" --boot-dir "$BOOT_DIR" >&2
mv "$OUT.tmp" "$OUT"
echo "$OUT: $TABLE, $(du -h --apparent-size "$OUT" | cut -f1) long, $(du -h "$OUT" | cut -f1) on disk" >&2
