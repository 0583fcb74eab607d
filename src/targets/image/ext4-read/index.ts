export { Ext4Reader, Ext4Stats, type Ext4File, type Ext4Io } from './reader';
export { Ext4ReadError, Ext4UnsupportedError } from './errors';
export { readOnlyExt } from './read-only-ext';
export { overlayIo } from './overlay-io';
