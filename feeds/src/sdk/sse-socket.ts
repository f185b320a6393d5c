import {
  API_SSE_PATH,
  API_STREAM_PATH,
  API_TOKEN_PROTOCOL_PREFIX,
  CLOSE_CODES,
  type SessionMessage,
} from '../api/protocol';
import { EventStreamParser, type EventStreamEvent } from './event-stream-parser';
import type { WebSocketCloseEventLike, WebSocketLike, WebSocketMessageEventLike } from './websocket-like';

/**
 * The part of `fetch` the SSE transport uses: the browser's and Node's (18+) both fit. Declared here
 * so the SDK needs neither DOM types nor undici's; method syntax keeps the parameters bivariant.
 */
export type FetchLike = {
  fetch(input: string, init?: FetchInitLike): Promise<FetchResponseLike>;
}['fetch'];

export interface FetchInitLike {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly signal?: AbortSignal;
}

export interface FetchResponseLike {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  readonly body: ByteStreamLike | null;
  text(): Promise<string>;
}

/** A WHATWG ReadableStream of bytes, as much of it as is read here. */
export interface ByteStreamLike {
  getReader(): ByteReaderLike;
}

export interface ByteReaderLike {
  read(): Promise<{ readonly done: boolean; readonly value?: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
}

export interface SseSocketOptions {
  /** globalThis.fetch by default. */
  readonly fetch?: FetchLike;
}

/** Event of `onclose`, shaped like a WebSocket CloseEvent. */
export interface SseCloseEvent extends WebSocketCloseEventLike {
  readonly type: 'close';
  readonly wasClean: boolean;
}

/** Event of `onerror`; `message` says what failed. */
export interface SseErrorEvent {
  readonly type: 'error';
  readonly message: string;
}

/** The stream and session URLs of the gateway's SSE transport for a ws(s):// stream URL. */
export interface SseUrls {
  /** `GET`: http(s)://host/.../api/v1/sse?subscribe=[] (and &token=...). */
  readonly stream: string;
  /** Prefix of the session URL: `POST` to `${sessionBase}/${session id}`. */
  readonly sessionBase: string;
}

/**
 * Maps a gateway stream URL to its SSE URLs: ws:// becomes http://, wss:// https:// (http(s):// is
 * taken as is); a path ending in /api/v1/stream ends in /api/v1/sse instead, any other path gets
 * /api/v1/sse appended (a gateway behind a path prefix). The query is kept; `subscribe=[]` (the
 * client subscribes by POST once the session is open) and the token are added.
 */
export function sseUrls(url: string, token?: string): SseUrls {
  const parsed = new URL(url);
  const scheme = { 'ws:': 'http:', 'wss:': 'https:', 'http:': 'http:', 'https:': 'https:' }[parsed.protocol];
  if (scheme === undefined) throw new SyntaxError(`not a ws(s):// or http(s):// URL: ${url}`);
  let path = parsed.pathname;
  if (path.endsWith(API_STREAM_PATH)) path = path.slice(0, -API_STREAM_PATH.length) + API_SSE_PATH;
  else if (!path.endsWith(API_SSE_PATH)) path = path.replace(/\/+$/, '') + API_SSE_PATH;
  const stream = new URL(parsed.href);
  stream.protocol = scheme;
  stream.pathname = path;
  stream.hash = '';
  stream.searchParams.set('subscribe', '[]');
  if (token !== undefined) stream.searchParams.set('token', token);
  return { stream: stream.href, sessionBase: `${stream.origin}${path}` };
}

/** The token a client offers as its `token.<t>` subprotocol, if any. */
export function tokenOfProtocols(protocols: string | readonly string[] | undefined): string | undefined {
  const list = typeof protocols === 'string' ? [protocols] : (protocols ?? []);
  const offered = list.find((protocol) => protocol.startsWith(API_TOKEN_PROTOCOL_PREFIX));
  return offered?.slice(API_TOKEN_PROTOCOL_PREFIX.length);
}

/** Close codes of the socket itself (others come from the gateway's `close` event). */
export const SSE_CLOSE_CODES = {
  normal: 1000,
  /** The stream did not follow the protocol (no session event first). */
  protocolError: 1002,
  /** Refused, dropped, or ended without a `close` event. */
  abnormal: 1006,
  /** A POST answered 401 or 403. */
  policy: CLOSE_CODES.policy,
  /** A POST answered 413: the message is larger than the gateway accepts. */
  messageTooBig: CLOSE_CODES.messageTooBig,
  /** A POST answered 5xx. */
  serverError: 1011,
  /** A POST answered 429: the gateway closes the session for the message rate. */
  rateLimited: CLOSE_CODES.rateLimited,
} as const;

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

interface Ending {
  readonly code: number;
  readonly reason: string;
  /** Fire onerror first (a failure rather than a close). */
  readonly error: boolean;
  readonly clean: boolean;
}

/**
 * The gateway's Server-Sent Events transport behind the WebSocket interface the client uses, over
 * `fetch` with a streamed body (browsers, Node 18+). `GET /api/v1/sse?subscribe=[]` opens the
 * stream; the socket is open (readyState 1, `onopen`) once its first event, the `session` message,
 * arrived (that one is not passed on); every later event's data is a WebSocket frame's text and
 * goes to `onmessage`. `send` posts to the session URL, one message per request, in order (each
 * POST waits for the previous one's answer). Closing:
 *
 * - `close()` aborts the stream and any POST; `onclose` (1000 unless told otherwise) follows once
 *   nothing of it is in flight any more. `terminate()` does the same with 1006.
 * - a `close` event from the gateway: `onclose` with its code and reason.
 * - a refusal before opening (an HTTP status other than 2xx, or not an event stream): `onerror`,
 *   then `onclose` with 1006 and the status in the reason.
 * - the connection failing or the stream ending without a `close` event: (`onerror` for a failure)
 *   `onclose` with 1006.
 * - a POST that fails: 413 → 1009, 429 → 4008, 401/403 → 1008, 5xx → 1011, anything else or a
 *   network error → 1006.
 *
 * It never reconnects by itself (the client does, and subscribes again). Reasons never contain the
 * token or the session id (a capability).
 */
export class SseSocket implements WebSocketLike {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSING = CLOSING;
  static readonly CLOSED = CLOSED;

