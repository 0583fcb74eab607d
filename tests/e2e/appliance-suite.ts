import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port';
import { BUILD_TIMEOUT_MS, REPO_ROOT, buildBoard, qemuUnavailableReason } from './qemu-env';
import { QemuMachine } from './qemu-machine';

/** Boot under TCG on a busy 2-core machine, to the console's kernel log phase. */
const BOOT_TIMEOUT_MS = 120_000;
/** One console command on the emulated machine. */
const STEP_TIMEOUT_MS = 30_000;
const ENTER = '\r';
const PROMPT = 'ha > ';
/** The machine's disk is the built image grown by this much (a bigger card): hassos-expand's first boot fills it. */
const GROW_BYTES = 1024 * 1024 * 1024;

/**
 * Runs `script` in a root shell reached by `login` at the console prompt, then exits back to `ha > `.
 * Returns what the shell printed (up to its `done-N` marker).
 */
export async function rootShell(m: QemuMachine, script: string): Promise<string> {
  let from = m.mark() - 1;
  m.type(`login${ENTER}`);
  await m.waitFor(/# $/m, STEP_TIMEOUT_MS, from);
  from = m.mark() - 1;
  m.type(`${script}; echo "done-$((6 * 7))"${ENTER}`);
  const out = await m.waitFor(/^done-42$/m, STEP_TIMEOUT_MS, from);
  const back = m.mark() - 1;
  m.type(`exit${ENTER}`);
  await m.waitFor(PROMPT, STEP_TIMEOUT_MS, back);
  return out;
}

/** dir/id_ed25519 (a fresh test key) and dir/config.img: a FAT stick labelled CONFIG with its public half as authorized_keys. */
function makeConfigStick(dir: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'ha-console-e2e', '-f', join(dir, 'id_ed25519')]);
  execFileSync('cp', [join(dir, 'id_ed25519.pub'), join(dir, 'authorized_keys')]);
  execFileSync('mkfs.vfat', ['-C', '-n', 'CONFIG', join(dir, 'config.img'), '8192']);
  execFileSync('mcopy', ['-i', join(dir, 'config.img'), join(dir, 'authorized_keys'), '::/authorized_keys']);
}

/** Shared state of one booted machine, for the board-specific extra tests. */
export interface ApplianceContext {
  machine(): QemuMachine;
  /** The machine's own disk (a sparse copy of the board's disk.img, written by the machine). */
  disk(): string;
  /** Boots the same disk again (after a power cut); the suite's later tests use the new machine. */
  boot(): Promise<QemuMachine>;
  /** With `{ ssh: true }`: the forwarded SSH port and the private key whose public half the CONFIG stick carried. */
  ssh(): { port: number; key: string };
  /** Runs a console command at `ha > ` and returns what it printed up to the next prompt. */
  command(line: string, until?: RegExp | string): Promise<string>;
}

export interface ApplianceOptions {
  /** Attach a CONFIG stick with a test key as authorized_keys and user networking with SSH forwarded. */
  ssh?: boolean;
}

/**
 * The end-to-end tests of one QEMU board: build the image once, boot it once, then walk the console
 * through its life on the first serial console, ending with `host reboot` (QEMU exits: -no-reboot).
 * `extra` adds board-specific tests that run before the reboot.
 */
