import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { FrameEntry, RecordingEntry } from '../recording/recording-entry';
import { RecordingReader } from '../recording/recording-reader';
import { RecordingWriter } from '../recording/recording-writer';
import { RecordSession } from './record-session';

describe('RecordSession against a real loopback WebSocket + HTTP server', () => {
  let server: Server;
  let sockets: WebSocketServer;
  let port: number;
  let directory: string;
  let connections = 0;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'tw-record-'));
    connections = 0;
    server = createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`{"lastUpdateId":${connections},"path":${JSON.stringify(request.url)}}`);
    });
    sockets = new WebSocketServer({ server });
    sockets.on('connection', (socket) => {
      connections++;
      const conn = connections;
      socket.on('message', (message: Buffer) => {
        socket.send(`{"ack":${message.toString('utf8')},"conn":${conn}}`);
        socket.send(Buffer.from([1, 2, 3, conn]), { binary: true });
        // The first connection drops without a close frame, so the recorder must reconnect.
        if (conn === 1) {
          setTimeout(() => {
            socket.terminate();
          }, 20);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    sockets.close();
    await new Promise((resolve) => server.close(resolve));
    rmSync(directory, { recursive: true, force: true });
  });

  it('records sent, received (text and binary), REST, drops and the reconnection', async () => {
    const writer = new RecordingWriter({ directory, venue: 'simulated', streams: ['test'] });
    const session = new RecordSession({
      url: `ws://127.0.0.1:${port}/ws`,
      send: ['{"subscribe":"trades"}'],
      http: [`http://127.0.0.1:${port}/api/v3/depth?symbol=BTCUSDT`],
      writer,
      reconnectMinMs: 50,
    });
    const running = session.run();
    // Wait until the second connection has answered, then stop.
    for (let i = 0; i < 200 && connections < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 100));
    session.stop();
    const result = await running;
    const { files } = await writer.close();

    const entries: RecordingEntry[] = [];
    for await (const entry of (await RecordingReader.open(files[0]!)).entries()) entries.push(entry);
    const summary = entries.map((entry) => `${entry.kind}:${'conn' in entry ? entry.conn : '-'}`);
    expect(result.connections).toBe(2);
    expect(summary.filter((s) => s.startsWith('open'))).toEqual(['open:1', 'open:2']);
    const frames = entries.filter((entry): entry is FrameEntry => entry.kind === 'sent' || entry.kind === 'recv');
    expect(frames.filter((entry) => entry.kind === 'sent').map((entry) => entry.data)).toEqual([
      '{"subscribe":"trades"}',
      '{"subscribe":"trades"}',
    ]);
    const received = frames.filter((entry) => entry.kind === 'recv');
    expect(received.map((entry) => entry.data)).toEqual([
      '{"ack":{"subscribe":"trades"},"conn":1}',
      new Uint8Array([1, 2, 3, 1]),
      '{"ack":{"subscribe":"trades"},"conn":2}',
      new Uint8Array([1, 2, 3, 2]),
    ]);
    const closes = entries.filter((entry) => entry.kind === 'close');
    expect(closes.map((entry) => entry.code)).toEqual([1006, 1000]);
    const http = entries.filter((entry) => entry.kind === 'http');
    expect(http.length).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(http[0]!.body)).toMatchObject({ path: '/api/v3/depth?symbol=BTCUSDT' });
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.time).toBeGreaterThanOrEqual(entries[i - 1]!.time);
  });
});
