import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';

/** Validates query parameters with a zod schema; a 400 naming the bad parameter otherwise. */
export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  const result = schema.safeParse(query);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new BadRequestException(issue === undefined ? 'invalid query' : `${issue.path.join('.')}: ${issue.message}`);
  }
  return result.data;
}
