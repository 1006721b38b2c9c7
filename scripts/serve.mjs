// npm run serve -- [--port N] [--data DIR] [--no-open]
import { ensureBuild } from './ensure-build.mjs';

ensureBuild();
await import('../out/main/serve.js');
