// Public surface of the disk-image target (`--image PATH`).
export { openImageTarget } from './open';
export { readImageInfo, type ImageInfo, type ImagePartitionInfo } from './info';
export { withImage, type MountedImage } from './session';
