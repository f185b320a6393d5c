import { describe, expect, it } from 'vitest';
import { ConfigError, loadListenConfig } from './listen-config';

describe('loadListenConfig', () => {
  it('defaults to loopback port 8080', () => {
    expect(loadListenConfig({})).toEqual({ host: '127.0.0.1', port: 8080 });
  });

  it('reads host and port from the environment', () => {
    expect(loadListenConfig({ TICKWIRE_HOST: '0.0.0.0', TICKWIRE_PORT: '9000' })).toEqual({
      host: '0.0.0.0',
      port: 9000,
    });
  });

  it.each(['abc', '-1', '70000', '80.5', ''])('rejects port %j with a clear error', (port) => {
    expect(() => loadListenConfig({ TICKWIRE_PORT: port })).toThrow(ConfigError);
    expect(() => loadListenConfig({ TICKWIRE_PORT: port })).toThrow(/TICKWIRE_PORT/);
  });
});
