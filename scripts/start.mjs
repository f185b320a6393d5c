#!/usr/bin/env node
// `npm start`: builds the gateway and the terminal, then serves both on one port
// (TICKWIRE_PORT, default 8080). Stop with Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';

const env = { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true' };
const build = spawnSync(
  'npx',
  ['nx', 'run-many', '-t', 'build', '-p', 'backend', 'frontend', '--output-style=static'],
  {
    stdio: 'inherit',
    env,
  },
);
if (build.status !== 0) process.exit(build.status ?? 1);

const port = env.TICKWIRE_PORT ?? '8080';
const host = env.TICKWIRE_HOST ?? '127.0.0.1';
console.log(`\nTickwire terminal: http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/\n`);
const gateway = spawn('node', ['dist/backend/backend/src/main.js'], { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => gateway.kill(signal));
gateway.on('exit', (code) => process.exit(code ?? 0));
