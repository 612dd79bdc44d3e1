/**
 * History events one execution can write, counted per state as Step Functions records them:
 * a Lambda Task 5 (entered, scheduled, started, succeeded, exited), Pass/Choice/Wait/Succeed 2,
 * Fail 1 (entered; the execution's failure follows), the execution itself 2. Each allowed retry
 * of a Task adds 3 (scheduled, started, failed). A Task that runs a job (`.sync`) also records
 * TaskSubmitted: 6, and 4 per retry.
 */
export const HISTORY_EVENT_QUOTA = 25_000;
export const HISTORY_BUDGET_SHARE = 0.8;
export const TASK_EVENTS = 5;
export const STATE_EVENTS = 2;
export const FAIL_STATE_EVENTS = 1;
export const EXECUTION_EVENTS = 2;
export const RETRY_EVENTS = 3;
export const SYNC_TASK_EVENTS = 6;
export const SYNC_RETRY_EVENTS = 4;
/**
 * Retries a poll schedule's settings are checked with on every Task call. A loop does not rely on
 * it: it counts the retries it spent and hands over (or gives up polling) before the retries its
 * policies still allow could pass the budget.
 */
export const RETRIES_ALLOWED_PER_TASK = 1;

export interface HistoryEstimate {
  readonly events: number;
  readonly budget: number;
  readonly stateTransitions: number;
}

export const HISTORY_BUDGET = Math.floor(HISTORY_EVENT_QUOTA * HISTORY_BUDGET_SHARE);
const budget = HISTORY_BUDGET;

export interface PollSchedule {
  readonly firstIntervalSeconds: number;
  readonly maxIntervalSeconds: number;
  readonly maxWaitSeconds: number;
}

/** The waits a polling machine makes before it gives up: doubling from the first, capped. */
export function pollWaits(schedule: PollSchedule): number[] {
  const waits: number[] = [];
  let waited = 0;
  let interval = schedule.firstIntervalSeconds;
  while (waited < schedule.maxWaitSeconds) {
    waits.push(interval);
    waited += interval;
    interval = Math.min(interval * 2, schedule.maxIntervalSeconds);
  }
  return waits;
}

/**
 * How many waits `pollWaits` lists, and how many of them after the first are a doubled interval
 * cut to the cap (each runs CapPollInterval), counted without listing them: a long wait at a
 * short cap, as an over-budget setting has, is hundreds of thousands of waits.
 */
export function pollCounts(schedule: PollSchedule): { readonly polls: number; readonly capped: number } {
  const { maxIntervalSeconds: cap, maxWaitSeconds } = schedule;
  let polls = 0;
  let waited = 0;
  let interval = schedule.firstIntervalSeconds;
  let previous: number | undefined;
  // Doubling: about a dozen waits at most before the interval reaches the cap.
  while (waited < maxWaitSeconds && interval !== cap) {
    polls++;
    waited += interval;
    previous = interval;
    interval = Math.min(interval * 2, cap);
  }
  const atCap = waited < maxWaitSeconds ? Math.ceil((maxWaitSeconds - waited) / cap) : 0;
  // Every wait at the cap after the first is cut to it; the first is when the doubling passed the cap rather than landed on it.
  const firstIsCut = previous !== undefined && previous * 2 > cap;
  const capped = atCap === 0 ? 0 : atCap - 1 + (firstIsCut ? 1 : 0);
  return { polls: polls + atCap, capped };
}

/** How a polling execution ends: timed out, or with the job done at its last poll. */
export type PollEnding = 'timeout' | 'available';

/** The states a polling definition runs after the check that finds its job done, besides that check's Choice. */
export interface SuccessTail {
  /** Task states among them (each counted with its allowed retries). */
  readonly tasks: number;
  /** Pass, Succeed and other two-event states among them. */
  readonly states: number;
}

/**
 * One execution of a polling definition (asl/polling.asl.json inside its own) polling for the
 * whole schedule: KeepInput, the starting Task, StartPolling, then per poll WaitBeforePoll, the
 * checking Task, its status Choice, ScheduleNextPoll, CheckPollBudget (and CapPollInterval once
 * the doubled interval passes the cap). It ends with ExplainPollTimeout and PollTimeout, or,
 * when the last poll finds the job done, with the definition's success tail. Without `ending`,
 * the costlier.
 */
