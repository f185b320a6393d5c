import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, validateConfig } from './load-config';

/** The ConfigError a bad configuration throws (fails the test when it does not throw one). */
function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError, the configuration was accepted');
}

const KEY = 'k'.repeat(20);

describe('validateConfig: clear errors for bad values', () => {
  it('fills in every default from an empty object', () => {
    const config = validateConfig({});
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(config.feeds).toBe('auto');
    expect(config.limits).toEqual({
      maxPayloadBytes: 16_384,
      maxSubscriptionsPerConnection: 200,
      maxMessagesPerSecond: 20,
      messageBurst: 100,
      maxConnectionsPerAddress: 50,
      authTimeoutMs: 5000,
      softBufferedBytes: 1_048_576,
      hardBufferedBytes: 8_388_608,
      maxBookDepth: 1000,
      heartbeatMs: 5000,
    });
    expect(config.auth).toEqual({ required: false, apiKeys: [], allowedOrigins: [], ticketTtlMs: 30_000 });
    expect(config.candleHistory).toBe(1000);
    expect(config.recentTrades).toBe(200);
    expect(config.intervals).toEqual(['1s', '1m', '5m', '15m', '1h', '4h', '1d']);
  });

  it('fills in the defaults of a partial section and of each feed', () => {
    const config = validateConfig({ limits: { maxPayloadBytes: 1024 }, feeds: [{ kind: 'simulated' }] });
    expect(config.limits.maxPayloadBytes).toBe(1024);
    expect(config.limits.maxSubscriptionsPerConnection).toBe(200);
    expect(config.feeds).toEqual([
      { kind: 'simulated', protocol: 'binance', seed: 1, messagesPerSecond: 200, generatedSymbols: 0, pinned: true },
    ]);
  });

  it('names a port out of range', () => {
    const error = configError(() => validateConfig({ listen: { port: 70_000 } }));
    expect(error.message).toMatch(/invalid configuration/);
    expect(error.message).toMatch(/listen\.port/);
    expect(error.message).toMatch(/65535/);
  });

  it('names a port that is not a number', () => {
    const error = configError(() => validateConfig({ listen: { port: '80' } }));
    expect(error.message).toMatch(/listen\.port/);
    expect(error.message).toMatch(/expected number/);
  });

  it('names an unknown venue at the venue field and lists the known ones', () => {
    const error = configError(() =>
      validateConfig({ feeds: [{ kind: 'live', venue: 'nasdaq', symbols: ['BTC-USD'] }] }),
    );
    expect(error.message).toMatch(/feeds\[0\]\.venue/);
    expect(error.message).toMatch(/"kraken"/);
    expect(error.message).toMatch(/"binance"/);
  });

  it('names an unknown feed kind', () => {
    const error = configError(() => validateConfig({ feeds: [{ kind: 'warp' }] }));
    expect(error.message).toMatch(/feeds\[0\]\.kind/);
    expect(error.message).toMatch(/'live' \| 'simulated' \| 'replay'/);
  });

  it('says what feeds may be when it is neither "auto" nor a list', () => {
    const error = configError(() => validateConfig({ feeds: 'autoo' }));
    expect(error.message).toMatch(/→ at feeds/);
    expect(error.message).toMatch(/"auto"/);
    expect(error.message).toMatch(/array/);
  });

  it('refuses an empty feed list', () => {
    const error = configError(() => validateConfig({ feeds: [] }));
    expect(error.message).toMatch(/feeds/);
    expect(error.message).toMatch(/>=1/);
  });

  it('names a symbol that is not BASE-QUOTE', () => {
    const error = configError(() => validateConfig({ feeds: [{ kind: 'live', venue: 'kraken', symbols: ['btc'] }] }));
    expect(error.message).toMatch(/feeds\[0\]\.symbols\[0\]/);
    expect(error.message).toMatch(/BASE-QUOTE/);
  });

  it('refuses a soft buffer bound at or above the hard bound', () => {
    for (const limits of [
      { softBufferedBytes: 1000, hardBufferedBytes: 1000 },
      { softBufferedBytes: 2000, hardBufferedBytes: 1000 },
    ]) {
      const error = configError(() => validateConfig({ limits }));
      expect(error.message).toMatch(/softBufferedBytes must be below limits\.hardBufferedBytes/);
    }
    expect(validateConfig({ limits: { softBufferedBytes: 999, hardBufferedBytes: 1000 } }).limits).toMatchObject({
      softBufferedBytes: 999,
      hardBufferedBytes: 1000,
    });
  });

  it('refuses auth.required without API keys', () => {
    const error = configError(() => validateConfig({ auth: { required: true } }));
    expect(error.message).toMatch(/auth\.required needs at least one key in auth\.apiKeys/);
    expect(validateConfig({ auth: { required: true, apiKeys: [KEY] } }).auth.required).toBe(true);
  });

  it('refuses API keys shorter than 16 characters without echoing them', () => {
    const error = configError(() => validateConfig({ auth: { apiKeys: ['short-key-1234'] } }));
    expect(error.message).toMatch(/auth\.apiKeys\[0\]/);
    expect(error.message).toMatch(/at least 16 characters/);
    expect(error.message).not.toContain('short-key-1234');
  });

  it('refuses a pinned symbol that is not among the symbols', () => {
    const error = configError(() =>
      validateConfig({ feeds: [{ kind: 'live', venue: 'kraken', symbols: ['BTC-USD'], pinned: ['ETH-USD'] }] }),
    );
    expect(error.message).toMatch(/kraken pins ETH-USD, not in its symbols/);
  });

  it('names unknown keys at the top level, in a section and in a feed', () => {
    const error = configError(() =>
      validateConfig({ bogus: 1, limits: { maxPayload: 10 }, feeds: [{ kind: 'simulated', speed: 3 }] }),
    );
    expect(error.message).toMatch(/Unrecognized key: "bogus"/);
    expect(error.message).toMatch(/Unrecognized key: "maxPayload"[\s\S]*→ at limits/);
    expect(error.message).toMatch(/Unrecognized key: "speed"[\s\S]*→ at feeds\[0\]/);
  });

  it('refuses limits beyond their caps (maxPayloadBytes far below ws default)', () => {
    const error = configError(() => validateConfig({ limits: { maxPayloadBytes: 100 * 1024 * 1024 } }));
    expect(error.message).toMatch(/limits\.maxPayloadBytes/);
    const zero = configError(() => validateConfig({ limits: { maxSubscriptionsPerConnection: 0 } }));
    expect(zero.message).toMatch(/limits\.maxSubscriptionsPerConnection/);
  });
});

