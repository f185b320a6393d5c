import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** A name for this process on the bus: host, pid and a random part (unique across restarts). */
export function instanceId(role: string): string {
  return `${role}-${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}
