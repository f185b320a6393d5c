#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { inspectCommand } from './inspect-command';

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

  return program;
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
