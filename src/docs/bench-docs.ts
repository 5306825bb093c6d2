// The generated blocks of docs/performance.md and the README, taken from bench/RESULTS.md (which `npm run bench`
// writes): the run's date and machine, and every target line of every benchmark, so no figure is copied by hand.
import type { Blocks } from './generated-blocks';

/** `bench-run` and `bench-targets` from the text of bench/RESULTS.md. */
export function renderBenchBlocks(results: string): Blocks {
  const lines = results.split('\n');
  // The full run's lines, above the first section (a section run alone names its own under its heading).
  const firstSection = lines.findIndex((l) => l.startsWith('## '));
  const run = lines
    .slice(0, firstSection < 0 ? lines.length : firstSection)
    .filter((l) => /^- (Date|CPU|RAM|Node)\b/.test(l));
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

/** The lines of the section of RESULTS.md whose heading starts with `heading`, up to the next `## `. */
function section(lines: string[], heading: string): string[] {
  const start = lines.findIndex((l) => l.startsWith(heading));
  if (start < 0) throw new Error(`bench/RESULTS.md has no section "${heading}"`);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? lines.length : end);
}

/** The date of a `- Date: …` line among `lines` (its day), or of the whole run. */
const dayOf = (lines: string[], fallback: string) =>
  lines.find((l) => l.startsWith('- Date: '))?.slice('- Date: '.length, '- Date: '.length + 10) ?? fallback;

/**
 * `bench-headline` of the README: the single-instance throughput target (section 2) and every figure of section 2b
 * (two instances behind one Redis), each with the day it was measured.
 */
export function renderReadmeBenchBlocks(results: string): Blocks {
  const lines = results.split('\n');
  const runDay = dayOf(
    lines.slice(
      0,
      lines.findIndex((l) => l.startsWith('## ')),
    ),
    'unknown',
  );
  const single = section(lines, '## 2. Throughput').filter((l) => l.startsWith('- Target "cached dashboard'));
  const two = section(lines, '## 2b. Two instances');
  const figures = two.filter((l) => l.startsWith('- ') && !/^- (Date|CPU|RAM|Node|Load average)\b/.test(l));
  if (single.length === 0 || figures.length === 0)
    throw new Error('bench/RESULTS.md lacks the throughput targets of sections 2 and 2b');
  return {
    'bench-headline': [
      `One instance (bench run of ${runDay}):`,
      '',
      ...single,
      '',
      `Two instances behind one Redis (bench run of ${dayOf(two, runDay)}):`,
      '',
      ...figures,
    ].join('\n'),
  };
}
