import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { API_SUBPROTOCOL, type ServerMessage } from '@tickwire/feeds';
import { BOOK } from '@tickwire/feeds/adapters/kraken/test-support/kraken-replay';
import { sharedRecording } from '@tickwire/feeds/test-support/shared-recordings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { rawText } from '../stream/raw-text';
import { type RunningGateway, startGateway } from '../test-support/gateway-harness';
import { StreamClient } from '../test-support/stream-client';

/*
 * wss:// and https:// served by the gateway itself with a test certificate made by openssl, the
 * same stream as over ws://, and a certificate replaced on disk picked up without dropping
 * connections.
 */

const SYMBOL = 'XMR-USD';

function makeCertificate(dir: string, name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.cert.pem`);
  const key = join(dir, `${name}.key.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

/** The SHA-256 fingerprint of the certificate a new TLS connection to `port` is given. */
function servedFingerprint(port: number, ca: Buffer[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
      const fingerprint = socket.getPeerCertificate().fingerprint256;
      socket.end();
      resolve(fingerprint);
    });
    socket.once('error', reject);
  });
}

function fingerprintOf(certFile: string): string {
  const text = execFileSync('openssl', ['x509', '-in', certFile, '-noout', '-fingerprint', '-sha256'], {
    encoding: 'utf8',
  });
  return text.trim().split('=')[1] as string;
}

function replayConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    feeds: [
      { kind: 'replay', venue: 'kraken', file: sharedRecording(BOOK), symbols: [SYMBOL], speed: 'max', pinned: false },
    ],
    ...extra,
  };
}

/** A client's book messages: type, seq and levels (receiveTime is each gateway's own clock). */
function bookData(messages: readonly ServerMessage[]): string[] {
  return messages
    .filter((m) => (m.type === 'snapshot' || m.type === 'update') && m.channel === 'book')
    .map((m) => {
      const { bids, asks } = (m as { data: { bids: unknown; asks: unknown } }).data;
      return JSON.stringify([m.type, (m as { seq: number }).seq, bids, asks]);
    });
}

describe('TLS served by the gateway', () => {
  let dir: string;
  let secure: RunningGateway;
  let ca: Buffer[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tickwire-tls-'));
    const live = makeCertificate(dir, 'live');
    const second = makeCertificate(dir, 'second');
    ca = [readFileSync(live.cert), readFileSync(second.cert)];
    secure = await startGateway(replayConfig({ tls: { certFile: live.cert, keyFile: live.key } }));
  });

  afterAll(async () => {
    await secure.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to start with a certificate it cannot read, naming the file', async () => {
    await expect(
      startGateway(replayConfig({ tls: { certFile: join(dir, 'missing.pem'), keyFile: join(dir, 'missing.pem') } })),
    ).rejects.toThrow(/cannot read the TLS certificate .*missing\.pem/);
  });

  it('a wss:// client receives the same stream as a ws:// client of the same replay', async () => {
    const plain = await startGateway(replayConfig());
    const wssUrl = secure.streamUrl.replace('ws://', 'wss://');
    const overTls = new WebSocket(wssUrl, [API_SUBPROTOCOL], { ca });
    const tlsMessages: ServerMessage[] = [];
    overTls.on('message', (data) => tlsMessages.push(JSON.parse(rawText(data)) as ServerMessage));
    await new Promise<void>((resolve, reject) => {
      overTls.once('open', resolve);
      overTls.once('error', reject);
    });
    const overPlain = await StreamClient.open(plain.streamUrl);
    const subscribe = { op: 'subscribe', channel: 'book', instrument: `kraken:${SYMBOL}`, depth: 10, intervalMs: 0 };
    overTls.send(JSON.stringify(subscribe));
    overPlain.send(subscribe);
    // Both replays run to the end: the streams are equal message for message.
    await overPlain.until(() => bookData(overPlain.messages).length > 100, 'plain book');
    const deadline = Date.now() + 30_000;
    let previous = -1;
    while (Date.now() < deadline) {
      const now = bookData(tlsMessages).length + bookData(overPlain.messages).length;
      if (now === previous && bookData(tlsMessages).length === bookData(overPlain.messages).length) break;
      previous = now;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(bookData(tlsMessages).length).toBeGreaterThan(100);
    expect(bookData(tlsMessages)).toEqual(bookData(overPlain.messages));
    overTls.close();
    await overPlain.close();
    await plain.close();
  }, 60_000);

  it('serves https:// REST and reloads a replaced certificate without dropping open connections', async () => {
    const port = Number(new URL(secure.baseUrl).port);
    const status = await new Promise<number>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/api/health/live', ca, servername: 'localhost' }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      }).once('error', reject);
    });
    expect(status).toBe(200);
    const before = await servedFingerprint(port, ca);
    expect(before).toBe(fingerprintOf(join(dir, 'live.cert.pem')));

    const open = new WebSocket(secure.streamUrl.replace('ws://', 'wss://'), [API_SUBPROTOCOL], { ca });
    await new Promise<void>((resolve, reject) => {
      open.once('open', resolve);
      open.once('error', reject);
    });
    // certbot-style replacement: new files renamed over the old ones.
    const next = join(dir, 'second.cert.pem');
    const expected = fingerprintOf(next);
    renameSync(join(dir, 'second.key.pem'), join(dir, 'live.key.pem'));
    renameSync(next, join(dir, 'live.cert.pem'));
    const deadline = Date.now() + 15_000;
    let served = before;
    while (served !== expected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      served = await servedFingerprint(port, ca);
    }
    expect(served).toBe(expected);
    // The connection opened under the old certificate is still up and answers.
    const pong = new Promise<string>((resolve) => {
      open.on('message', (data) => {
        const text = rawText(data);
        if (text.includes('"pong"')) resolve(text);
      });
    });
    open.send(JSON.stringify({ op: 'ping', id: 1 }));
    expect(JSON.parse(await pong)).toMatchObject({ type: 'pong', id: 1 });
    open.close();
  }, 60_000);
});
