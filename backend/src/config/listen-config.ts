/** Where the gateway listens. The full validated configuration arrives with the gateway issue. */
export interface ListenConfig {
  readonly host: string;
  readonly port: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadListenConfig(env: NodeJS.ProcessEnv): ListenConfig {
  const host = env['TICKWIRE_HOST'] ?? '127.0.0.1';
  const portText = env['TICKWIRE_PORT'] ?? '8080';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    throw new ConfigError(`TICKWIRE_PORT must be an integer from 0 to 65535, got ${JSON.stringify(portText)}`);
  }
  return { host, port };
}
