// The Node floor in package.json is honest: every package `npm ci` installs accepts it, so npm prints no engine
// warning on the supported Node (docs/deploying.md "Runtime" says which pins keep it so).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// semver is a devDependency; its types are not, and two functions are all this test needs.
const semver = createRequire(__filename)('semver') as {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
};

const root = path.resolve(__dirname, '../..');
const read = <T>(file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as T;

it('installs no package whose engines exclude the lowest Node that package.json accepts', () => {
  const floor = semver.minVersion(read<{ engines: { node: string } }>('package.json').engines.node)!.version;
  const lock = read<{ packages: Record<string, { engines?: { node?: string } | string[] }> }>(
    'package-lock.json',
  );
  const refusing = Object.entries(lock.packages)
    .filter(([where, pkg]) => {
      const range = !Array.isArray(pkg.engines) ? pkg.engines?.node : undefined;
      return where !== '' && range !== undefined && !semver.satisfies(floor, range);
    })
    .map(([where, pkg]) => `${where} (node ${(pkg.engines as { node: string }).node})`);
  expect(refusing).toEqual([]);
  // The check can fail: the lock does record engines, and a range above the floor is caught.
  expect(
    Object.values(lock.packages).some((p) => p.engines && !Array.isArray(p.engines) && p.engines.node),
  ).toBe(true);
  expect(semver.satisfies(floor, '>=22.15.0')).toBe(false);
});
