import { describe, expect, it, vi } from 'vitest';
import { createBridge, FILE_TRANSPORT_OPERATIONS, type Transport } from '../../common/bridge.js';
import { OPERATIONS, type EventName } from '../../common/operations.js';

const noFiles = () => ({ add: vi.fn(), upload: vi.fn(), download: vi.fn() });

function fakeTransport() {
  const listeners = new Set<(event: EventName, payload: unknown) => void>();
  const transport: Transport = {
    invoke: vi.fn(async (op: string, input: unknown) => ({ ok: true as const, data: { op, input } })),
    listen: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { transport, emit: (event: EventName, payload: unknown) => listeners.forEach((l) => l(event, payload)) };
}

describe('createBridge', () => {
  it('has one function per operation, grouped by namespace, each invoking its own operation', async () => {
    const { transport } = fakeTransport();
    const api = createBridge(transport, noFiles) as unknown as Record<string, Record<string, (input?: unknown) => Promise<unknown>>>;
    const pageOperations = OPERATIONS.filter((op) => !(FILE_TRANSPORT_OPERATIONS as readonly string[]).includes(op));
    for (const op of pageOperations) {
      const [ns, method] = op.split('.') as [string, string];
      await expect(api[ns]![method]!({ probe: op })).resolves.toEqual({ ok: true, data: { op, input: { probe: op } } });
    }
    expect(transport.invoke).toHaveBeenCalledTimes(pageOperations.length);
  });

  it('offers one way to upload and save a file: hoody.files, not the operations that carry it', () => {
    const api = createBridge(fakeTransport().transport, noFiles) as unknown as Record<string, Record<string, unknown>>;
    for (const op of FILE_TRANSPORT_OPERATIONS) {
      const [ns, method] = op.split('.') as [string, string];
      expect(api[ns]![method], op).toBeUndefined();
    }
    expect(Object.keys(api.files!).sort()).toEqual(['add', 'download', 'upload']);
  });

  it("adds the transport's own file functions, giving them the same invoke", async () => {
    const { transport } = fakeTransport();
    const api = createBridge(transport, (invoke) => ({ add: vi.fn(), upload: (input) => invoke('vault.uploadFile', input) as never, download: vi.fn() }));
    await api.files.upload({ fileId: 'f', realmId: '', key: 'k', uploadId: 'u' });
    expect(transport.invoke).toHaveBeenCalledWith('vault.uploadFile', { fileId: 'f', realmId: '', key: 'k', uploadId: 'u' });
  });

  it('delivers only the subscribed event, until unsubscribed', () => {
    const { transport, emit } = fakeTransport();
    const api = createBridge(transport, noFiles);
    const seen: unknown[] = [];
    const off = api.on('settings.changed', (payload) => seen.push(payload));
    emit('settings.changed', { theme: 'dark' });
    off();
    emit('settings.changed', { theme: 'light' });
    expect(seen).toEqual([{ theme: 'dark' }]);
  });

  it('refuses to subscribe to an event that does not exist', () => {
    const api = createBridge(fakeTransport().transport, noFiles);
    expect(() => api.on('nope' as EventName, () => {})).toThrow(/unknown event/);
  });
});
