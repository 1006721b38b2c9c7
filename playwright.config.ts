import { defineConfig } from '@playwright/test';
import { STEP_MS, testBudget } from './test/e2e/waits.js';

// End-to-end tests drive the real app in serve mode with Debian's Chromium (Playwright cannot
// download its own browsers here). Screenshots go to test-results/screenshots/.
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/playwright',
  // Ceilings for a busy machine, from what the steps cost (test/e2e/waits.ts): a test may run one
  // key derivation without saying so; one that runs more sets its own budget.
  timeout: testBudget(1),
  expect: { timeout: STEP_MS },
  fullyParallel: true,
  workers: 2,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    browserName: 'chromium',
    viewport: { width: 1180, height: 780 },
    launchOptions: {
      executablePath: process.env.HOODY_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
    trace: 'retain-on-failure',
  },
});
