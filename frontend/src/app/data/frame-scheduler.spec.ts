import { FrameScheduler } from './frame-scheduler';

describe('FrameScheduler', () => {
  let frames: FrameRequestCallback[];

  beforeEach(() => {
    frames = [];
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frames.push(callback));
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const runFrame = (): void => {
    const callbacks = frames.splice(0);
    for (const callback of callbacks) callback(0);
  };

  it('runs a task once per frame however often it is scheduled, with one frame request', () => {
    const scheduler = new FrameScheduler();
    let runs = 0;
    const task = (): void => {
      runs++;
    };
    for (let message = 0; message < 500; message++) scheduler.schedule(task);
    expect(frames).toHaveLength(1);
    expect(runs).toBe(0);
    runFrame();
    expect(runs).toBe(1);
    runFrame();
    expect(runs).toBe(1);
  });

  it('defers a task scheduled during a frame to the next one, and cancels', () => {
    const scheduler = new FrameScheduler();
    const order: string[] = [];
    const again = (): void => {
      order.push('again');
    };
    scheduler.schedule(() => {
      order.push('first');
      scheduler.schedule(again);
    });
    const cancelled = (): void => {
      order.push('cancelled');
    };
    scheduler.schedule(cancelled);
    scheduler.cancel(cancelled);
    runFrame();
    expect(order).toEqual(['first']);
    runFrame();
    expect(order).toEqual(['first', 'again']);
  });
});
