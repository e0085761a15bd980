import { GmpError, UsageError } from '../../core/index.js';
import { ALIASES, compareOnHoldout, productionVersion, describeComparison, holdoutOf, type FeatureRow, type HoldoutComparison } from '../../ml/index.js';
import { withReader } from '../market/market.js';
import { openStateStore, stateExists, type Workspace } from '../workspace.js';
import { assertModel } from './ml-runs.js';
import { forgetRegistry, loadVersion } from './production-models.js';

export interface PromoteInput {
  model: string;
  version: number;
  /** Promote even when the version is worse on the same holdout (recorded as forced). */
  force?: boolean;
  /** Who promotes (the alias history records it). */
  by: string;
}

export interface PromoteResult {
  model: string;
  version: number;
  /** The version production pointed at before (null: none). */
  previous: number | null;
  promoted: boolean;
  comparison: HoldoutComparison | null;
  reason: string;
}

/**
 * Points `production` at a version — only if it beats the current production version on the same
 * holdout (the version's own, as the warehouse has those games now), unless forced. A refusal
 * changes nothing and says both figures.
 */
export async function promoteModel(ws: Workspace, input: PromoteInput): Promise<PromoteResult> {
  assertModel(input.model);
  if (!stateExists(ws)) throw new UsageError(`${input.model} has no versions yet`, { code: 'NOT_FOUND', hint: 'train it first: gmp materialize --select tag:training' });
  const state = await openStateStore(ws);
  try {
    const versions = await state.listModelVersions(input.model);
    const target = versions.find((v) => v.version === input.version);
    if (target === undefined) {
      throw new UsageError(`${input.model} has no version ${input.version}`, {
        code: 'NOT_FOUND',
        hint: versions.length === 0 ? 'train it first: gmp materialize --select tag:training' : `versions: ${versions.map((v) => v.version).join(', ')}`,
      });
    }
    const current = productionVersion(versions, input.model);
    const now = () => ws.clock.now().toISOString();
    if (current?.version === target.version) {
      return { model: input.model, version: target.version, previous: current.version, promoted: false, comparison: null, reason: `v${target.version} is production already` };
    }
    let comparison: HoldoutComparison | null = null;
    let reason: string;
    if (current === undefined) {
      reason = `v${target.version} promoted: there was no production version`;
    } else {
      const [candidate, production] = await Promise.all([loadVersion(ws, target), loadVersion(ws, current)]);
      const rows = await withReader(ws, (w) => w.query('SELECT * FROM marts.ml_game_features')) as FeatureRow[];
      const holdout = holdoutOf(rows, candidate.saved.target, candidate.saved.cutoff, candidate.saved.asOf);
      if (holdout.length === 0) throw new UsageError(`v${target.version}'s holdout (games released ${candidate.saved.cutoff} to ${candidate.saved.asOf}) is not in the warehouse any more`, { hint: 'retrain, or --force' });
      comparison = compareOnHoldout(candidate, production, holdout);
      const text = describeComparison(comparison, target.version, current.version);
      if (!comparison.better && input.force !== true) {
        throw new GmpError('PROMOTION_REFUSED', `refused: v${target.version} would make production worse or no better: ${text}`, {
          hint: `production stays v${current.version}; --force promotes anyway (recorded as forced)`,
        });
      }
      reason = comparison.better ? `promoted by ${input.by}: ${text}` : `forced by ${input.by} although not better: ${text}`;
    }
    await state.setModelAlias({ model: input.model, alias: ALIASES.production, version: target.version, at: now(), by: input.by, reason });
    forgetRegistry(ws);
    return { model: input.model, version: target.version, previous: current?.version ?? null, promoted: true, comparison, reason };
  } finally {
    await state.close();
  }
}
