/**
 * The contract between `npm run bench` (scripts/bench/run.ts) and its sections: each section
 * is a module exporting `run(opts)`, which measures one thing and returns its figures as
 * Markdown plus the headline numbers for the summary table at the top of docs/benchmarks.md.
 */

export interface BenchOptions {
  /** Small sizes, for trying the benchmark (well under a minute). */
  quick: boolean;
}

export interface BenchSummaryLine {
  metric: string;
  value: string;
  target?: string;
  /** Whether the target was met; absent when there is no target. */
  met?: boolean;
}

export interface BenchSection {
  title: string;
  markdown: string;
  summary: BenchSummaryLine[];
}

export type BenchSectionRun = (opts: BenchOptions) => Promise<BenchSection>;
