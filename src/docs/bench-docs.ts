// The generated blocks of docs/performance.md, taken from bench/RESULTS.md (which `npm run bench` writes): the
// run's date and machine, and every target line of every benchmark, so no figure is copied by hand.
import type { Blocks } from './generated-blocks';

/** `bench-run` and `bench-targets` from the text of bench/RESULTS.md. */
export function renderBenchBlocks(results: string): Blocks {
  const lines = results.split('\n');
  const run = lines.filter((l) => /^- (Date|CPU|RAM|Node)\b/.test(l));
  if (run.length === 0) throw new Error('bench/RESULTS.md has no "- Date:" … lines');
  const targets: string[] = [];
  let heading: string | undefined;
  for (const line of lines) {
    if (/^#{2,3} /.test(line)) heading = line.replace(/^#+ /, '');
    else if (/^(- Target |Targets? )/.test(line)) {
      if (heading) targets.push('', `**${heading}**`, '');
      heading = undefined;
      targets.push(line.startsWith('- ') ? line : `- ${line}`);
    }
  }
  if (targets.length === 0) throw new Error('bench/RESULTS.md has no target lines ("- Target …")');
  return { 'bench-run': run.join('\n'), 'bench-targets': targets.slice(1).join('\n') };
}
