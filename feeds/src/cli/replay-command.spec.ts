import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { readCryptofeedFile } from '../recording/cryptofeed-recording';
import { sharedRecording } from '../test-support/shared-recordings';

const WORKSPACE = resolve(__dirname, '../../..');

describe('tickwire replay (command)', () => {
  it('serves a capture in the venue protocol: a Binance client gets every recorded diff of its stream', async () => {
    const file = sharedRecording('binance/binance-spot-ws.ndjson');
    const expected: string[] = [];
    for await (const entry of readCryptofeedFile(file)) {
      if (entry.kind === 'recv' && String(entry.data).startsWith('{"stream":"nknusdt@depth@100ms"')) {
        expected.push(String(entry.data));
      }
    }
    const child = spawn(process.execPath, [join(WORKSPACE, 'scripts/tickwire.mjs'), 'replay', file, '--speed', 'max'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolveUrl, reject) => {
        let output = '';
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk: string) => {
          output += chunk;
          const match = /WebSocket: (ws:\/\/\S+)/.exec(output);
          if (match?.[1] !== undefined) resolveUrl(match[1]);
        });
        child.on('exit', (code) => {
          reject(new Error(`replay exited early (${String(code)}): ${output}`));
        });
      });
      const received: string[] = [];
      const socket = new WebSocket(`${url.replace(/\/$/, '')}/stream?streams=nknusdt@depth@100ms`);
      await new Promise<void>((done) => {
        socket.on('message', (data: Buffer) => received.push(data.toString('utf8')));
        socket.on('close', () => {
          done();
        });
      });
      expect(received).toEqual(expected);
      expect(received).toHaveLength(150);
    } finally {
      child.kill();
    }
  }, 30_000);
});
