import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

// Raw HTTP and WebSocket bytes on a plain TCP socket: the attack suite must send what no
// well-behaved client library would (malformed request lines, unmasked frames, reserved opcodes).

export interface RawAnswer {
  /** The HTTP status of the first answer, 0 when the host closed without one. */
  status: number;
  head: string;
  body: Buffer;
}

/** Sends `request` as is and collects everything until the host closes (or `timeoutMs`). */
export function rawRequest(port: number, request: string | Buffer, timeoutMs = 10_000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      const head = (split === -1 ? all : all.subarray(0, split)).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, head, body: split === -1 ? Buffer.alloc(0) : all.subarray(split + 4) });
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', done);
    socket.on('close', done);
    socket.write(request);
  });
}

export function upgradeRequest(path: string, headers: Record<string, string>): string {
  const lines = [
    `GET ${path} HTTP/1.1`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

export interface FrameOptions {
  fin?: boolean;
  rsv1?: boolean;
  opcode: number;
  /** Clients must mask; false sends the frame unmasked (a protocol error from a client). */
  mask?: boolean;
  payload?: Buffer;
  /** A declared length other than the payload's (to announce a message without sending it). */
  declaredLength?: number;
}

export function frame({ fin = true, rsv1 = false, opcode, mask = true, payload = Buffer.alloc(0), declaredLength }: FrameOptions): Buffer {
  const length = declaredLength ?? payload.length;
  const head: number[] = [(fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | (opcode & 0x0f)];
  const maskBit = mask ? 0x80 : 0;
  if (length < 126) head.push(maskBit | length);
  else if (length < 65536) head.push(maskBit | 126, length >> 8, length & 0xff);
  else {
    head.push(maskBit | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(length));
    head.push(...big);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), payload]);
  const key = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ key[i % 4]!));
  return Buffer.concat([Buffer.from(head), key, masked]);
}

export const closePayload = (code: number, reason = ''): Buffer => {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  return payload;
};

/** An authenticated socket after a real 101, ready for raw frames; `closed` resolves with the host's close code (0: none, the socket just ended). */
export async function openRawSocket(port: number, path: string, headers: Record<string, string>): Promise<{ socket: Socket; closed: Promise<number> }> {
  const socket = connect(port, '127.0.0.1');
  let buffered = Buffer.alloc(0);
  let upgraded = false;
  let closeCode: number | undefined;
  let onClose: (code: number) => void = () => {};
  // Resolves at the host's close frame (a polite close waits for ours, which never comes) or
  // when the socket ends without one (0).
  const closed = new Promise<number>((resolve) => (onClose = resolve));
  const opened = new Promise<void>((resolve, reject) => {
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (!upgraded) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end === -1) return;
        const head = buffered.subarray(0, end).toString('latin1');
        if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(`no upgrade: ${head.split('\r\n')[0]}`));
        upgraded = true;
        buffered = buffered.subarray(end + 4);
        resolve();
      }
      // Server frames are unmasked: look for its close frame (opcode 8) and read the code.
      while (upgraded && closeCode === undefined && buffered.length >= 2) {
        const opcode = buffered[0]! & 0x0f;
        let length = buffered[1]! & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffered.length < 4) return;
          length = buffered.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (buffered.length < 10) return;
          length = Number(buffered.readBigUInt64BE(2));
          offset = 10;
        }
        if (buffered.length < offset + length) return;
        if (opcode === 8) {
          closeCode = length >= 2 ? buffered.readUInt16BE(offset) : 1005;
          onClose(closeCode);
        }
        buffered = buffered.subarray(offset + length);
      }
    });
    socket.once('error', reject);
  });
  socket.write(upgradeRequest(path, headers));
  await opened;
  socket.on('error', () => {});
  socket.once('close', () => onClose(closeCode ?? 0));
  return { socket, closed };
}
