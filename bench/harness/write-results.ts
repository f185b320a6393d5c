import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MachineInfo } from './env';
import type { BenchOptions } from './options';
import type { NotRun, Row } from './result';
import { verdicts } from './result';

export interface ResultFile {
  readonly startedAt: string;
  readonly command: string;
  readonly machine: MachineInfo;
  readonly options: BenchOptions;
  readonly rows: readonly (Row & { readonly verdicts: ReturnType<typeof verdicts> })[];
  readonly notRun: readonly NotRun[];
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A bar per target: the measured ratio on a log scale from 0.1× to 100×, with the target marked.
 * Green where met, red where missed, grey where not measurable.
 */
export function chartSvg(result: ResultFile): string {
  const bars = result.rows.flatMap((row) =>
    row.verdicts.map((verdict) => ({ label: `${row.scenario}: ${row.case} vs ${verdict.target.peer}`, verdict })),
  );
  const left = 420;
  const width = 360;
  const rowHeight = 18;
  const top = 40;
  const height = top + bars.length * rowHeight + 30;
  const x = (ratio: number): number =>
    Math.round((left + ((Math.log10(Math.min(100, Math.max(0.1, ratio))) + 1) / 3) * width) * 10) / 10;
  const lines: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 90}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="8" y="16" font-size="13">${escapeXml(`Tickwire vs peers: speed ratio (cost ratio for conflation), ${result.machine.node}, ${result.machine.cpu}${result.options.quick ? ', --quick' : ''}`)}</text>`,
  ];
  for (const tick of [0.1, 0.5, 1, 2, 10, 100]) {
    lines.push(
      `<line x1="${x(tick)}" y1="${top - 6}" x2="${x(tick)}" y2="${height - 24}" stroke="#ddd"/>`,
      `<text x="${x(tick)}" y="${height - 10}" text-anchor="middle">${tick}×</text>`,
    );
  }
  bars.forEach(({ label, verdict }, i) => {
    const y = top + i * rowHeight;
    lines.push(`<text x="${left - 6}" y="${y + 12}" text-anchor="end">${escapeXml(label)}</text>`);
    if (verdict.ratio === undefined) {
      lines.push(`<text x="${left + 4}" y="${y + 12}" fill="#888">not measurable</text>`);
      return;
    }
    const colour = verdict.met === true ? '#2a9d4b' : '#d0453a';
    lines.push(
      `<rect x="${left}" y="${y + 3}" width="${Math.max(1, x(verdict.ratio) - left)}" height="${rowHeight - 6}" fill="${colour}"/>`,
      `<line x1="${x(verdict.target.bound)}" y1="${y + 1}" x2="${x(verdict.target.bound)}" y2="${y + rowHeight - 1}" stroke="#000" stroke-width="2"/>`,
      `<text x="${x(verdict.ratio) + 4}" y="${y + 12}">${verdict.ratio.toFixed(2)}×</text>`,
    );
  });
  lines.push('</svg>');
  return lines.join('\n') + '\n';
}

/** Writes bench/results/bench[-quick].json and .svg; returns their paths. */
export function writeResults(directory: string, result: ResultFile): { json: string; svg: string } {
  mkdirSync(directory, { recursive: true });
  const base = join(directory, result.options.quick ? 'bench-quick' : 'bench');
  const json = `${base}.json`;
  const svg = `${base}.svg`;
  writeFileSync(json, JSON.stringify(result, null, 2) + '\n');
  writeFileSync(svg, chartSvg(result));
  return { json, svg };
}