export function pollingHistory(schedule: PollSchedule, tail: SuccessTail, retriesPerTask = RETRIES_ALLOWED_PER_TASK, ending?: PollEnding): HistoryEstimate {
  if (ending === undefined) {
    const [timeout, available] = (['timeout', 'available'] as const).map((e) => pollingHistory(schedule, tail, retriesPerTask, e));
    return timeout.events >= available.events ? timeout : available;
  }
  const taskCall = TASK_EVENTS + retriesPerTask * RETRY_EVENTS;
  const { polls, capped } = pollCounts(schedule);
  const start = { events: EXECUTION_EVENTS + STATE_EVENTS + taskCall + STATE_EVENTS, transitions: 3 };
  const poll = { events: STATE_EVENTS + taskCall + 3 * STATE_EVENTS, transitions: 5 };
  const end =
    ending === 'timeout'
      ? { events: poll.events + STATE_EVENTS + FAIL_STATE_EVENTS, transitions: poll.transitions + 2 }
      : { events: STATE_EVENTS + taskCall + STATE_EVENTS + tail.tasks * taskCall + tail.states * STATE_EVENTS, transitions: 3 + tail.tasks + tail.states };
  return {
    events: start.events + (polls - 1) * poll.events + capped * STATE_EVENTS + end.events,
    budget,
    stateTransitions: start.transitions + (polls - 1) * poll.transitions + capped + end.transitions,
  };
}

/** The parts of a state the budget reads. */
export interface BudgetState {
  readonly Type: string;
  readonly Resource?: string;
  readonly Next?: string;
  readonly Default?: string;
  readonly Choices?: readonly { readonly Next?: string }[];
  readonly Catch?: readonly { readonly Next: string }[];
  readonly Retry?: readonly { readonly MaxAttempts?: number }[];
}

export interface BudgetDefinition {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, BudgetState>>;
}

/** A Task that runs a job and waits for it (`.sync`, `.sync:2`). */
export const isSyncTask = (state: BudgetState) => state.Type === 'Task' && /\.sync(:\d+)?$/.test(state.Resource ?? '');

/**
 * Every retry a state's policies allow: each retrier counts its own attempts and an error is
 * retried by the first that matches it, so errors taking turns can spend them all (ASL's default
 * MaxAttempts is 3).
 */
export const retriesAllowed = (state: BudgetState) => (state.Retry ?? []).reduce((sum, retrier) => sum + (retrier.MaxAttempts ?? 3), 0);

/** History events one failed attempt of a state adds. */
export const eventsPerRetry = (state: BudgetState) => (isSyncTask(state) ? SYNC_RETRY_EVENTS : RETRY_EVENTS);

/** History events one pass through a state writes: with `retries` retries of a Task, or at worst every retry its policies allow. */
export function eventsOf(state: BudgetState, retries: number = retriesAllowed(state)): number {
  if (isSyncTask(state)) return SYNC_TASK_EVENTS + retries * SYNC_RETRY_EVENTS;
  if (state.Type === 'Task') return TASK_EVENTS + retries * RETRY_EVENTS;
  return state.Type === 'Fail' ? FAIL_STATE_EVENTS : STATE_EVENTS;
}

function nextStates(state: BudgetState): string[] {
  const targets = [state.Next, state.Default, ...(state.Choices ?? []).map((rule) => rule.Next), ...(state.Catch ?? []).map((catcher) => catcher.Next)];
  return [...new Set(targets.filter((target): target is string => target !== undefined))];
}

/** Strongly connected components (Tarjan), each a list of state names. */
function components(definition: BudgetDefinition): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (name: string) => {
    index.set(name, index.size);
    low.set(name, index.get(name)!);
    stack.push(name);
    for (const next of nextStates(definition.States[name])) {
      if (!index.has(next)) {
        visit(next);
        low.set(name, Math.min(low.get(name)!, low.get(next)!));
      } else if (stack.includes(next)) {
        low.set(name, Math.min(low.get(name)!, index.get(next)!));
      }
    }
    if (low.get(name) === index.get(name)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        component.push(member);
      } while (member !== name);
      found.push(component);
    }
  };
  for (const name of Object.keys(definition.States)) if (!index.has(name)) visit(name);
  return found;
}

export interface LoopBudget {
  /** The states of the costliest pass around the loop, in order. */
  readonly loop: readonly string[];
  /** The loop's Tasks: their retries are what a pass adds to its own cost (a loop that counts its events has exactly one). */
  readonly loopTasks: readonly string[];
  /** Events of the costliest pass with no retry: what every pass is counted at before its retries. */
  readonly eventsPerIteration: number;
  /** Events each retry of the loop's Task adds. */
  readonly eventsPerRetry: number;
  /** Events of the costliest pass with every retry its policies allow. */
  readonly worstEventsPerIteration: number;
  readonly transitionsPerIteration: number;
  /** Events outside the loop on the costliest path through the definition, the execution's own and every allowed retry included. */
  readonly fixedEvents: number;
  /** States outside the loop on that path: its state transitions. */
  readonly fixedTransitions: number;
  readonly budget: number;
  /**
   * The loop goes round again only while the events it has spent, counted pass by pass with the
   * retries each pass took, are at most this: the worst next pass and the worst way out then still
   * fit the budget. Past it, the loop hands over (or gives up).
   */
  readonly handoverEvents: number;
  /** The most iterations one execution can run (with no retry at all): more could never be reached. */
  readonly maxIterations: number;
}

