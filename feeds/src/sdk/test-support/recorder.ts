import type { Observable, Subscription } from 'rxjs';
import { Waiters } from './wait-until';

/** Subscribes once and records everything an observable emits, so tests can wait for it. */
export class Recorder<T> {
  readonly values: T[] = [];
  error: unknown = undefined;
  errored = false;
  completed = false;
  private readonly waiters = new Waiters();
  private readonly subscription: Subscription;

  constructor(source: Observable<T>) {
    this.subscription = source.subscribe({
      next: (value) => {
        this.values.push(value);
        this.waiters.notify();
      },
      error: (error: unknown) => {
        this.error = error;
        this.errored = true;
        this.waiters.notify();
      },
      complete: () => {
        this.completed = true;
        this.waiters.notify();
      },
    });
  }

  /** The value at `index`, once there. */
  nth(index: number): Promise<T> {
    return this.waiters.until(`value #${index}`, () => this.values[index]);
  }

  /** The first value (from index `from` on) that matches. */
  first(what: string, predicate: (value: T) => boolean, from = 0): Promise<T> {
    return this.waiters.until(what, () => this.values.slice(from).find(predicate));
  }

  /** Resolves with the error once the observable failed. */
  failure(): Promise<unknown> {
    return this.waiters
      .until('an error', () => (this.errored ? { error: this.error } : undefined))
      .then((e) => e.error);
  }

  completion(): Promise<true> {
    return this.waiters.until('completion', () => (this.completed ? true : undefined));
  }

  unsubscribe(): void {
    this.subscription.unsubscribe();
  }
}
