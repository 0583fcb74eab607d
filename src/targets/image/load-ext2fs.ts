// ext2fs (WASM, ~35 ms to load) is required only when an image is opened, never at start-up.

/** The ext2fs module, loaded on first use. */
export function loadExt2fs(): typeof import('ext2fs') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('ext2fs') as typeof import('ext2fs');
}