  readyState: number = CONNECTING;
  onopen: ((event: { readonly type: 'open' }) => void) | null = null;
  onmessage: ((event: WebSocketMessageEventLike & { readonly type: 'message' }) => void) | null = null;
  onclose: ((event: SseCloseEvent) => void) | null = null;
  onerror: ((event: SseErrorEvent) => void) | null = null;
  /** The URL given (the WebSocket one). */
  readonly url: string;
  /** The last `id:` of the stream (the gateway's resume token; not used by the client). */
  lastEventId = '';

  private readonly fetch: FetchLike;
  private readonly urls: SseUrls;
  private readonly controller = new AbortController();
  private sessionUrl: string | undefined;
  private posts: Promise<void> = Promise.resolve();
  private ending: Ending | undefined;

  constructor(url: string, protocols?: string | string[], options: SseSocketOptions = {}) {
    const fetch = options.fetch ?? globalFetch();
    if (fetch === undefined) throw new TypeError('no global fetch here: pass one as the fetch option');
    this.fetch = fetch;
    this.url = url;
    this.urls = sseUrls(url, tokenOfProtocols(protocols));
    void this.run();
  }

  /** Posts one client message to the session; throws before the socket is open, ignored after it closed. */
  send(data: string): void {
    if (this.readyState === CONNECTING) throw new Error('InvalidStateError: the SSE socket is not open yet');
    if (this.readyState !== OPEN) return;
    this.posts = this.posts.then(() => this.post(data));
  }

  close(code: number = SSE_CLOSE_CODES.normal, reason = ''): void {
    this.end({ code, reason, error: false, clean: true });
  }

  /** Drops the stream at once (like `ws`'s terminate): `onclose` with 1006. */
  terminate(): void {
    this.end({ code: SSE_CLOSE_CODES.abnormal, reason: '', error: false, clean: false });
  }

  /** The first reason to end wins; aborting the fetch makes `run` finish and report it. */
  private end(ending: Ending): void {
    if (this.ending !== undefined) return;
    this.ending = ending;
    if (this.readyState < CLOSING) this.readyState = CLOSING;
    this.controller.abort();
  }

  private async run(): Promise<void> {
    let reader: ByteReaderLike | undefined;
    try {
      const response = await this.fetch(this.urls.stream, {
        headers: { Accept: 'text/event-stream' },
        signal: this.controller.signal,
      });
      const refusal = await refusalOf(response);
      if (refusal !== undefined) {
        this.end({ code: SSE_CLOSE_CODES.abnormal, reason: refusal, error: true, clean: false });
        return;
      }
      reader = (response.body as ByteStreamLike).getReader();
      const decoder = new TextDecoder();
      const parser = new EventStreamParser((event) => {
        this.onEvent(event);
      });
      while (this.ending === undefined) {
        const { done, value } = await reader.read();
        if (done) {
          parser.push(decoder.decode());
          parser.end();
          break;
        }
        if (value !== undefined) parser.push(decoder.decode(value, { stream: true }));
      }
      this.end({ code: SSE_CLOSE_CODES.abnormal, reason: 'the event stream ended', error: false, clean: false });
    } catch (error) {
      this.end({
        code: SSE_CLOSE_CODES.abnormal,
        reason: `the event stream failed: ${messageOf(error)}`,
        error: true,
        clean: false,
      });
    } finally {
      this.controller.abort();
      await reader?.cancel().catch(ignore);
      await this.posts;
      this.finish();
    }
  }

