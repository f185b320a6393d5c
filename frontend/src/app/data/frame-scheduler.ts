import { Injectable } from '@angular/core';

/**
 * Runs each scheduled task at most once per animation frame, however many messages asked for it:
 * the one place where market data turns into pixels or signal writes. Two task sets are swapped so
 * a frame allocates nothing, and a task scheduled while the frame runs waits for the next one.
 */
@Injectable({ providedIn: 'root' })
export class FrameScheduler {
  private pending = new Set<() => void>();
  private running = new Set<() => void>();
  private handle: number | undefined;
  private readonly frame = (): void => {
    this.handle = undefined;
    const tasks = this.pending;
    this.pending = this.running;
    this.running = tasks;
    for (const task of tasks) task();
    tasks.clear();
  };

  schedule(task: () => void): void {
    this.pending.add(task);
    this.handle ??= requestAnimationFrame(this.frame);
  }

  cancel(task: () => void): void {
    this.pending.delete(task);
  }
}
