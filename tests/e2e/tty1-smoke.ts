import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { ApplianceContext } from './appliance-suite';
import type { QemuMachine } from './qemu-machine';

const STEP_TIMEOUT_MS = 30_000;

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

/**
 * tty1 (VGA text console) smoke test through the QEMU monitor: the console draws text on the screen,
 * Enter there changes it, and a line typed there (login, echo to the kernel log) is seen from the serial side.
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
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const afterEnter = await screendump(machine, 'after');
    expect(afterEnter.equals(before)).toBe(false);

    const marker = `tty1-ok-${process.pid}`;
    await typeOnTty1(machine, 'login');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await typeOnTty1(machine, `echo ${marker} >/dev/kmsg`);
    // The shell on tty1 runs the line a moment after the last key: look a few times.
    let dmesg = '';
    for (let attempt = 0; attempt < 5 && !dmesg.includes(marker); attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 1_000));
      dmesg = await context.command('dmesg');
    }
    expect(dmesg).toContain(marker);
    await typeOnTty1(machine, 'exit');
  }, 4 * STEP_TIMEOUT_MS);
}
