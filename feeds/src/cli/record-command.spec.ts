import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { recordCommand } from './record-command';

/** A write-only stream that keeps its text. */
function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return {
    text: () => chunks.join(''),
    stream: {
      isTTY,
      write: (chunk: string | Uint8Array) => {
        chunks.push(String(chunk));
        return true;
      },
    },
  };
}

describe('tickwire record (recordCommand) outside a terminal', () => {
  let server: Server;
  let venue: WebSocketServer;
  let url: string;
  let directory: string;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'tw-record-command-'));
    server = createServer();
    venue = new WebSocketServer({ server });
    venue.on('connection', (socket) => {
      socket.on('message', () => {
        for (let i = 0; i < 5; i++) socket.send(`{"trade":${i}}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
  });

  afterEach(async () => {
    for (const socket of venue.clients) socket.terminate();
    venue.close();
    await new Promise((resolve) => server.close(resolve));
    rmSync(directory, { recursive: true, force: true });
  });

  it('prints plain log lines (connection, final progress) to stderr and the summary to stdout, no bar', async () => {
    const stderr = sink(false);
    const stdout = sink(false);
    const code = await recordCommand({
      venue: 'simulated',
      url,
      send: ['{"subscribe":"trades"}'],
      http: [],
      out: directory,
      streams: ['trades'],
      durationSeconds: 1,
      rotateMegabytes: 64,
      rotateMinutes: 60,
      stdout: stdout.stream,
      stderr: stderr.stream,
    });
    expect(code).toBe(0);
    const lines = stderr.text().trimEnd().split('\n');
    expect(lines[0]).toBe(`tickwire record: connection 1 open: ${url}`);
    expect(lines.at(-1)).toMatch(/^tickwire record: \d+ of 1 s, \d+ entries, [\d.]+ (bytes|KiB) on disk, done$/);
    // open + sent + 5 received + close.
    expect(Number(/(\d+) entries, [\d.]+ (bytes|KiB) on disk, done$/.exec(lines.at(-1) ?? '')?.[1])).toBe(8);
    expect(stderr.text()).not.toContain('\x1B');
    expect(stdout.text()).toMatch(
      /^recorded 8 entries \(5 frames, 0 REST responses, 1 connections\) into .+\.twrec\.gz\n$/,
    );
  });
});
