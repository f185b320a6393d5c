#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { inspectCommand } from './inspect-command';
import { recordCommand } from './record-command';
import { replayCommand } from './replay-command';
import { simulateCommand } from './simulate-command';
import { streamCommand } from './stream-command';
import { VOLATILITY_MODES } from '../simulator';
import { parseTimeArgument } from './time-argument';
import { parseReplaySpeed } from '../replay/replay';

function positiveNumber(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError('must be a positive number');
  return value;
}

export function buildProgram(): Command {
  const program = new Command('tickwire')
    .description('Record, replay, simulate and inspect market-data feeds')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('inspect')
    .description('counts per stream and entry kind, time span, sequence gaps and silences of recordings')
    .argument('<files...>', 'Tickwire recordings (.twrec.gz) or NDJSON captures (../shared/recordings format)')
    .option('--json', 'print the reports as JSON', false)
    .option('--silence <seconds>', 'report receive gaps longer than this', positiveNumber, 5)
    .action(async (files: string[], options: { json: boolean; silence: number }) => {
      process.exitCode = await inspectCommand(files, { json: options.json, silenceSeconds: options.silence });
    });

  program
    .command('record')
    .description('record a venue WebSocket (and the REST snapshots its book sync needs) into recording files')
    .requiredOption('--venue <venue>', 'venue id written in the header (binance, kraken, okx, ...)')
    .requiredOption('--url <url>', 'WebSocket URL, e.g. wss://stream.binance.com:9443/stream?streams=btcusdt@trade')
    .option('--send <message>', 'message to send after each connect (repeatable)', collect, [])
    .option('--http <url>', 'REST URL to fetch and record after each connect (repeatable)', collect, [])
    .option('--stream <name>', 'stream name for the header (repeatable)', collect, [])
    .option('--out <directory>', 'where the files go', 'recordings')
    .option('--duration <seconds>', 'stop after this long (default: until Ctrl-C)', positiveNumber)
    .option('--rotate-mb <megabytes>', 'start a new file after this size', positiveNumber, 512)
    .option('--rotate-minutes <minutes>', 'start a new file after this long', positiveNumber, 60)
    .action(async (options: RecordOptions) => {
      process.exitCode = await recordCommand({
        venue: options.venue,
        url: options.url,
        send: options.send,
        http: options.http,
        streams: options.stream,
        out: options.out,
        durationSeconds: options.duration,
        rotateMegabytes: options.rotateMb,
        rotateMinutes: options.rotateMinutes,
      });
    });

  program
    .command('replay')
    .description("serve a recording through the virtual exchange, in the venue's own protocol")
    .argument('<file>', 'a Tickwire recording (.twrec.gz) or an NDJSON capture')
    .option('--venue <venue>', 'venue dialect (default: from the recording)')
    .option('--speed <speed>', '1 = real time, N = N times faster, max = as fast as clients read', speedArgument, 1)
    .option('--from <time>', 'start at this receive time (ISO 8601 or epoch µs)', parseTimeArgument)
    .option('--to <time>', 'stop after this receive time', parseTimeArgument)
    .option('--host <host>', 'loopback address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0 = any free one)', portArgument, 0)
    .option('--now', 'start at once instead of when the first client connects', false)
    .action(async (file: string, options: ReplayOptions) => {
      process.exitCode = await replayCommand(file, {
        venue: options.venue,
        speed: options.speed,
        from: options.from,
        to: options.to,
        host: options.host,
        port: options.port,
        startOnConnect: !options.now,
      });
    });

  program
    .command('simulate')
    .description('serve the seeded simulated venue in the Binance spot protocol')
    .option('--venue <venue>', 'binance (crypto, Binance protocol) or alpaca (US stocks, Alpaca protocol)', 'binance')
    .option('--seed <n>', 'random seed (same seed and options: same stream)', nonNegativeInteger, 1)
    .option('--rate <msgs>', 'messages per simulated second across all symbols', positiveNumber, 1000)
    .option(
      '--generated <n>',
      'extra generated symbols SIM001USDT, ... beside BTCUSDT and ETHUSDT',
      nonNegativeInteger,
      0,
    )
    .option('--volatility <mode>', 'switching | calm | normal | volatile', 'switching')
    .option('--speed <speed>', '1 = real time, N = faster, max', speedArgument, 1)
    .option('--start-time <time>', 'simulated start (ISO 8601 or epoch µs; default now)', parseTimeArgument)
    .option('--host <host>', 'loopback address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0 = any free one)', portArgument, 0)
    .action(async (options: SimulateOptions) => {
      if (options.venue !== 'binance' && options.venue !== 'alpaca') {
        throw new InvalidArgumentError('--venue must be binance or alpaca');
      }
      const volatility = VOLATILITY_MODES.find((mode) => mode === options.volatility);
      if (volatility === undefined) {
        throw new InvalidArgumentError(`--volatility must be one of ${VOLATILITY_MODES.join(', ')}`);
      }
      process.exitCode = await simulateCommand({
        venue: options.venue,
        seed: options.seed,
        rate: options.rate,
        generated: options.generated,
        volatility,
        speed: options.speed,
        host: options.host,
        port: options.port,
        startTime: options.startTime,
      });
    });

  program
    .command('stream')
    .description('normalized, verified events from a venue (its real endpoint by default) as NDJSON or a summary')
    .requiredOption('--venue <venue>', 'binance, binance-usdm, binance-us, kraken, okx, coinbase, bitfinex or alpaca')
    .requiredOption('--symbol <symbol>', 'normalized symbol, e.g. BTC-USDT (repeatable)', collect, [])
    .option('--channel <channel>', 'book, trades or bbo (repeatable; default book and trades)', collect, [])
    .option('--ws <url>', 'WebSocket URL or base instead of the venue (e.g. a tickwire simulate/replay)')
    .option('--rest <url>', 'REST base instead of the venue (Binance: …/api/v3)')
    .option('--duration <seconds>', 'stop after this long', positiveNumber)
    .option('--summary', 'print best bid/ask and trade counts once a second instead of NDJSON', false)
    .action(async (options: StreamOptions) => {
      process.exitCode = await streamCommand({
        venue: options.venue,
        symbols: options.symbol,
        channels: options.channel.length === 0 ? ['book', 'trades'] : options.channel,
        ws: options.ws,
        rest: options.rest,
        durationSeconds: options.duration,
        format: options.summary ? 'summary' : 'ndjson',
      });
    });

  return program;
}

interface StreamOptions {
  venue: string;
  symbol: string[];
  channel: string[];
  ws?: string;
  rest?: string;
  duration?: number;
  summary: boolean;
}

interface SimulateOptions {
  venue: string;
  seed: number;
  rate: number;
  generated: number;
  volatility: string;
  speed: number | 'max';
  startTime?: number;
  host: string;
  port: number;
}

function nonNegativeInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return value;
}

interface ReplayOptions {
  venue?: string;
  speed: number | 'max';
  from?: number;
  to?: number;
  host: string;
  port: number;
  now: boolean;
}

function speedArgument(text: string): number | 'max' {
  try {
    return parseReplaySpeed(text);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function portArgument(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('must be 0-65535');
  return port;
}

interface RecordOptions {
  venue: string;
  url: string;
  send: string[];
  http: string[];
  stream: string[];
  out: string;
  duration?: number;
  rotateMb: number;
  rotateMinutes: number;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    const code = (error as { exitCode?: number }).exitCode;
    process.exitCode = typeof code === 'number' ? code : 1;
    if (code === undefined)
      process.stderr.write(`tickwire: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}

void main();
