import type { Server as HttpsServer } from 'node:https';
import { Logger, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { AuthService } from './auth/auth.service';
import type { GatewayConfig } from './config/gateway-config.schema';
import { loadConfig } from './config/load-config';
import { GatewayMetrics } from './metrics/gateway-metrics';
import { serveTerminal } from './static/serve-terminal';
import { TickwireWsAdapter } from './stream/tickwire-ws-adapter';
import { readTlsMaterial, watchTlsMaterial } from './tls/tls-files';

export interface CreateAppOptions {
  /** Defaults to loadConfig(process.env). */
  readonly config?: GatewayConfig;
  /** false: silent; a LoggerService gets every log line (tests capture them). Default: log, warn, error. */
  readonly logger?: false | LoggerService;
  /** Serve the built terminal at / (default true). */
  readonly terminal?: boolean;
}

/** Builds the gateway: the API under /api (REST, the stream, OpenAPI, metrics) and the built terminal at /. */
export async function createApp(options: CreateAppOptions = {}): Promise<NestExpressApplication> {
  const config = options.config ?? loadConfig(process.env);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: options.logger ?? ['log', 'warn', 'error'],
    ...(config.tls === undefined ? {} : { httpsOptions: readTlsMaterial(config.tls) }),
  });
  if (config.tls !== undefined) {
    const server = app.getHttpServer() as HttpsServer;
    const stop = watchTlsMaterial(server, config.tls, new Logger('Tls'));
    server.once('close', stop);
  }
  // Behind a trusted reverse proxy, Express takes the client address and scheme from X-Forwarded-*.
  app.set('trust proxy', config.proxy.trusted);
  app.setGlobalPrefix('api');
  // Client messages posted to an SSE session are held to the same size limit as WebSocket frames.
  app.useBodyParser('json', { limit: config.limits.maxPayloadBytes });
  app.enableShutdownHooks();
  app.useWebSocketAdapter(
    new TickwireWsAdapter(app, { limits: config.limits, auth: app.get(AuthService), metrics: app.get(GatewayMetrics) }),
  );
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Tickwire gateway')
      .setDescription(
        'REST side of the Tickwire API v1; the stream is described at /api/v1/asyncapi.json and docs/api.md',
      )
      .setVersion('1.0.0')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/v1/openapi.json' });
  if (options.terminal !== false) serveTerminal(app);
  return app;
}
