/** One dispatched event of a `text/event-stream`. */
export interface EventStreamEvent {
  /** The `event:` field, or 'message' when there was none. */
  readonly type: string;
  /** The `data:` lines joined with "\n". */
  readonly data: string;
  /** The last `id:` seen so far in the stream (it carries over to later events, as in EventSource). */
  readonly lastEventId: string;
}

/**
 * Incremental parser of a `text/event-stream` as the HTML standard's EventSource interprets it
 * ("Interpreting an event stream"): lines end with CRLF, LF or CR (also when split across chunks);
 * a leading BOM is dropped; a line starting with ":" is a comment; `field: value` loses one space
 * after the colon, a line without a colon is a field with an empty value; `data` lines accumulate
 * (joined with "\n"), `event` names the event, `id` (without NUL) sets the last event id, `retry`
 * (digits only) the reconnection time; other fields are ignored. A blank line dispatches the event
 * unless no data line came; the event type is reset after each blank line, the last event id is not.
 * An event not closed by a blank line when the stream ends is discarded.
 */
export class EventStreamParser {
  /** Its own (stateful, global) pattern: a dispatch that feeds another parser cannot disturb it. */
  private readonly lineEnd = /\r\n|\r|\n/g;
  private partial: string[] = [];
  /** The previous chunk ended with CR: a LF opening the next one belongs to it. */
  private afterCr = false;
  private started = false;
  private data = '';
  private eventType = '';
  private lastEventId = '';
  /** The last valid `retry:` value, in milliseconds. */
  retryMs: number | undefined;

  constructor(private readonly dispatch: (event: EventStreamEvent) => void) {}

  /** Feeds decoded text; dispatches every event it completes, in order. */
  push(chunk: string): void {
    if (chunk === '') return;
    let text = chunk;
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let start = 0;
    if (this.afterCr) {
      this.afterCr = false;
      if (text.charCodeAt(0) === 10) start = 1;
    }
    const lineEnd = this.lineEnd;
    lineEnd.lastIndex = start;
    for (let match = lineEnd.exec(text); match !== null; match = lineEnd.exec(text)) {
      const end = match.index;
      const piece = text.slice(start, end);
      start = end + match[0].length;
      // A CR ending the chunk may be the first half of a CRLF.
      if (match[0] === '\r' && start === text.length) this.afterCr = true;
      let line = piece;
      if (this.partial.length > 0) {
        this.partial.push(piece);
        line = this.partial.join('');
        this.partial = [];
      }
      this.line(line);
    }
    if (start < text.length) this.partial.push(text.slice(start));
  }

  /** The stream ended: an unfinished line or event is discarded, per the standard. */
  end(): void {
    this.partial = [];
    this.data = '';
    this.eventType = '';
    this.afterCr = false;
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatchEvent();
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' */) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32 /* ' ' */) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data += value + '\n';
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break;
    }
  }

  private dispatchEvent(): void {
    if (this.data === '') {
      this.eventType = '';
      return;
    }
    const event: EventStreamEvent = {
      type: this.eventType === '' ? 'message' : this.eventType,
      data: this.data.slice(0, -1),
      lastEventId: this.lastEventId,
    };
    this.data = '';
    this.eventType = '';
    this.dispatch(event);
  }
}
