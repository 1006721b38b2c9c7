import { main } from './main.js';

main().catch((error: unknown) => {
  process.stderr.write(`hoody-vault serve: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
