import { DefinitionError } from '../../core/index.js';
import type { AssetGraph } from '../graph/index.js';
import { selectAssets } from '../selection/index.js';
import { nextTick } from './next-tick.js';
import { parseCron } from './parse-cron.js';
import type { ScheduleDefinition } from './schedule-definition.js';

/**
 * Checks names (unique, `[a-z0-9_]+`), cron expressions and each target's selection at the next
 * tick; throws one DefinitionError listing every problem, so a daemon never starts half-valid.
 */
export function validateSchedules(schedules: readonly ScheduleDefinition[], graph: AssetGraph, now: Date): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const s of schedules) {
    if (!/^[a-z0-9_]+$/.test(s.name)) problems.push(`schedule "${s.name}": the name must match [a-z0-9_]+`);
    if (seen.has(s.name)) problems.push(`schedule "${s.name}" is defined twice`);
    seen.add(s.name);
    try {
      parseCron(s.cron);
    } catch (error) {
      problems.push(...(error instanceof DefinitionError ? error.problems : [String(error)]).map((p) => `schedule "${s.name}": ${p}`));
      continue;
    }
    const tick = nextTick(s, now);
    if (tick === null) {
      problems.push(`schedule "${s.name}": cron "${s.cron}" never ticks`);
      continue;
    }
    try {
      const target = s.target(tick);
      selectAssets(graph, target.select, target.exclude);
    } catch (error) {
      problems.push(`schedule "${s.name}": ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new DefinitionError(problems);
}
