import { existsSync } from 'node:fs';
import { RecordingReader } from '../recording/recording-reader';
import type { RecordingHeader } from '../recording/recording-entry';
import { RECORDING_EXTENSION } from '../recording/recording-writer';
import { openRecordingEntries } from '../replay/open-recording';
import { countEntries } from './count-entries';
import { formatInspection, type InspectionReport, inspectRecording } from './inspect-recording';
import { createProgress } from './progress';

export interface InspectCommandOptions {
  readonly json: boolean;
  readonly silenceSeconds: number;
}

/** `tickwire inspect FILE...`: one report per file; exit code 1 when a file is damaged or unreadable. */
export async function inspectCommand(files: readonly string[], options: InspectCommandOptions): Promise<number> {
  const reports: InspectionReport[] = [];
  let failed = false;
  for (const file of files) {
    if (!existsSync(file)) {
      process.stderr.write(`tickwire inspect: no such file: ${file}\n`);
      failed = true;
      continue;
    }
    try {
      const header: RecordingHeader | null = file.endsWith(RECORDING_EXTENSION)
        ? (await RecordingReader.open(file)).header
        : null;
      const progress = createProgress(`inspect ${file}`, await countEntries([file]));
      const report = await inspectRecording(file, header, await openRecordingEntries(file), {
        silenceMicros: options.silenceSeconds * 1e6,
        onEntry: (count) => {
          progress.update(count);
        },
      });
      progress.stop();
      if (report.damage !== null) failed = true;
      reports.push(report);
      if (!options.json) process.stdout.write(`${formatInspection(report)}\n\n`);
    } catch (error) {
      failed = true;
      process.stderr.write(`tickwire inspect: ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  if (options.json) process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
  return failed ? 1 : 0;
}
