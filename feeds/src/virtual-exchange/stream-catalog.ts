/**
 * Streams a dialect knows, with what the venue said about each when it was subscribed (a channel
 * id, the recorded ack text). Before any recording is read the catalog is open: every well-formed
 * stream is offered, as a simulator can produce any. After a recording it offers only the
 * recorded streams, so that asking for one the recording lacks gets the venue's error instead of
 * a silent subscription that never delivers.
 */
export class StreamCatalog<Info> {
  private readonly entries = new Map<string, Info>();
  private closed = false;

  /** Called by a dialect for every recorded frame it reads. */
  markRecorded(): void {
    this.closed = true;
  }

  get isRecorded(): boolean {
    return this.closed;
  }

  set(stream: string, info: Info): void {
    this.entries.set(stream, info);
  }

  get(stream: string): Info | undefined {
    return this.entries.get(stream);
  }

  has(stream: string): boolean {
    return this.entries.has(stream);
  }

  offers(stream: string): boolean {
    return !this.closed || this.entries.has(stream);
  }

  streams(): IterableIterator<string> {
    return this.entries.keys();
  }

  /** True when some recorded stream satisfies `predicate` (e.g. names this pair). */
  some(predicate: (stream: string, info: Info) => boolean): boolean {
    for (const [stream, info] of this.entries) if (predicate(stream, info)) return true;
    return false;
  }
}
