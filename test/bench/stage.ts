// A benchmark stage: runs real code on generated data and returns its figures.
/** null: the step did not give a figure (it failed; the reason is beside it). */
export type Metrics = Record<string, number | string | null>;

export interface BenchContext {
  /** Folder for generated data and browser profiles (inside bench-results/, git-ignored). */
  workDir: string;
  /** Log progress for a person watching (stderr, so --json stays clean). */
  log(message: string): void;
}

export interface BenchStage {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<Metrics>;
}
