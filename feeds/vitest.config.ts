import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: {
    alias: { '@tickwire/feeds': fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
  },
  test: {
    name: 'feeds',
    include: ['src/**/*.spec.ts'],
    environment: 'node',
    // Generous: CI runs every project on 2 shared cores; tests wait on events, never on time.
    testTimeout: 20_000,
    reporters: ['default'],
  },
});
