import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The datasets (original MNIST and Fashion-MNIST .gz files) sit beside the repository in ../shared/data unless
// TAPEGRAD_DATA says otherwise; the tests never touch the network.
const data = process.env.TAPEGRAD_DATA ?? fileURLToPath(new URL('../shared/data', import.meta.url));

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    execArgv: ['--expose-gc'],
    env: { TAPEGRAD_DATA: data },
  },
});
