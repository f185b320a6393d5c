import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import type { HealthReport } from './health.controller';

describe('GET /api/health over real HTTP', () => {
  let app: NestExpressApplication;
  let baseUrl: string;

  beforeAll(async () => {
    app = await createApp({ logger: false });
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await app.close();
  });

  it('reports the gateway as up with the venues it knows', async () => {
    const response = await fetch(`${baseUrl}/api/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await response.json()) as HealthReport;
    expect(body.status).toBe('ok');
    expect(body.apiVersion).toBe(1);
    expect(body.venues).toContain('binance');
    expect(body.venues).toContain('simulated');
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('answers 404 with a JSON error for unknown API paths', async () => {
    const response = await fetch(`${baseUrl}/api/no-such-thing`);
    expect(response.status).toBe(404);
    const body = (await response.json()) as { statusCode: number };
    expect(body.statusCode).toBe(404);
  });
});
