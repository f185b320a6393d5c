import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EventStreamEvent, EventStreamParser } from './event-stream-parser';

/** Every event the parser dispatches for these chunks, in order. */
function parse(...chunks: string[]): EventStreamEvent[] {
  const events: EventStreamEvent[] = [];
  const parser = new EventStreamParser((event) => events.push(event));
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return events;
}

const message = (data: string, lastEventId = ''): EventStreamEvent => ({ type: 'message', data, lastEventId });

describe('EventStreamParser', () => {
  it('dispatches one event per blank line, with the data of its data lines', () => {
    expect(parse('data: {"type":"heartbeat","time":1}\n\ndata: b\n\n')).toEqual([
      message('{"type":"heartbeat","time":1}'),
      message('b'),
    ]);
  });

  it('joins multi-line data with \\n and keeps a data line without a value as an empty line', () => {
    expect(parse('data: one\ndata: two\ndata\ndata:\ndata: three\n\n')).toEqual([message('one\ntwo\n\n\nthree')]);
    expect(parse('data\n\n')).toEqual([message('')]);
  });

  it('strips exactly one space after the colon', () => {
    expect(parse('data:no space\n\ndata:  two spaces\n\ndata:\ttab\n\n')).toEqual([
      message('no space'),
      message(' two spaces'),
      message('\ttab'),
    ]);
  });

  it('ignores comments, unknown fields and blank lines without data', () => {
    expect(parse(': keep-alive\n\n:\nfoo: bar\ndata: x\n: inside\nDATA: upper case is another field\n\n\n\n')).toEqual([
      message('x'),
    ]);
  });

  it('takes CRLF, CR and LF as line ends, mixed, also when a CRLF is split across chunks', () => {
    const expected = [message('a'), message('b'), message('c\nd')];
    expect(parse('data: a\r\n\r\ndata: b\r\rdata: c\ndata: d\r\n\n')).toEqual(expected);
    expect(parse('data: a\r', '\n\r', '\ndata: b\r', '\r', 'data: c\r', '\ndata: d\r\n', '\n')).toEqual(expected);
    // A CR, then a chunk opening with a LF: one line end, not an extra blank line.
    expect(parse('data: x\r', '\ndata: y\r\n\r\n')).toEqual([message('x\ny')]);
  });

  it('names events with the event field, resetting it after each dispatch (also one without data)', () => {
    expect(
      parse('event: close\ndata: {"code":1001,"reason":"bye"}\n\ndata: plain\n\nevent: lost\n\ndata: z\n\n'),
    ).toEqual([
      { type: 'close', data: '{"code":1001,"reason":"bye"}', lastEventId: '' },
      message('plain'),
      message('z'),
    ]);
  });

  it('keeps the last event id across events, resets it with an empty id and ignores one with NUL', () => {
    expect(parse('id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\nid: 9\n\nid: x\0y\ndata: d\n\n')).toEqual([
      message('a', '7'),
      message('b', '7'),
      message('c', ''),
      message('d', '9'),
    ]);
  });

  it('records a retry of digits only', () => {
    const parser = new EventStreamParser(() => undefined);
    parser.push('retry: 1000\n\n');
    expect(parser.retryMs).toBe(1000);
    parser.push('retry: 12a\n\nretry: -5\n\nretry:\n\n');
    expect(parser.retryMs).toBe(1000);
  });

  it('drops a leading BOM (once) and discards an event the stream did not finish', () => {
    // A BOM later on is part of the line: "\uFEFFdata" is an unknown field.
    expect(parse('\uFEFFdata: a\n\n\uFEFFdata: b\n\n')).toEqual([message('a')]);
    expect(parse('\uFEFF', 'data: a\n\n')).toEqual([message('a')]);
    expect(parse('data: complete\n\ndata: incomplete\n')).toEqual([message('complete')]);
    expect(parse('data: no line end')).toEqual([]);
  });

  it('treats a line without a colon as a field name with an empty value', () => {
    expect(parse('data\nevent\n\n')).toEqual([message('')]);
  });

  it('gives the same events however the stream is cut into chunks', () => {
    const line = fc.oneof(
      fc.string({ maxLength: 12 }).map((s) => `data: ${s.replace(/[\r\n]/g, '')}`),
      fc.constantFrom('', ': comment', 'event: close', 'id: 42', 'id', 'retry: 5', 'data', 'data:é€😀'),
    );
    const stream = fc.tuple(
      fc.array(fc.tuple(line, fc.constantFrom('\n', '\r', '\r\n')), { maxLength: 30 }),
      fc.array(fc.nat(), { maxLength: 10 }),
    );
    fc.assert(
      fc.property(stream, ([lines, cuts]) => {
        const text = lines.map(([l, end]) => l + end).join('');
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunks: string[] = [];
        let from = 0;
        for (const point of points) {
          chunks.push(text.slice(from, point));
          from = point;
        }
        chunks.push(text.slice(from));
        expect(parse(...chunks)).toEqual(parse(text));
        // And as the standard reads it, one line at a time.
        expect(parse(text)).toEqual(referenceParse(text));
      }),
    );
  });
});

/** The standard's algorithm, literally, over the whole text at once (no chunking to get wrong). */
function referenceParse(text: string): EventStreamEvent[] {
  const events: EventStreamEvent[] = [];
  let data = '';
  let type = '';
  let id = '';
  const lines = text.split(/\r\n|\r|\n/);
  lines.pop(); // what follows the last line end is not a complete line
  for (const line of lines) {
    if (line === '') {
      if (data !== '') events.push({ type: type === '' ? 'message' : type, data: data.slice(0, -1), lastEventId: id });
      data = '';
      type = '';
    } else if (!line.startsWith(':')) {
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') data += `${value}\n`;
      else if (field === 'event') type = value;
      else if (field === 'id' && !value.includes('\0')) id = value;
    }
  }
  return events;
}
