import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app';
import { loadListenConfig } from './config/listen-config';

async function bootstrap(): Promise<void> {
  const config = loadListenConfig(process.env);
  const app = await createApp();
  await app.listen(config.port, config.host);
  Logger.log(`Tickwire gateway listening on http://${config.host}:${config.port}`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  Logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error), 'Bootstrap');
  process.exit(1);
});
