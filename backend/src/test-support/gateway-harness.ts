import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { API_STREAM_PATH, API_SUBPROTOCOL } from '@tickwire/feeds';
import { createApp } from '../app';
import type { GatewayConfig } from '../config/gateway-config.schema';
import { validateConfig } from '../config/load-config';

export interface RunningGateway {
  readonly app: NestExpressApplication;
  readonly config: GatewayConfig;
  readonly baseUrl: string;
  readonly streamUrl: string;
  close(): Promise<void>;
}

/** The real gateway app on 127.0.0.1 with a random port, from a raw (validated here) configuration. */
export async function startGateway(raw: unknown, port = 0): Promise<RunningGateway> {
  const config = validateConfig(raw);
  const app = await createApp({ config, logger: false, terminal: false });
  await app.listen(port, '127.0.0.1');
  const { port: bound } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    config,
    baseUrl: `http://127.0.0.1:${bound}`,
    streamUrl: `ws://127.0.0.1:${bound}${API_STREAM_PATH}`,
    close: () => app.close(),
  };
}

/** The simulated venue alone (Binance protocol), fast enough for tests. */
export function simulatedConfig(extra: Record<string, unknown> = {}, messagesPerSecond = 400): Record<string, unknown> {
  return { feeds: [{ kind: 'simulated', protocol: 'binance', seed: 7, messagesPerSecond }], ...extra };
}

export { API_SUBPROTOCOL };