describe('loadConfig: the file and environment overrides', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tickwire-config-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function file(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  it('gives the defaults with no file and no variables', () => {
    expect(loadConfig({})).toEqual(validateConfig({}));
  });

  it('reads the JSON file named by TICKWIRE_CONFIG', () => {
    const path = file('good.json', JSON.stringify({ listen: { port: 9001 }, limits: { heartbeatMs: 1000 } }));
    const config = loadConfig({ TICKWIRE_CONFIG: path });
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 9001 });
    expect(config.limits.heartbeatMs).toBe(1000);
  });

  it('says the file is not valid JSON, naming it', () => {
    const path = file('bad.json', '{ "listen": { "port": 9001 ');
    const error = configError(() => loadConfig({ TICKWIRE_CONFIG: path }));
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/is not valid JSON/);
  });

  it('refuses a file whose JSON is not an object', () => {
    const path = file('array.json', '[1, 2]');
    const error = configError(() => loadConfig({ TICKWIRE_CONFIG: path }));
    expect(error.message).toMatch(/not a JSON object/);
  });

  it('says a missing file cannot be read', () => {
    const path = join(dir, 'missing.json');
    const error = configError(() => loadConfig({ TICKWIRE_CONFIG: path }));
    expect(error.message).toMatch(/cannot read TICKWIRE_CONFIG/);
    expect(error.message).toContain(path);
  });

  it('validates the file content like any configuration', () => {
    const path = file('invalid.json', JSON.stringify({ listen: { port: -1 } }));
    const error = configError(() => loadConfig({ TICKWIRE_CONFIG: path }));
    expect(error.message).toMatch(/listen\.port/);
  });

  it('TICKWIRE_PORT overrides the file', () => {
    const path = file('port.json', JSON.stringify({ listen: { host: '0.0.0.0', port: 9001 } }));
    const config = loadConfig({ TICKWIRE_CONFIG: path, TICKWIRE_PORT: '9100' });
    expect(config.listen).toEqual({ host: '0.0.0.0', port: 9100 });
  });

  it('refuses a TICKWIRE_PORT that is not an integer or out of range', () => {
    expect(configError(() => loadConfig({ TICKWIRE_PORT: 'abc' })).message).toMatch(
      /TICKWIRE_PORT must be a non-negative integer, got "abc"/,
    );
    expect(configError(() => loadConfig({ TICKWIRE_PORT: '-1' })).message).toMatch(/TICKWIRE_PORT/);
    expect(configError(() => loadConfig({ TICKWIRE_PORT: '99999' })).message).toMatch(/listen\.port/);
  });

  it('TICKWIRE_API_KEYS sets the keys from a comma list, trimmed', () => {
    const other = 'x'.repeat(24);
    const config = loadConfig({ TICKWIRE_API_KEYS: ` ${KEY}, ${other} ,`, TICKWIRE_AUTH_REQUIRED: 'true' });
    expect(config.auth.apiKeys).toEqual([KEY, other]);
    expect(config.auth.required).toBe(true);
  });

  it('TICKWIRE_AUTH_REQUIRED without keys is refused; a bad boolean is named', () => {
    expect(configError(() => loadConfig({ TICKWIRE_AUTH_REQUIRED: 'true' })).message).toMatch(
      /auth\.required needs at least one key/,
    );
    expect(configError(() => loadConfig({ TICKWIRE_AUTH_REQUIRED: 'yes' })).message).toMatch(
      /TICKWIRE_AUTH_REQUIRED must be true or false/,
    );
  });

  it('TICKWIRE_FEEDS=simulated replaces the feeds with the simulated crypto and stock venues', () => {
    const path = file(
      'feeds.json',
      JSON.stringify({ feeds: [{ kind: 'live', venue: 'kraken', symbols: ['BTC-USD'] }] }),
    );
    const config = loadConfig({ TICKWIRE_CONFIG: path, TICKWIRE_FEEDS: 'simulated' });
    expect(config.feeds).toEqual([
      expect.objectContaining({ kind: 'simulated', protocol: 'binance' }),
      expect.objectContaining({ kind: 'simulated', protocol: 'alpaca' }),
    ]);
    expect(loadConfig({ TICKWIRE_FEEDS: 'auto' }).feeds).toBe('auto');
  });

  it('refuses any other TICKWIRE_FEEDS value', () => {
    const error = configError(() => loadConfig({ TICKWIRE_FEEDS: 'live' }));
    expect(error.message).toBe('TICKWIRE_FEEDS must be "auto" or "simulated", got "live"');
  });

  it('TICKWIRE_BUS_URL selects the NATS bus and TICKWIRE_ROLE its role; the default is in-process', () => {
    expect(loadConfig({}).bus).toEqual({ kind: 'in-process' });
    expect(loadConfig({ TICKWIRE_BUS_URL: 'nats://127.0.0.1:4222', TICKWIRE_ROLE: 'gateway' }).bus).toEqual({
      kind: 'nats',
      url: 'nats://127.0.0.1:4222',
      role: 'gateway',
      leaseTtlMs: 3000,
      interestTtlMs: 5000,
    });
    expect(configError(() => loadConfig({ TICKWIRE_BUS_URL: 'nats://x:1', TICKWIRE_ROLE: 'edge' })).message).toMatch(
      /bus\.role/,
    );
    expect(configError(() => loadConfig({ TICKWIRE_BUS_URL: 'http://x:1' })).message).toMatch(/a NATS URL/);
    expect(configError(() => loadConfig({ TICKWIRE_ROLE: 'ingest' })).message).toMatch(/a role needs the NATS bus/);
  });

  it('ignores empty variables', () => {
    expect(loadConfig({ TICKWIRE_PORT: '', TICKWIRE_FEEDS: '', TICKWIRE_CONFIG: '' })).toEqual(validateConfig({}));
  });
});
