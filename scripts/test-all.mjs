#!/usr/bin/env node
// Runs every check of the project in order (lint, format, types, unit tests of every project,
// e2e in headless Chromium) and ends with one summary line of test counts. Every step runs even
// when an earlier one failed, so one run shows everything that is wrong; the exit code is non-zero
// if any step failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const reportsDir = join(process.cwd(), 'tmp', 'reports');
rmSync(reportsDir, { recursive: true, force: true });
mkdirSync(reportsDir, { recursive: true });

const env = { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: '0' };
const nx = ['npx', 'nx'];
const steps = [
  { name: 'lint', command: [...nx, 'run-many', '-t', 'lint', '--output-style=static'] },
  { name: 'lint (workspace scripts, bench)', command: ['npx', 'eslint', 'scripts', 'bench', 'eslint.config.mjs'] },
  { name: 'typecheck (bench)', command: ['npx', 'tsc', '-p', 'bench/tsconfig.json'] },
  // Smoke only (about 30 s): the harness runs and every scenario prints a row; no timing is asserted.
  { name: 'bench (quick smoke)', command: ['npm', 'run', 'bench', '--', '--quick'] },
  { name: 'format', command: ['npx', 'prettier', '--check', '.'] },
  { name: 'typecheck', command: [...nx, 'run-many', '-t', 'typecheck', '--output-style=static'] },
  { name: 'unit tests', command: [...nx, 'run-many', '-t', 'test', '--output-style=static'] },
  { name: 'e2e (headless Chromium)', command: [...nx, 'run', 'e2e:e2e', '--output-style=static'] },
];

const results = [];
for (const step of steps) {
  console.log(`\n=== ${step.name}: ${step.command.join(' ')}`);
  const started = Date.now();
  const run = spawnSync(step.command[0], step.command.slice(1), { stdio: 'inherit', env });
  results.push({ name: step.name, ok: run.status === 0, seconds: (Date.now() - started) / 1000 });
}

/** Vitest's JSON report (jest-compatible) and Playwright's JSON report. */
function countTests(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  if (report.stats) {
    return {
      passed: report.stats.expected + report.stats.flaky,
      failed: report.stats.unexpected,
      skipped: report.stats.skipped,
    };
  }
  return { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests };
}

console.log('\n=== summary');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const project of ['feeds', 'backend', 'frontend', 'e2e']) {
  const file = join(reportsDir, `${project}.json`);
  if (!existsSync(file)) {
    console.log(`${project}: no test report (its step failed before running tests)`);
    failed += 1;
    continue;
  }
  const counts = countTests(file);
  console.log(`${project}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  passed += counts.passed;
  failed += counts.failed;
  skipped += counts.skipped;
}
for (const result of results) {
  console.log(`${result.ok ? 'ok  ' : 'FAIL'} ${result.name} (${result.seconds.toFixed(1)} s)`);
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(results.every((result) => result.ok) && failed === 0 ? 0 : 1);
