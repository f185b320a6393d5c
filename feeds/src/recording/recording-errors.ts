/** A line or header that does not follow the recording format. */
export class RecordingFormatError extends Error {
  override readonly name = 'RecordingFormatError';
}

/**
 * A recording file damaged on disk: truncated (e.g. the writer was killed mid-block) or corrupt
 * (a block fails its CRC or does not inflate). Everything before `offset` was read and delivered.
 */
export class RecordingDamagedError extends Error {
  override readonly name = 'RecordingDamagedError';
  constructor(
    readonly file: string,
    readonly kind: 'truncated' | 'corrupt',
    /** Byte offset of the damaged block. */
    readonly offset: number,
    /** Entries delivered before the damage. */
    readonly entriesRead: number,
    detail: string,
  ) {
    super(`${file}: ${kind} at byte ${offset} after ${entriesRead} entries: ${detail}`);
  }
}
