/** Weight of the newest control period in the running averages (about 2 s of memory at 10 per second). */
const LEARNING_RATE = 0.05;
/** Fraction of the accumulated shortfall made up per second. */
const CATCH_UP_PER_SECOND = 0.5;
/** Frames per event before anything was observed (measured: about 1.1 at the default settings). */
const INITIAL_FRAMES_PER_EVENT = 1.1;

/**
 * Steers the total event intensity so that frames per simulated second meet the target.
 *
 * Frames per event are not a constant: a trade event emits several trades and a bookTicker, a
 * churn event far from the touch emits nothing until the next depth update, and depth updates
 * saturate at 10 per second per symbol. So the controller learns frames per event as the ratio of
 * running averages of frames and events per period (a ratio of averages, not an average of
 * ratios, which low rates with mostly empty periods would bias), and plans the next period to
 * meet the target plus part of the accumulated shortfall (integral action: the long-run rate
 * converges to the target).
 */
export class RateController {
  /** Total events per simulated second across all symbols, for the next control period. */
  eventsPerSecond: number;
  private averageFrames: number;
  private averageEvents: number;
  private shortfall = 0;

  constructor(
    private readonly framesPerSecond: number,
    periodSeconds: number,
  ) {
    this.eventsPerSecond = framesPerSecond / INITIAL_FRAMES_PER_EVENT;
    this.averageEvents = this.eventsPerSecond * periodSeconds;
    this.averageFrames = framesPerSecond * periodSeconds;
  }

  /** Called at the end of each control period of `seconds` with what it produced. */
  update(frames: number, events: number, seconds: number): void {
    const target = this.framesPerSecond;
    this.shortfall += target * seconds - frames;
    this.averageFrames += LEARNING_RATE * (frames - this.averageFrames);
    this.averageEvents += LEARNING_RATE * (events - this.averageEvents);
    // Events always make frames eventually (a changed book is a depth update), so the ratio is
    // positive; the bounds only guard the first periods of very slow runs.
    const framesPerEvent = Math.min(100, Math.max(0.05, this.averageFrames / Math.max(this.averageEvents, 1e-9)));
    const planned = Math.min(4 * target, Math.max(0.25 * target, target + CATCH_UP_PER_SECOND * this.shortfall));
    this.eventsPerSecond = planned / framesPerEvent;
  }
}
