import { ConfigError } from '../../lib/config/config';

/** The problems a ConfigError lists; fails the test when `load` does not throw one. */
export function problemsOf(load: () => unknown): readonly string[] {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}
