// Test helper process: rewrites one large sealed JSON file over and over, until it is killed.
import { writeSealedJson } from '../../main/core/storage/sealed-file.js';

const path = process.argv[2]!;
const key = new Uint8Array(32).fill(7);
const pad = 'x'.repeat(512 * 1024);
for (let n = 1; ; n += 1) {
  await writeSealedJson(path, key, 'test', { n, pad });
  if (n === 1) process.stdout.write('first\n');
}
