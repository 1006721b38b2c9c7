import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridge } from '../common/bridge.js';
import type { Result } from '../common/errors.js';
import { EVENT_CHANNEL, REGISTER_FILES_CHANNEL, isEventName, operationChannel } from '../common/operations.js';
import type { DroppedFile } from '../common/vault-files.js';

// Sandboxed preload (bundled to CommonJS): exposes `window.hoody` and nothing else. No Node, no
// ipcRenderer and no Electron object ever reaches the page.

contextBridge.exposeInMainWorld(
  'hoody',
  createBridge({
    invoke: (op, input) => ipcRenderer.invoke(operationChannel(op), input),
    listen: (listener) => {
      const onEvent = (_event: unknown, name: unknown, payload: unknown) => {
        if (isEventName(name)) listener(name, payload);
      };
      ipcRenderer.on(EVENT_CHANNEL, onEvent);
      return () => {
        ipcRenderer.off(EVENT_CHANNEL, onEvent);
      };
    },
  }, (invoke) => ({
    // Only here can a dropped File become a path; main checks each path again and reads the file
    // itself, so file bytes never pass through the page.
    add: (files) => ipcRenderer.invoke(REGISTER_FILES_CHANNEL, { paths: files.map((file) => webUtils.getPathForFile(file)) }) as Promise<Result<DroppedFile[]>>,
    upload: (input) => invoke('vault.uploadFile', input) as never,
    download: (input) => invoke('vault.saveFile', input) as never,
  })),
);
