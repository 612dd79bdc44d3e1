import { requireInteger, requireObject } from './shared/validate';

export interface IteratorEvent {
  readonly index: number;
  readonly step: number;
  readonly count: number;
}

export interface IteratorResult extends IteratorEvent {
  /** True while the advanced index is still below `count`. */
  readonly continue: boolean;
}

/** Advances the continue-as-new loop counter by `step` and says whether to go on. */
export const handler = async (event: unknown): Promise<IteratorResult> => {
  const input = requireObject(event, 'event');
  const count = requireInteger(input, 'count', 1);
  const step = requireInteger(input, 'step', 1);
  const index = requireInteger(input, 'index', -1) + step;
  return { index, step, count, continue: index < count };
};
