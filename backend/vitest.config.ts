import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Nest's dependency injection reads decorator metadata, which esbuild does not emit; SWC does.
  plugins: [
    swc.vite({
      module: { type: 'es6' },
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
      },
    }),
  ],
  resolve: {
    alias: [
      { find: /^@tickwire\/feeds$/, replacement: fileURLToPath(new URL('../feeds/src/index.ts', import.meta.url)) },
      {
        find: /^@tickwire\/feeds\/(.*)$/,
        replacement: `${fileURLToPath(new URL('../feeds/src/', import.meta.url))}$1`,
      },
      { find: /^@tickwire\/sdk$/, replacement: fileURLToPath(new URL('../feeds/src/sdk/index.ts', import.meta.url)) },
    ],
  },
  test: {
    name: 'backend',
    include: ['src/**/*.spec.ts'],
    environment: 'node',
    // Generous: CI runs every project on 2 shared cores; tests wait on events, never on time.
    testTimeout: 20_000,
  },
});
