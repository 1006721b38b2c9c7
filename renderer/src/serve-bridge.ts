import { createBridge, type FilesApi, type Transport } from '../../common/bridge.js';
import type { Result } from '../../common/errors.js';
import { isEventName, type EventName } from '../../common/operations.js';
import type { ServerMessage } from '../../common/serve-protocol.js';

// Serve mode's stand-in for the preload: loaded by the page before the app, it builds the same
// `window.hoody` over a WebSocket to the serve host. The socket URL sits under the page's own
// secret path, so it needs no credentials of its own.

const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 4000];

function createWebSocketTransport(url: string): Transport {
  // Calls sent on the current socket, and calls waiting for a socket: a queued call has surely not
  // run, so it waits for the reconnect; a sent one may have, so it is answered DISCONNECTED.
  const inFlight = new Map<number, (result: Result<unknown>) => void>();
  const queued = new Map<number, { message: string; resolve: (result: Result<unknown>) => void }>();
  const listeners = new Set<(event: EventName, payload: unknown) => void>();
  let nextId = 1;
  let attempts = 0;
  let socket: WebSocket;

  const disconnected = (): Result<unknown> => ({
    ok: false,
    error: { code: 'DISCONNECTED', message: 'The app host stopped answering. Start it again and reload this window.' },
  });

  function connect(): void {
    socket = new WebSocket(url);
    socket.addEventListener('open', () => {
      attempts = 0;
      for (const [id, call] of queued) {
        inFlight.set(id, call.resolve);
        socket.send(call.message);
      }
      queued.clear();
    });
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as ServerMessage;
      if ('id' in message) {
        inFlight.get(message.id)?.(message.result);
        inFlight.delete(message.id);
      } else if (isEventName(message.event)) {
        for (const listener of listeners) listener(message.event, message.payload);
      }
    });
    socket.addEventListener('close', () => {
      for (const resolve of inFlight.values()) resolve(disconnected());
      inFlight.clear();
      const delay = RECONNECT_DELAYS_MS[Math.min(attempts++, RECONNECT_DELAYS_MS.length - 1)];
      setTimeout(connect, delay);
    });
  }
  connect();

  return {
    invoke(op, input) {
      const id = nextId++;
      const message = JSON.stringify({ id, op, input });
      return new Promise((resolve) => {
        if (socket.readyState === WebSocket.OPEN) {
          inFlight.set(id, resolve);
          socket.send(message);
        } else {
          queued.set(id, { message, resolve });
        }
      });
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Serve mode's files: the browser holds the File objects and uploads their bytes to the serve host. */
function serveFiles(invoke: Transport['invoke']): FilesApi {
  const held = new Map<string, File>();
  return {
    async add(files) {
      const added = files.map((file) => {
        const fileId = crypto.randomUUID();
        held.set(fileId, file);
        return { fileId, name: file.name, size: file.size, type: file.type || 'application/octet-stream' };
      });
      return { ok: true, data: added };
    },
    async upload({ fileId, realmId, key, notes, uploadId }) {
      const file = held.get(fileId);
      if (!file) return { ok: false, error: { code: 'NOT_FOUND', message: 'That file is no longer available here: drop or pick it again.' } };
      const url = new URL('upload', window.location.href);
      for (const [name, value] of Object.entries({ realmId, key, notes: notes ?? '', uploadId, name: file.name, type: file.type || 'application/octet-stream' })) url.searchParams.set(name, value);
      try {
        const response = await fetch(url, { method: 'POST', body: file, headers: { 'Content-Type': 'application/octet-stream' } });
        held.delete(fileId);
        return (await response.json()) as never;
      } catch {
        return { ok: false, error: { code: 'DISCONNECTED', message: 'The app host stopped answering during the upload.' } };
      }
    },
    async download({ realmId, key }) {
      const prepared = (await invoke('vault.prepareDownload', { realmId, key })) as { ok: true; data: { token: string } } | { ok: false; error: never };
      if (!prepared.ok) return prepared;
      const link = document.createElement('a');
      link.href = new URL(`download/${prepared.data.token}`, window.location.href).href;
      link.download = '';
      document.body.append(link);
      link.click();
      link.remove();
      return { ok: true, data: { saved: null } };
    },
  };
}

const socketUrl = new URL('bridge', window.location.href);
socketUrl.protocol = socketUrl.protocol === 'https:' ? 'wss:' : 'ws:';
Object.defineProperty(window, 'hoody', {
  value: Object.freeze(createBridge(createWebSocketTransport(socketUrl.href), serveFiles)),
  writable: false,
  configurable: false,
});
