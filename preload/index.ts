import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from '../common/bridge.js';
import { EVENT_CHANNEL, isEventName, operationChannel } from '../common/operations.js';

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
  }),
);