export function describeAppliance(board: string, extra?: (context: ApplianceContext) => void, options: ApplianceOptions = {}): void {
  const unavailable = qemuUnavailableReason(board);
  if (unavailable !== undefined) {
    process.stderr.write(`\n*** e2e ${board} SKIPPED: ${unavailable} ***\n\n`);
  }
  describe.skipIf(unavailable !== undefined)(`appliance image ${board} booted under QEMU`, () => {
    let machine: QemuMachine | undefined;
    let dir = '';
    let boardDir = '';
    const get = (): QemuMachine => {
      if (machine === undefined) throw new Error('machine did not start');
      return machine;
    };
    const command = async (line: string, until: RegExp | string = PROMPT): Promise<string> => {
      const m = get();
      const from = m.mark() - 1;
      m.type(`${line}${ENTER}`);
      const echoed = await m.waitFor(`${PROMPT}${line}`, STEP_TIMEOUT_MS, from);
      const start = echoed.lastIndexOf(`${PROMPT}${line}`) + PROMPT.length + line.length;
      for (const deadline = Date.now() + STEP_TIMEOUT_MS; ; ) {
        const after = m.screen(from).slice(start);
        if (typeof until === 'string' ? after.includes(until) : until.test(after)) return after;
        if (Date.now() > deadline) throw new Error(`'${line}' did not reach ${String(until)}; got:\n${after}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };

    const disk = (): string => join(dir, 'disk.img');
    let sshPort = 0;
    const ssh = () => ({ port: sshPort, key: join(dir, 'id_ed25519') });
    const bootArgs = (): string[] =>
      options.ssh === true ? ['--config-image', join(dir, 'config.img'), '--ssh-port', String(sshPort)] : [];
    const boot = async (): Promise<QemuMachine> => {
      machine?.stop();
      machine = await QemuMachine.start(boardDir, dir, disk(), bootArgs());
      return machine;
    };

    beforeAll(async () => {
      boardDir = buildBoard(board);
      dir = mkdtempSync(join(tmpdir(), `e2e-${board}-`));
      // The machine writes its own copy (holes kept: ~80 MB of a 2 GB image); disk.img stays as built. The
      // copy is 1 GiB longer, as the image written to a bigger card: the first boot grows hassos-data.
      execFileSync('cp', ['--sparse=always', join(boardDir, 'disk.img'), disk()]);
      execFileSync('truncate', ['-s', `+${GROW_BYTES}`, disk()]);
      if (options.ssh === true) {
        sshPort = await freePort();
        makeConfigStick(dir);
      }
      await boot();
    }, BUILD_TIMEOUT_MS + 30_000);

    afterAll(() => {
      machine?.stop();
      if (dir !== '') rmSync(dir, { recursive: true, force: true });
    });

    it('streams the kernel log on the serial console and offers Enter', async () => {
      const m = get();
      const screen = await m.waitFor(/Press Enter[^\n]*console[\s\S]*Linux version/, BOOT_TIMEOUT_MS);
      // What follows the hint came from /dev/kmsg through the console, not from the kernel's own printk.
      const streamed = screen.slice(screen.indexOf('Press Enter'));
      expect(streamed).toMatch(/\[\s*\d+\.\d{6}\] Linux version \d+\.\d+/);
      expect(m.screen()).not.toContain(PROMPT);
    }, BOOT_TIMEOUT_MS + 10_000);

    it('Enter leaves the kernel log for the banner and the ha > prompt', async () => {
      const m = get();
      const from = m.mark() - 1;
      m.type(ENTER);
      const screen = await m.waitFor(PROMPT, STEP_TIMEOUT_MS, from);
      expect(screen).toContain('Welcome to the Home Assistant');
      expect(screen).toMatch(/Host name:\s+homeassistant/);
    }, STEP_TIMEOUT_MS + 5_000);

    it('help answers, every line starting at column 0 (CR/LF right on a 0x0 serial terminal)', async () => {
      const out = await command('help');
      expect(out).toMatch(/^ {2}host reboot +\S/m);
      expect(out).toMatch(/^ {2}dmesg +\S/m);
      expect(out).toMatch(/^ {2}login +\S/m);
    });

    it('dmesg shows the kernel log', async () => {
      const out = await command('dmesg');
      expect(out).toMatch(/\[\s*0\.000000\] Linux version \d+\.\d+\.\d+/);
      expect(out).toMatch(/Run \/init as init process/);
    });

    it('login gives a root shell on the 0x0 serial terminal, exit returns to the console', async () => {
      const m = get();
      await command('login', /# $/m);
      const from = m.mark() - 1;
      m.type(`id -u; stty -a | head -n 1; echo "marker-$((6 * 7))"${ENTER}`);
      const shell = await m.waitFor(/^marker-42$/m, STEP_TIMEOUT_MS, from);
      expect(shell).toMatch(/^0$/m);
      // A serial line has no window size: busybox stty prints none (or 0), never a real one.
      expect(shell).toMatch(/^speed 115200 baud;/m);
      expect(shell).not.toMatch(/rows [1-9]|columns [1-9]/);
      const back = m.mark() - 1;
      m.type(`exit${ENTER}`);
      await m.waitFor(PROMPT, STEP_TIMEOUT_MS, back);
      const out = await command('help');
      expect(out).toContain('host reboot');
    }, 3 * STEP_TIMEOUT_MS);

    it('keeps state like HAOS: e2fsck -p, hassos-overlay and hassos-data mounted, journald writing under /mnt/data/logs/<machine-id>', async () => {
      const m = get();
      expect(m.raw).toMatch(/hassos-data: clean, \d+\/\d+ files/);
      expect(m.raw).toMatch(/appliance-state: hassos-overlay \(\/dev\/vda7\) mounted at \/mnt\/overlay, e2fsck 0/);
      expect(m.raw).toMatch(/appliance-state: hassos-data \(\/dev\/vda8\) mounted at \/mnt\/data, e2fsck 0/);
      expect(m.raw).toMatch(/appliance-state: systemd-journald started/);
      const shell = await rootShell(
        m,
        'grep -E " /mnt/(data|overlay) " /proc/mounts; id=$(cat /etc/machine-id); cmp /etc/machine-id /mnt/overlay/etc/machine-id && echo id-kept; ' +
          'ls /mnt/data/logs/$id; grep -c " /var/log/journal " /proc/mounts; ls -l /dev/log; pidof systemd-journald >/dev/null && echo journald-runs; ' +
          'logger -t ha-e2e "logged-$((6 * 7))"; journalctl --sync; journalctl -t ha-e2e -o cat --no-pager; journalctl -k -n 1 -o cat --no-pager | grep -c .',
      );
      expect(shell).toMatch(/^\/dev\/vda8 \/mnt\/data ext4 rw,noatime,.*commit=30/m);
      expect(shell).toMatch(/^\/dev\/vda7 \/mnt\/overlay ext4 rw/m);
      expect(shell).toMatch(/^id-kept$/m);
      // Debian's systemd-journald, persistent: its file on hassos-data, syslog through /dev/log, the kernel's log.
      expect(shell).toMatch(/^system\.journal$/m);
      expect(shell).toMatch(/\/dev\/log -> \/run\/systemd\/journal\/dev-log$/m);
      expect(shell).toMatch(/^journald-runs$/m);
      expect(shell).toMatch(/^logged-42$/m);
      expect(shell).toMatch(/^1$/m);
    }, 3 * STEP_TIMEOUT_MS);

    it('grows hassos-data to the end of the bigger disk on first boot (hassos-expand + online resize2fs)', async () => {
      const m = get();
      expect(m.raw).toMatch(/hassos-expand: \[INFO\] Moving GPT backup header to the end/);
      expect(m.raw).toMatch(/hassos-expand: \[INFO\] Finished hassos-data partition resizing/);
      expect(m.raw).toMatch(/resize2fs: The filesystem on \/dev\/vda8 is now \d+ \(4k\) blocks long/);
      const shell = await rootShell(m, 'echo "sizes $(cat /sys/class/block/vda/size) $(cat /sys/class/block/vda8/start) $(cat /sys/class/block/vda8/size)"');
      const [disk, start, size] = (/^sizes (\d+) (\d+) (\d+)$/m.exec(shell) ?? []).slice(1).map(Number);
      // GPT: the partition ends at the last usable sector, 33 before the end (backup table + header).
      expect((start ?? 0) + (size ?? 0)).toBe((disk ?? 0) - 33);
    }, 3 * STEP_TIMEOUT_MS);

    extra?.({ machine: get, command, disk, boot, ssh });

    it('offline recovery reads the users from the hassos-data partition of disk.img', () => {
      // The machine runs on its own copy, so the built image file is not written while it boots.
      const result = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'ha.js'), '--image', join(boardDir, 'disk.img'), 'auth', 'list'], {
        encoding: 'utf8',
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^alice\s+Alice\s+yes/m);
    });

    it('host reboot reboots the machine (QEMU ends: -no-reboot)', async () => {
      const m = get();
      const from = m.mark() - 1;
      m.type(`host reboot${ENTER}`);
      // With /mnt/data/supervisor mounted but no Supervisor running, the console asks before a direct reboot.
      const asked = await m.waitFor(/rebooting|\[y\/N\]/i, STEP_TIMEOUT_MS, from);
      if (!/rebooting/i.test(asked)) m.type(`y${ENTER}`);
      await m.waitFor(/rebooting/i, STEP_TIMEOUT_MS, from);
      const code = await m.waitForExit(60_000);
      expect(code).toBe(0);
      expect(m.screen(from)).toMatch(/reboot: Restarting system/);
    }, 90_000);

    it('after the reboot the grown disk reads offline: hassos-data fills it, its file system too, clean (e2fsck -fn)', () => {
      const info = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'ha.js'), '--image', disk(), 'info', '--raw-json'], { encoding: 'utf8' });
      expect(info.stderr).toBe('');
      expect(info.status).toBe(0);
      const card = (JSON.parse(info.stdout) as { data: { sizeBytes: number; data: { offsetBytes: number; sizeBytes: number; needsRecovery: boolean; clean: boolean } } }).data;
      expect(card.sizeBytes).toBe(statSync(join(boardDir, 'disk.img')).size + GROW_BYTES);
      expect(card.data.offsetBytes + card.data.sizeBytes).toBe(card.sizeBytes - 33 * 512);
      // The journal daemon was stopped before the read-only remount: nothing left to replay.
      expect(card.data.needsRecovery).toBe(false);
      const fs = `${disk()}?offset=${card.data.offsetBytes}`;
      const dump = execFileSync('dumpe2fs', ['-h', fs], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const blocks = Number(/^Block count:\s+(\d+)$/m.exec(dump)?.[1]);
      const blockSize = Number(/^Block size:\s+(\d+)$/m.exec(dump)?.[1]);
      expect(Math.floor(card.data.sizeBytes / blockSize)).toBe(blocks);
      const fsck = spawnSync('e2fsck', ['-fn', fs], { encoding: 'utf8' });
      expect(fsck.stdout).toMatch(/^hassos-data: \d+\/\d+ files/m);
      expect(fsck.status).toBe(0);
    });
  });
}
