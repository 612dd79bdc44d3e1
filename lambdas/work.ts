import { InvalidInput } from './shared/errors';
import { requireInteger, requireObject } from './shared/validate';
import type { WorkHandler } from './shared/work-contract';

/**
 * The example job: counts the primes below `limit`, `batch` numbers per call. `next` is the
 * cursor: each call starts where the previous one stopped, in this execution or its successor.
 */
export interface PrimeCount {
  readonly next: number;
  readonly limit: number;
  readonly batch: number;
  readonly primes: number;
}

/** The job an execution started without a state runs. */
export const DEFAULT_JOB: PrimeCount = { next: 2, limit: 1_000_000, batch: 2_000, primes: 0 };

function isPrime(n: number): boolean {
  if (n < 4) return n >= 2;
  if (n % 2 === 0) return false;
  for (let divisor = 3; divisor * divisor <= n; divisor += 2) if (n % divisor === 0) return false;
  return true;
}

function readJob(state: unknown): PrimeCount {
  if (state === null) return DEFAULT_JOB;
  const job = requireObject(state, 'state');
  const read = (field: keyof PrimeCount, min: number) => requireInteger(job, field, min, `state.${field}`);
  const count = { next: read('next', 2), limit: read('limit', 2), batch: read('batch', 1), primes: read('primes', 0) };
  if (count.next > count.limit) throw new InvalidInput(`state.next (${count.next}) must not pass state.limit (${count.limit})`);
  return count;
}

export const handler: WorkHandler<PrimeCount | null> = async ({ state }) => {
  const job = readJob(state);
  const end = Math.min(job.next + job.batch, job.limit);
  let primes = job.primes;
  for (let n = job.next; n < end; n += 1) if (isPrime(n)) primes += 1;
  return { state: { ...job, next: end, primes }, done: end >= job.limit };
};
