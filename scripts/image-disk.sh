#!/usr/bin/env bash
# Builds the board's disk image: the HAOS-like layout of scripts/make-test-image (hassos-boot, empty A/B
# slots, hassos-overlay, hassos-data with a demo Home Assistant config, so offline recovery works on it),
# with the boot partition grown to hold BOOT_DIR (kernel, initramfs, firmware...) as a vfat `hassos-boot`.
#
# Usage: scripts/image-disk.sh BOOT_DIR OUT.img gpt|mbr
# Env: IMAGE_DATA_SIZE (size handed to make-test-image, default 512M).
set -euo pipefail

[ $# -eq 3 ] || { sed -n '6,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
BOOT_DIR="$1"; OUT="$2"; TABLE="$3"
HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/image-disk.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
SECTORS_PER_MIB=2048

"$HERE/make-test-image" "$WORK/base.img" --size "${IMAGE_DATA_SIZE:-512M}" --table "$TABLE" >&2

# Boot filesystem: contents + 15 % + 8 MiB for FAT overhead, rounded to whole MiB.
content_kib=$(du -sk --apparent-size "$BOOT_DIR" | cut -f1)
BOOT_MIB=$(( (content_kib * 115 / 100 / 1024) + 8 ))
mkfs.vfat -C -n HASSOS-BOOT "$WORK/boot.vfat" $((BOOT_MIB * 1024)) >/dev/null
mcopy -s -i "$WORK/boot.vfat" "$BOOT_DIR"/* ::/

# Re-lay the partition table: partition 1 grows, every later partition moves by the same amount.
sfdisk -d "$WORK/base.img" >"$WORK/base.dump"
old_boot_sectors=$(awk -F'size= *' '/^[^ ]*1 : / { split($2, a, ","); print a[1] }' "$WORK/base.dump")
delta=$(( BOOT_MIB * SECTORS_PER_MIB - old_boot_sectors ))
[ "$delta" -ge 0 ] || delta=0
[ "$delta" -gt 0 ] || BOOT_MIB=$(( old_boot_sectors / SECTORS_PER_MIB ))
awk -v delta="$delta" -v boot="$((BOOT_MIB * SECTORS_PER_MIB))" '
  /^(device|last-lba):/ { next }
  / : start=/ {
    match($0, /start= *[0-9]+/); start = substr($0, RSTART + 6, RLENGTH - 6) + 0
    match($0, /size= *[0-9]+/); size = substr($0, RSTART + 5, RLENGTH - 5) + 0
    sub(/^[^ ]* : /, "")
    if (++n == 1) { sub(/size= *[0-9]+/, "size=" boot) } else { sub(/start= *[0-9]+/, "start=" (start + delta)) }
    print; next
  }
  { print }' "$WORK/base.dump" >"$WORK/new.dump"

base_bytes=$(stat -c %s "$WORK/base.img")
rm -f "$OUT.tmp"
truncate -s $(( base_bytes + delta * 512 )) "$OUT.tmp"
sfdisk -q --no-reread --no-tell-kernel "$OUT.tmp" <"$WORK/new.dump" >/dev/null

# Copy every partition but the boot one from the base image to its new place, sparsely.
sfdisk -J "$WORK/base.img" | node -e '
  const table = JSON.parse(require("fs").readFileSync(0, "utf8")).partitiontable;
  for (const p of table.partitions.slice(1)) console.log(p.start, p.size);
' | while read -r start size; do
  # make-test-image aligns every partition to 1 MiB, so whole-MiB blocks copy it exactly.
  dd if="$WORK/base.img" of="$OUT.tmp" bs=1M skip=$((start / SECTORS_PER_MIB)) seek=$(((start + delta) / SECTORS_PER_MIB)) \
    count=$((size / SECTORS_PER_MIB)) conv=notrunc,sparse status=none
done
boot_start=$(sfdisk -J "$OUT.tmp" | node -e 'console.log(JSON.parse(require("fs").readFileSync(0, "utf8")).partitiontable.partitions[0].start)')
dd if="$WORK/boot.vfat" of="$OUT.tmp" bs=1M seek=$((boot_start / SECTORS_PER_MIB)) conv=notrunc,sparse status=none
mv "$OUT.tmp" "$OUT"
echo "$OUT: $TABLE, boot partition ${BOOT_MIB} MiB" >&2