  private finish(): void {
    const ending = this.ending as Ending;
    this.readyState = CLOSED;
    if (ending.error) this.fire(this.onerror, { type: 'error', message: ending.reason });
    this.fire(this.onclose, { type: 'close', code: ending.code, reason: ending.reason, wasClean: ending.clean });
  }

  private onEvent(event: EventStreamEvent): void {
    if (this.ending !== undefined) return;
    this.lastEventId = event.lastEventId;
    if (event.type === 'close') {
      const { code, reason } = closeOf(event.data);
      this.end({ code, reason, error: false, clean: true });
      return;
    }
    if (event.type !== 'message') return;
    if (this.readyState === CONNECTING) {
      const session = sessionOf(event.data);
      if (session === undefined) {
        this.end({
          code: SSE_CLOSE_CODES.protocolError,
          reason: 'the event stream did not begin with a session message',
          error: true,
          clean: false,
        });
        return;
      }
      this.sessionUrl = `${this.urls.sessionBase}/${encodeURIComponent(session.id)}`;
      this.readyState = OPEN;
      this.fire(this.onopen, { type: 'open' });
      return;
    }
    this.fire(this.onmessage, { type: 'message', data: event.data });
  }

  private async post(data: string): Promise<void> {
    if (this.ending !== undefined) return;
    try {
      const response = await this.fetch(this.sessionUrl as string, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: data,
        signal: this.controller.signal,
      });
      // Read the (small) answer so the connection is free for the next request.
      const answer = await response.text();
      if (response.ok) return;
      this.end({
        code: postCloseCode(response.status),
        reason: `POST to the session: HTTP ${response.status}${detailOf(answer, response.statusText)}`,
        error: true,
        clean: false,
      });
    } catch (error) {
      this.end({
        code: SSE_CLOSE_CODES.abnormal,
        reason: `POST to the session failed: ${messageOf(error)}`,
        error: true,
        clean: false,
      });
    }
  }

  /** A handler that throws must not break the stream: its error is reported on its own. */
  private fire<E>(handler: ((event: E) => void) | null, event: E): void {
    if (handler === null) return;
    try {
      handler.call(this, event);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

const ignore = (): void => undefined;

/** globalThis.fetch if there is one, called on globalThis (a browser's fetch refuses another `this`). */
export function globalFetch(): FetchLike | undefined {
  const fetch = (globalThis as { fetch?: FetchLike }).fetch;
  return fetch === undefined ? undefined : (input, init) => fetch.call(globalThis, input, init);
}

/** Why a response does not open an event stream, or undefined when it does. */
async function refusalOf(response: FetchResponseLike): Promise<string | undefined> {
  if (!response.ok) {
    const answer = await response.text().catch(() => '');
    return `HTTP ${response.status}${detailOf(answer, response.statusText)}`;
  }
  const type = response.headers.get('content-type') ?? '';
  if (!/^text\/event-stream\s*(;|$)/i.test(type)) {
    await response.text().catch(() => '');
    return `HTTP ${response.status} but not an event stream (content-type ${type === '' ? 'missing' : type})`;
  }
  if (response.body === null) return `HTTP ${response.status} without a body`;
  return undefined;
}

/** ": <message>" from the gateway's JSON error body, else from the status text. */
function detailOf(answer: string, statusText: string): string {
  let message: unknown;
  try {
    message = (JSON.parse(answer) as { message?: unknown }).message;
  } catch {
    message = undefined;
  }
  if (Array.isArray(message)) message = message.join('; ');
  const detail = typeof message === 'string' && message !== '' ? message : statusText;
  return detail === '' ? '' : `: ${detail.slice(0, 200)}`;
}

function postCloseCode(status: number): number {
  if (status === 413) return SSE_CLOSE_CODES.messageTooBig;
  if (status === 429) return SSE_CLOSE_CODES.rateLimited;
  if (status === 401 || status === 403) return SSE_CLOSE_CODES.policy;
  if (status >= 500) return SSE_CLOSE_CODES.serverError;
  return SSE_CLOSE_CODES.abnormal;
}

function sessionOf(data: string): SessionMessage | undefined {
  try {
    const message = JSON.parse(data) as Partial<SessionMessage> | null;
    return message?.type === 'session' && typeof message.id === 'string' && message.id !== ''
      ? (message as SessionMessage)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The code and reason of a `close` event; 1005 (no status) when it carries none. */
function closeOf(data: string): { code: number; reason: string } {
  try {
    const parsed = JSON.parse(data) as { code?: unknown; reason?: unknown } | null;
    return {
      code: typeof parsed?.code === 'number' && Number.isInteger(parsed.code) ? parsed.code : 1005,
      reason: typeof parsed?.reason === 'string' ? parsed.reason : '',
    };
  } catch {
    return { code: 1005, reason: '' };
  }
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Node's fetch hides the cause (ECONNREFUSED, ...) behind "fetch failed".
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message !== '' ? `${error.message} (${cause.message})` : error.message;
}
