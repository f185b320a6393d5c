import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { type GatewayConfig, gatewayConfigSchema } from './gateway-config.schema';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Environment variables that override the file, by the config path they set. */
const ENV_OVERRIDES: readonly {
  readonly name: string;
  readonly path: readonly string[];
  readonly type: 'int' | 'string' | 'bool' | 'list';
}[] = [
  { name: 'TICKWIRE_HOST', path: ['listen', 'host'], type: 'string' },
  { name: 'TICKWIRE_PORT', path: ['listen', 'port'], type: 'int' },
  { name: 'TICKWIRE_AUTH_REQUIRED', path: ['auth', 'required'], type: 'bool' },
  { name: 'TICKWIRE_API_KEYS', path: ['auth', 'apiKeys'], type: 'list' },
  { name: 'TICKWIRE_ALLOWED_ORIGINS', path: ['auth', 'allowedOrigins'], type: 'list' },
  { name: 'TICKWIRE_TLS_CERT', path: ['tls', 'certFile'], type: 'string' },
  { name: 'TICKWIRE_TLS_KEY', path: ['tls', 'keyFile'], type: 'string' },
  { name: 'TICKWIRE_TRUST_PROXY', path: ['proxy', 'trusted'], type: 'bool' },
  { name: 'TICKWIRE_MAX_CONNECTIONS_PER_ADDRESS', path: ['limits', 'maxConnectionsPerAddress'], type: 'int' },
  { name: 'TICKWIRE_BUS_URL', path: ['bus', 'url'], type: 'string' },
  { name: 'TICKWIRE_ROLE', path: ['bus', 'role'], type: 'string' },
];

/**
 * The configuration from TICKWIRE_CONFIG (a JSON file, optional) with TICKWIRE_* variables on top,
 * validated. TICKWIRE_FEEDS=simulated is a shortcut for the simulated venue alone (demos, tests).
 * Throws a ConfigError naming every bad value.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): GatewayConfig {
  const file = env['TICKWIRE_CONFIG'];
  let raw: Record<string, unknown> = {};
  if (file !== undefined && file !== '') {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`cannot read TICKWIRE_CONFIG ${file}: ${(error as Error).message}`);
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
      raw = parsed as Record<string, unknown>;
    } catch (error) {
      throw new ConfigError(`TICKWIRE_CONFIG ${file} is not valid JSON: ${(error as Error).message}`);
    }
  }
  for (const override of ENV_OVERRIDES) {
    const text = env[override.name];
    if (text === undefined || text === '') continue;
    setPath(raw, override.path, convert(override.name, text, override.type));
  }
  // A bus URL means the NATS bus.
  const busUrl = env['TICKWIRE_BUS_URL'];
  if (busUrl !== undefined && busUrl !== '') setPath(raw, ['bus', 'kind'], 'nats');
  const bus = raw['bus'] as Record<string, unknown> | undefined;
  if (bus !== undefined && bus['kind'] === undefined && bus['role'] !== undefined) {
    throw new ConfigError('a role needs the NATS bus: set TICKWIRE_BUS_URL (or bus.kind "nats" and bus.url)');
  }
  const feeds = env['TICKWIRE_FEEDS'];
  if (feeds === 'simulated') {
    raw['feeds'] = [
      { kind: 'simulated', protocol: 'binance' },
      { kind: 'simulated', protocol: 'alpaca' },
    ];
  } else if (feeds !== undefined && feeds !== '' && feeds !== 'auto') {
    throw new ConfigError(`TICKWIRE_FEEDS must be "auto" or "simulated", got ${JSON.stringify(feeds)}`);
  }
  return validateConfig(raw);
}

export function validateConfig(raw: unknown): GatewayConfig {
  const result = gatewayConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(`invalid configuration:\n${z.prettifyError({ issues: clearIssues(result.error.issues) })}`);
  }
  const config = result.data;
  if (config.limits.softBufferedBytes >= config.limits.hardBufferedBytes) {
    throw new ConfigError('invalid configuration: limits.softBufferedBytes must be below limits.hardBufferedBytes');
  }
  if (config.auth.required && config.auth.apiKeys.length === 0) {
    throw new ConfigError('invalid configuration: auth.required needs at least one key in auth.apiKeys');
  }
  if (config.feeds !== 'auto') {
    for (const feed of config.feeds) {
      if (feed.kind === 'live') {
        const unknown = feed.pinned.filter((symbol) => !feed.symbols.includes(symbol));
        if (unknown.length > 0) {
          throw new ConfigError(`invalid configuration: ${feed.venue} pins ${unknown.join(', ')}, not in its symbols`);
        }
      }
    }
  }
  return config;
}

/**
 * zod reports a failed union (`feeds`: "auto" or a list) as a bare "Invalid input" at the union;
 * say instead what is wrong in the branch that got furthest into the value (e.g. feeds[0].venue).
 */
function clearIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): { message: string; path: PropertyKey[] }[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [{ message: issue.message, path }];
    const reach = issue.errors.map((branch) => Math.max(0, ...branch.map((inner) => inner.path.length)));
    const furthest = Math.max(...reach);
    const chosen = issue.errors.filter((_, index) => reach[index] === furthest);
    if (furthest > 0 && chosen.length === 1 && chosen[0] !== undefined) return clearIssues(chosen[0], path);
    const alternatives = [...new Set(issue.errors.flat().map((inner) => inner.message))];
    return [{ message: alternatives.join('; or '), path }];
  });
}

function convert(name: string, text: string, type: 'int' | 'string' | 'bool' | 'list'): unknown {
  switch (type) {
    case 'string':
      return text;
    case 'list':
      return text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    case 'bool':
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      throw new ConfigError(`${name} must be true or false, got ${JSON.stringify(text)}`);
    case 'int':
      if (!/^\d+$/.test(text))
        throw new ConfigError(`${name} must be a non-negative integer, got ${JSON.stringify(text)}`);
      return Number(text);
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) {
      node = next as Record<string, unknown>;
    } else {
      const created: Record<string, unknown> = {};
      node[key] = created;
      node = created;
    }
  }
  node[path[path.length - 1] as string] = value;
}
