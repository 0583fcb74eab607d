import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { ApplianceContext } from './appliance-suite';
import type { QemuMachine } from './qemu-machine';

const STEP_TIMEOUT_MS = 30_000;
const ENTER = '\r';

/** A PPM (P6) screendump: size and how many pixels differ from the most common (background) colour. */
export function inkOf(ppm: Buffer): { width: number; height: number; inkPixels: number } {
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.subarray(0, 64).toString('latin1'));
  if (header === null) throw new Error('not a P6 PPM screendump');
  const width = Number(header[1]);
  const height = Number(header[2]);
  const pixels = ppm.subarray(header[0].length);
  const counts = new Map<number, number>();
  for (let i = 0; i + 2 < pixels.length; i += 3) {
    const rgb = ((pixels[i] ?? 0) << 16) | ((pixels[i + 1] ?? 0) << 8) | (pixels[i + 2] ?? 0);
    counts.set(rgb, (counts.get(rgb) ?? 0) + 1);
  }
  const background = Math.max(...counts.values());
  return { width, height, inkPixels: width * height - background };
}

async function screendump(machine: QemuMachine, name: string): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'ha-e2e-screendump-'));
  try {
    const file = join(dir, `${name}.ppm`);
    await machine.monitor(`screendump ${file}`);
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** QEMU `sendkey` names for the characters of a shell line. */
function keysOf(text: string): string[] {
  const names: Record<string, string> = { ' ': 'spc', '-': 'minus', '/': 'slash', '>': 'shift-dot', '.': 'dot' };
  return [...text].map((c) => names[c] ?? c);
}

async function typeOnTty1(machine: QemuMachine, text: string): Promise<void> {
  for (const key of [...keysOf(text), 'ret']) await machine.monitor(`sendkey ${key}`);
}

/** Polls screendumps until one differs from `before` (the screen reacted), for up to STEP_TIMEOUT_MS. */
async function screenChangedFrom(machine: QemuMachine, before: Buffer): Promise<boolean> {
  for (const deadline = Date.now() + STEP_TIMEOUT_MS; Date.now() < deadline; ) {
    if (!(await screendump(machine, 'after')).equals(before)) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

/**
 * A guest shell loop that waits (up to 25 s, polling) until `condition` holds, then prints `name-2` (computed, so
 * the echo of the typed line never matches it).
 */
function guestWait(condition: string, name: string): string {
  return `n=0; until ${condition}; do [ $n -ge 100 ] && break; n=$((n + 1)); sleep 0.25; done; ${condition} && echo "${name}-$((1 + 1))"`;
}

// A shell (not the console, not setsid) whose stdin is tty1 (a subshell: its exit is the test's status).
const SHELL_ON_TTY1 =
  '( for p in /proc/[0-9]*; do [ "$(readlink $p/fd/0 2>/dev/null)" = /dev/tty1 ] && grep -qxE "sh|ash|bash" $p/comm 2>/dev/null && exit 0; done; exit 1 )';

/**
 * tty1 (VGA text console) smoke test through the QEMU monitor: the console draws text on the screen,
 * Enter there changes it, and a line typed there (login, echo to the kernel log) is seen from the serial side.
 * Every wait is for an event (the screen changing, a shell on tty1, the line in the kernel log), as on a slow host.
 */
export function describeTty1(context: ApplianceContext): void {
  it('tty1: the console draws on the VGA screen and takes keys (screendump + sendkey)', async () => {
    const machine = context.machine();
    const before = await screendump(machine, 'before');
    const ink = inkOf(before);
    expect(ink.width).toBeGreaterThan(0);
    // Text on a blank screen: a few percent of the pixels are glyph ink.
    expect(ink.inkPixels).toBeGreaterThan(ink.width * ink.height * 0.005);

    await typeOnTty1(machine, '');
    expect(await screenChangedFrom(machine, before)).toBe(true);

    // One root shell on the serial line watches tty1: it says when a shell runs there, then waits for the line
    // typed there to reach the kernel log.
    const marker = `tty1-ok-${process.pid}`;
    await typeOnTty1(machine, 'login');
    let from = machine.mark() - 1;
    machine.type(`login${ENTER}`);
    await machine.waitFor(/# $/m, STEP_TIMEOUT_MS, from);
    from = machine.mark() - 1;
    machine.type(`${guestWait(SHELL_ON_TTY1, 'tty1-shell')}; ${guestWait(`dmesg | grep -q ${marker}`, 'tty1-line')}; dmesg | grep ${marker}; echo "done-$((6 * 7))"${ENTER}`);
    await machine.waitFor(/^tty1-shell-2$/m, STEP_TIMEOUT_MS, from);
    await typeOnTty1(machine, `echo ${marker} >/dev/kmsg`);
    const seen = await machine.waitFor(/^done-42$/m, STEP_TIMEOUT_MS, from);
    expect(seen).toMatch(/^tty1-line-2$/m);
    expect(seen).toMatch(new RegExp(`^\\[\\s*\\d+\\.\\d+\\] ${marker}\\s*$`, 'm'));
    const back = machine.mark() - 1;
    machine.type(`exit${ENTER}`);
    await machine.waitFor('ha > ', STEP_TIMEOUT_MS, back);
    await typeOnTty1(machine, 'exit');
  }, 6 * STEP_TIMEOUT_MS);
}
