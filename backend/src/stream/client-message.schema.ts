import {
  BOOK_DEPTH_MAX,
  BOOK_INTERVAL_MAX_MS,
  BOOK_INTERVAL_MIN_MS,
  CANDLE_INTERVALS,
  CHANNELS,
  type ClientMessage,
  type ErrorCode,
} from '@tickwire/feeds';
import { z } from 'zod';

/** Client messages of API v1, validated with zod: unknown fields are refused, not ignored. */

const id = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional();
const intervalMs = z
  .number()
  .int()
  .min(0)
  .max(BOOK_INTERVAL_MAX_MS)
  .refine((value) => value === 0 || value >= BOOK_INTERVAL_MIN_MS, {
    message: `0 (every update) or ${BOOK_INTERVAL_MIN_MS} to ${BOOK_INTERVAL_MAX_MS}`,
  })
  .optional();

const channelRequest = {
  id,
  channel: z.enum(CHANNELS),
  instrument: z.string().min(3).max(64).optional(),
  depth: z.number().int().min(1).max(BOOK_DEPTH_MAX).optional(),
  intervalMs,
  interval: z.enum(CANDLE_INTERVALS).optional(),
};

const subscribeSchema = z.strictObject({ op: z.literal('subscribe'), ...channelRequest });
const unsubscribeSchema = z.strictObject({ op: z.literal('unsubscribe'), ...channelRequest });
const pingSchema = z.strictObject({ op: z.literal('ping'), id });
const authSchema = z.strictObject({ op: z.literal('auth'), id, token: z.string().min(1).max(512) });

const SCHEMAS = {
  subscribe: subscribeSchema,
  unsubscribe: unsubscribeSchema,
  ping: pingSchema,
  auth: authSchema,
} as const;

export type ParsedClientMessage = ClientMessage;

export interface ClientMessageError {
  readonly code: ErrorCode;
  readonly message: string;
  /** The request's id when it had a usable one, so the client can match the error. */
  readonly id?: number;
}

/** Parses one client frame: the message, or an error with its code (never throws). */
export function parseClientMessage(
  text: string,
): { ok: true; message: ParsedClientMessage } | { ok: false; error: ClientMessageError } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: { code: 'malformed_json', message: 'the message is not valid JSON' } };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: { code: 'invalid_message', message: 'a message is a JSON object with an "op"' } };
  }
  const record = value as Record<string, unknown>;
  const requestId = typeof record['id'] === 'number' && Number.isSafeInteger(record['id']) ? record['id'] : undefined;
  const withId = (error: Omit<ClientMessageError, 'id'>): ClientMessageError =>
    requestId === undefined ? error : { ...error, id: requestId };
  const op = record['op'];
  if (typeof op !== 'string')
    return { ok: false, error: withId({ code: 'invalid_message', message: '"op" is missing or not a string' }) };
  if (!Object.hasOwn(SCHEMAS, op)) {
    return {
      ok: false,
      error: withId({
        code: 'unknown_op',
        message: `unknown op ${JSON.stringify(op.slice(0, 32))}; one of ${Object.keys(SCHEMAS).join(', ')}`,
      }),
    };
  }
  const result = SCHEMAS[op as keyof typeof SCHEMAS].safeParse(value);
  if (result.success) return { ok: true, message: result.data as ParsedClientMessage };
  const issue = result.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  const detail = issue === undefined ? 'invalid message' : `${path === '' ? 'message' : path}: ${issue.message}`;
  if (path === 'channel') {
    return {
      ok: false,
      error: withId({ code: 'unknown_channel', message: `unknown channel; one of ${CHANNELS.join(', ')}` }),
    };
  }
  const structural = issue?.code === 'unrecognized_keys' || path === 'op' || path === 'id' || path === 'token';
  return { ok: false, error: withId({ code: structural ? 'invalid_message' : 'bad_parameter', message: detail }) };
}
