// Test helper process: rewrites one large JSON file atomically, over and over, until it is killed.
import { writeFileAtomic } from '../../main/core/storage/atomic-file.js';

const file = process.argv[2]!;
const pad = 'x'.repeat(512 * 1024);
for (let n = 1; ; n += 1) {
  await writeFileAtomic(file, JSON.stringify({ n, pad }));
  if (n === 1) process.stdout.write('first\n');
}
