/*
 * Scenario 5, conflation: 100 symbols ticking at 1 kHz each (100k ticks per virtual second)
 * conflated to the latest tick per symbol every 100 ms (10 Hz), on a virtual clock (RxJS
 * VirtualTimeScheduler, so no wall-clock timer waits). Tickwire: a Subject piped through feeds'
 * latestByKey operator. Peer: a hand-rolled Map + timer on the same scheduler, called directly.
 * The producer, the ticks (preallocated) and the clock are shared; the figure is ticks/s.
 */
import { Subject, type SchedulerAction, VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { latestByKey } from '../../feeds/src/conflation/latest-by-key';
import { measure } from '../harness/measure';
import { scaled, type BenchOptions } from '../harness/options';
import type { Row, Scenario } from '../harness/result';

interface Tick {
  readonly symbol: string;
  readonly price: string;
  readonly size: string;
}

const SYMBOLS = 100;
const WINDOW_MS = 100;
const VARIANTS = 8;

const TICKS: Tick[][] = Array.from({ length: VARIANTS }, (_, v) =>
  Array.from({ length: SYMBOLS }, (_, s) => ({
    symbol: `SYM${s}-USDT`,
    price: `${100 + s}.${v}5`,
    size: `0.${v + 1}`,
  })),
);

/** Runs `millis` virtual ms of 1 kHz × 100 symbols into `onTick`; returns ticks produced. */
function drive(millis: number, setup: (scheduler: VirtualTimeScheduler) => (tick: Tick) => void): number {
  const scheduler = new VirtualTimeScheduler(VirtualAction, millis);
  const onTick = setup(scheduler);
  let produced = 0;
  scheduler.schedule(
    function (this: SchedulerAction<number>, ms = 0) {
      const ticks = TICKS[ms % VARIANTS] ?? [];
      for (const tick of ticks) onTick(tick);
      produced += ticks.length;
      if (ms + 1 < millis) this.schedule(ms + 1, 1);
    },
    0,
    0,
  );
  scheduler.flush();
  return produced;
}

export let emitted = 0;

function viaOperator(millis: number): number {
  return drive(millis, (scheduler) => {
    const source = new Subject<Tick>();
    source.pipe(latestByKey((tick: Tick) => tick.symbol, WINDOW_MS, scheduler)).subscribe(() => {
      emitted++;
    });
    return (tick) => {
      source.next(tick);
    };
  });
}

function handRolled(millis: number): number {
  return drive(millis, (scheduler) => {
    let pending = new Map<string, Tick>();
    let timerSet = false;
    const flush = (): void => {
      timerSet = false;
      const out = pending;
      pending = new Map();
      for (const tick of out.values()) if (tick.price !== '') emitted++;
    };
    return (tick) => {
      pending.set(tick.symbol, tick);
      if (!timerSet) {
        timerSet = true;
        scheduler.schedule(flush, WINDOW_MS);
      }
    };
  });
}

export const conflationScenario: Scenario = {
  id: 'conflation',
  title: 'Conflation: 100 symbols × 1 kHz → 10 Hz, RxJS operator vs Map + timer',
  async run(options: BenchOptions, report: (row: Row) => void) {
    const millis = scaled(options, 10_000);
    emitted = 0;
    viaOperator(millis);
    const fromOperator = emitted;
    emitted = 0;
    handRolled(millis);
    if (emitted !== fromOperator) throw new Error(`conflation outputs differ: ${fromOperator} vs ${emitted}`);
    const ours = await measure(() => viaOperator(millis), options);
    const peer = await measure(() => handRolled(millis), options);
    report({
      scenario: 'conflation',
      case: 'latestByKey 100 sym × 1 kHz → 10 Hz',
      input: `${millis} virtual ms, ${SYMBOLS * millis} ticks, ${fromOperator} conflated outputs (same from both)`,
      unit: 'tick',
      ours: { name: 'Subject → latestByKey (feeds/src/conflation)', measurement: ours },
      peers: [{ name: 'Map + timer', measurement: peer }],
      targets: [{ peer: 'Map + timer', kind: 'cost', bound: 1.3 }],
      notes: ['shared: producer loop, preallocated ticks, VirtualTimeScheduler clock'],
    });
  },
};
