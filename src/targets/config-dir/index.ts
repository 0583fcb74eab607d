// The config-folder target (`--config DIR`).
export { openConfigDirTarget, type ConfigDirOptions } from './open';
export { createDirFs, writeFileAtomicAt } from './dir-fs';
export { findRunningHass } from './find-running-hass';
export { parseHassCmdline } from './hass-cmdline';