/**
 * Derives the iteration budget from a definition's graph: the one loop in it, its costliest
 * pass, and the costliest path through everything else, each Task with every retry its policies
 * allow (or `retriesPerTask` each, for a fault-free figure). Add a state to the loop and the
 * count drops; no hand-kept formula follows the definition's shape.
 */
export function loopBudget(definition: BudgetDefinition, retriesPerTask?: number): LoopBudget {
  const cost = (name: string) => eventsOf(definition.States[name], retriesPerTask);
  const loops = components(definition).filter((c) => c.length > 1 || nextStates(definition.States[c[0]]).includes(c[0]));
  if (loops.length !== 1) throw new Error(`the history budget needs exactly one loop in the definition, found ${loops.length}`);
  const members = new Set(loops[0]);

  let loop: string[] = [];
  let loopCost = 0;
  const walk = (start: string, path: string[]) => {
    for (const next of nextStates(definition.States[path[path.length - 1]])) {
      if (next === start) {
        const pathCost = path.reduce((sum, name) => sum + cost(name), 0);
        if (pathCost > loopCost) [loop, loopCost] = [[...path], pathCost];
      } else if (members.has(next) && !path.includes(next)) {
        walk(start, [...path, next]);
      }
    }
  };
  for (const start of members) walk(start, [start]);

  // The loop counts as one node of cost 0; the rest of the graph is acyclic around it.
  const longest = new Map<string, { events: number; transitions: number }>();
  const costliestFrom = (name: string): { events: number; transitions: number } => {
    const node = members.has(name) ? 'loop' : name;
    const known = longest.get(node);
    if (known) return known;
    const exits = node === 'loop' ? [...members].flatMap((member) => nextStates(definition.States[member]).filter((next) => !members.has(next))) : nextStates(definition.States[name]);
    const rest = exits.map(costliestFrom).reduce((worst, path) => (path.events > worst.events ? path : worst), { events: 0, transitions: 0 });
    const value = node === 'loop' ? rest : { events: cost(name) + rest.events, transitions: 1 + rest.transitions };
    longest.set(node, value);
    return value;
  };
  const outside = costliestFrom(definition.StartAt);
  const fixedEvents = EXECUTION_EVENTS + outside.events;
  // Read the loop from where the definition enters it.
  const entry = loop.findIndex((name) => Object.entries(definition.States).some(([from, state]) => !members.has(from) && nextStates(state).includes(name)));
  loop = [...loop.slice(Math.max(entry, 0)), ...loop.slice(0, Math.max(entry, 0))];
  const tasks = loop.filter((name) => definition.States[name].Type === 'Task');
  const eventsPerIteration = loop.reduce((sum, name) => sum + eventsOf(definition.States[name], 0), 0);
  const handoverEvents = budget - fixedEvents - loopCost;
  return {
    loop,
    loopTasks: tasks,
    eventsPerIteration,
    eventsPerRetry: Math.max(0, ...tasks.map((name) => eventsPerRetry(definition.States[name]))),
    worstEventsPerIteration: loopCost,
    transitionsPerIteration: loop.length,
    fixedEvents,
    fixedTransitions: outside.transitions,
    budget,
    handoverEvents,
    maxIterations: handoverEvents < 0 ? 0 : Math.floor(handoverEvents / eventsPerIteration) + 1,
  };
}

/** The most events an execution of the loop writes, whatever its retries, when it also stops after `iterations` passes. */
export function worstCaseEvents(budget: LoopBudget, iterations: number): number {
  return budget.fixedEvents + Math.min(iterations * budget.worstEventsPerIteration, budget.handoverEvents + budget.worstEventsPerIteration);
}

/**
 * The intrinsic a loop counts its spent events with, once per pass: the counter at `counterPath`
 * plus the pass's own events plus each retry its Task took (`retriesPath`, the `$$.State.RetryCount`
 * its last attempt saw), a retry's events added as repeated sums since ASL has no multiplication.
 */
export function eventsSpentIntrinsic(budget: LoopBudget, counterPath: string, retriesPath: string): string {
  if (budget.loopTasks.length !== 1) throw new Error(`a loop counts the retries of exactly one Task, and ${budget.loop.join(' -> ')} has ${budget.loopTasks.length}`);
  let retries = retriesPath;
  for (let i = 1; i < budget.eventsPerRetry; i += 1) retries = `States.MathAdd(${retriesPath}, ${retries})`;
  return `States.MathAdd(${counterPath}, States.MathAdd(${budget.eventsPerIteration}, ${retries}))`;
}
