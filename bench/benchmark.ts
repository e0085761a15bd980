/** What one benchmark reports: its figures, the target in words, and whether the figures meet it. */
export interface BenchmarkResult {
  name: string;
  figures: Record<string, unknown>;
  target: string;
  met: boolean;
}

/** A named benchmark; `run` measures the project's real code and never throws on a missed target. */
export interface Benchmark {
  name: string;
  /** The target in words (also reported when `run` fails). */
  target: string;
  run(): Promise<BenchmarkResult>;
}
