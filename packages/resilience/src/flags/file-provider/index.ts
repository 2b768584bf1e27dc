export { FileFlagProvider, createFileFlagProvider } from './file-provider.js';
export type { FileFlagProviderOptions } from './options.js';
export { readFlagFile } from './flag-file.js';
export type { FileFlag, FileFlags } from './flag-file.js';
