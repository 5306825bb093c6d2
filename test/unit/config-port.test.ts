// PORT's rule and its message agree: 0 (any free port) through 65535 are accepted, and the message says so.
import { ConfigError, parseConfig } from '../../src/platform/config';

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    parseConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
};

describe('PORT', () => {
  it('accepts 0 (any free port) and 65535, the ends of the range its message names', () => {
    expect(parseConfig({ PORT: '0' }).port).toBe(0);
    expect(parseConfig({ PORT: '65535' }).port).toBe(65535);
  });

  it.each(['-1', '65536', '1.5', 'abc'])('refuses %s with the message naming the accepted range', (value) => {
    expect(problemsOf({ PORT: value })).toEqual([
      'Invalid PORT: must be a port number (0-65535; 0: any free port)',
    ]);
  });
});
