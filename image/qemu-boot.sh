#!/usr/bin/env bash
# Boots this board's image under QEMU (TCG, no KVM needed): the kernel and initramfs of the boot partition,
# the disk image attached as a virtio disk, the first serial console on stdio (Ctrl-A X quits,
# Ctrl-A C toggles the QEMU monitor). `-no-reboot`: a reboot of the appliance ends QEMU.
#
# Usage: boot.sh [--disk PATH] [--serial-socket PATH] [--monitor-socket PATH] [--snapshot] [-- EXTRA-QEMU-ARGS...]
#     [--config-image PATH] [--ssh-port PORT]
#   --disk           another copy of disk.img (a test's own, written by the machine)
#   --config-image   a CONFIG stick (a disk image with a file system labelled CONFIG), attached read-only
#   --ssh-port       user networking (restrict=on: no way out) with 127.0.0.1:PORT forwarded to the SSH port 22222
#   --serial-socket  serial console on a unix socket instead (QEMU waits for a client before it starts)
#   --monitor-socket QEMU monitor on a unix socket (screendump, sendkey...)
#   --snapshot       writes to the disk are discarded when QEMU ends
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=/dev/null
. "$HERE/board.env"

SERIAL=(-serial mon:stdio)
MONITOR=()
DISK="$HERE/disk.img"
SNAPSHOT=""
EXTRA=()
NIC=(-nic none)
while [ $# -gt 0 ]; do
  case "$1" in
    --serial-socket) SERIAL=(-chardev "socket,id=ser0,path=$2,server=on,wait=on" -serial chardev:ser0); shift 2 ;;
    --monitor-socket) MONITOR=(-monitor "unix:$2,server=on,wait=off"); shift 2 ;;
    --disk) DISK="$2"; shift 2 ;;
    --config-image) EXTRA+=(-drive "file=$2,format=raw,if=virtio,readonly=on"); shift 2 ;;
    --ssh-port) NIC=(-nic "user,model=virtio-net-pci,restrict=on,hostfwd=tcp:127.0.0.1:$2-:22222")
      CMDLINE="$CMDLINE ha.net=10.0.2.15/24,10.0.2.2"; shift 2 ;;
    --snapshot) SNAPSHOT=",snapshot=on"; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '6,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "boot.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
DRIVE="file=$DISK,format=raw,if=virtio$SNAPSHOT"
command -v "$QEMU_SYSTEM" >/dev/null || { echo "boot.sh: $QEMU_SYSTEM not found (apt-get install qemu-system-x86 qemu-system-arm)" >&2; exit 1; }

# shellcheck disable=SC2086 # QEMU_MACHINE is a list of arguments
exec "$QEMU_SYSTEM" $QEMU_MACHINE -accel tcg -smp 1 -no-reboot -display none "${NIC[@]}" \
  -kernel "$HERE/boot/vmlinuz" -initrd "$HERE/boot/initramfs.cpio.gz" -append "$CMDLINE" \
  -drive "$DRIVE" "${EXTRA[@]}" "${SERIAL[@]}" "${MONITOR[@]}" "$@"
