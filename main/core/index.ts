// The core's one front door. The edges (main/electron, main/serve, a CLI later) import only this file,
// so what they depend on is this list, and the core's inside can be reshaped without touching them
// (a lint rule keeps it so). Everything here runs under plain Node.
export { createCore, type Core, type CoreOptions } from './core.js';
export { CoreError } from './core-error.js';
export type { Dispatch } from './dispatch.js';
export { toAppError, type OnUnexpected } from './app-error.js';
export type { EventBus } from './event-bus.js';
export { defaultDataDir } from './util/data-dir.js';
export { MIN_ARGON2, setKdfWorkerUrl } from './crypto/kdf.js';
/** libsodium, loaded ahead by an edge that knows it will open the vault (the command line, while it signs in). */
export { loadSodium as preloadSodium } from './crypto/sodium.js';
export { readJsonFile, writeJsonFile } from './storage/json-file.js';
export type { FileRegistry } from './files/file-registry.js';
export type { FileSource } from './files/files-service.js';
