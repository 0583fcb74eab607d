import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Root of the repository. */
export const REPO_ROOT = join(__dirname, '..', '..');

/**
 * Build time allowed for one board image, including the executable and (first time) the Debian downloads. Both
 * boards build at once (one per test worker) on CI's two cores; with journald and its libraries in the image, a
 * fresh-clone build under three busy loops took over 240 s. A limit on a build checks nothing about the image,
 * so it is generous.
 */
export const BUILD_TIMEOUT_MS = 900_000;

/** QEMU binary per board, and the Debian packages that provide it and the image build's tools. */
const QEMU_OF: Record<string, string> = { 'qemu-x86_64': 'qemu-system-x86_64', 'qemu-arm64': 'qemu-system-aarch64' };
const SYSTEM_PACKAGES = ['qemu-system-x86', 'qemu-system-arm', 'cpio', 'binutils', 'fdisk', 'dosfstools', 'mtools', 'e2fsprogs', 'genimage', 'squashfs-tools', 'erofs-utils', 'systemd'];

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Makes sure the board's qemu-system and the image tools exist, installing them with apt-get when they
 * do not (as CI does). Returns why that is impossible, or undefined when QEMU is ready.
 */
export function qemuUnavailableReason(board: string): string | undefined {
  const qemu = QEMU_OF[board];
  if (qemu === undefined) return `unknown QEMU board ${board}`;
  const needed = () => [qemu, 'cpio', 'objdump', 'sfdisk', 'dumpe2fs', 'journalctl', 'mkfs.vfat', 'mcopy', 'mkfs.ext4', 'genimage', 'mksquashfs', 'mkfs.erofs'].filter((tool) => !has(tool));
  if (needed().length === 0) return undefined;
  if (!has('apt-get')) return `${needed().join(', ')} missing and no apt-get to install them`;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { encoding: 'utf8', env });
  const install = spawnSync('apt-get', ['install', '-y', '-qq', ...SYSTEM_PACKAGES], { encoding: 'utf8', env });
  const missing = needed();
  if (missing.length === 0) return undefined;
  const why = `${update.stderr}${install.stderr}`.trim().split('\n').slice(-2).join(' ');
  return `${missing.join(', ')} missing and apt-get could not install ${SYSTEM_PACKAGES.join(' ')} (${why})`;
}

/** Builds out/BOARD with `scripts/build-image.sh` (the same as `npm run build:image -- BOARD`); returns the folder. */
export function buildBoard(board: string): string {
  const result = spawnSync('bash', [join(REPO_ROOT, 'scripts', 'build-image.sh'), board], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: BUILD_TIMEOUT_MS,
  });
  if (result.status !== 0) throw new Error(`build-image ${board} failed (${String(result.status ?? result.signal)}):\n${result.stderr}`);
  return join(REPO_ROOT, 'out', board);
}
