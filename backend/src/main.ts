import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config/load-config';
import { TlsConfigError } from './tls/tls-files';

async function bootstrap(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApp({ config });
  await app.listen(config.listen.port, config.listen.host);
  const scheme = config.tls === undefined ? 'http' : 'https';
  Logger.log(`Tickwire gateway listening on ${scheme}://${config.listen.host}:${config.listen.port}`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof TlsConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  Logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error), 'Bootstrap');
  process.exit(1);
});
