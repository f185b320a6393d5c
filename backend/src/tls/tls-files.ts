import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { Server as HttpsServer } from 'node:https';
import type { Logger } from '@nestjs/common';
import type { TlsConfig } from '../config/gateway-config.schema';

export interface TlsMaterial {
  readonly cert: Buffer;
  readonly key: Buffer;
}

export class TlsConfigError extends Error {
  override readonly name = 'TlsConfigError';
}

/** Reads the PEM certificate and key named by the configuration; a clear error when either is unreadable. */
export function readTlsMaterial(config: TlsConfig): TlsMaterial {
  const read = (what: string, file: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new TlsConfigError(`cannot read the TLS ${what} ${file}: ${(error as Error).message}`);
    }
  };
  return { cert: read('certificate', config.certFile), key: read('key', config.keyFile) };
}

/** How often the certificate files are polled (polling also sees a file replaced by rename, as certbot does). */
const WATCH_INTERVAL_MS = 1000;

/**
 * Reloads the certificate and key into the running server when either file changes: new
 * connections get the new certificate, open ones keep theirs (nothing is dropped). A pair that
 * does not load (a half-written file, a key that does not match) is logged and the old one kept.
 * Returns a function that stops watching.
 */
export function watchTlsMaterial(
  server: HttpsServer,
  config: TlsConfig,
  logger: Logger,
  onReload: () => void = () => undefined,
  intervalMs = WATCH_INTERVAL_MS,
): () => void {
  const reload = (): void => {
    try {
      const { cert, key } = readTlsMaterial(config);
      server.setSecureContext({ cert, key });
      logger.log(`TLS certificate reloaded from ${config.certFile}`);
      onReload();
    } catch (error) {
      logger.warn(`TLS certificate not reloaded, keeping the current one: ${(error as Error).message}`);
    }
  };
  const listener = (current: { mtimeMs: number }, previous: { mtimeMs: number }): void => {
    if (current.mtimeMs !== previous.mtimeMs) reload();
  };
  watchFile(config.certFile, { interval: intervalMs, persistent: false }, listener);
  watchFile(config.keyFile, { interval: intervalMs, persistent: false }, listener);
  return () => {
    unwatchFile(config.certFile, listener);
    unwatchFile(config.keyFile, listener);
  };
}
