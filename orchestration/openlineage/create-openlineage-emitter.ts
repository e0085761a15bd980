import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { redactText, warehouseNamespace, type Clock, type Config, type Logger } from '../../core/index.js';
import type { LineageGraph } from '../../transform/index.js';
import type { Step, StepResult } from '../execute/index.js';
import { buildRunEvent } from './build-run-event.js';
import { openLineageFile } from './openlineage-file.js';
import type { RunEvent, RunEventType } from './openlineage-event.js';
import { postRunEvent } from './post-run-event.js';
import { stepDatasets, type StepAsset } from './step-datasets.js';

/** After this many failed POSTs in a row, the rest of the run's events only go to the file. */
const MAX_CONSECUTIVE_FAILURES = 3;
const DEFAULT_TIMEOUT_MS = 3_000;

export interface OpenLineageEmitterOptions {
  config: Pick<Config, 'home' | 'warehouse' | 'openLineage'>;
  clock: Clock;
  logger: Logger;
  runId: string;
  /** The parent job's name: what started the run (`materialize`, `backfill`). */
  parentJob: string;
  describeAsset: (key: string) => StepAsset;
  /** Column lineage of the project; called at most once, when the first model step starts. */
  lineage: () => Promise<LineageGraph>;
  timeoutMs?: number;
}

export interface OpenLineageEmitter {
  onStepStart(step: Step): Promise<void>;
  onStepEnd(result: StepResult): Promise<void>;
  /** Resolves once every event so far is written (and posted, or given up on). Never rejects. */
  flush(): Promise<void>;
}

/**
 * Emits a START and a COMPLETE/FAIL/ABORT RunEvent per step, in order, to
 * `GMP_HOME/lineage/openlineage.jsonl` and (when configured) the OpenLineage endpoint. The hooks
 * return at once and never throw: events are built and sent in the background, and a failing
 * file or endpoint is only a warning, never a failed step.
 */
export function createOpenLineageEmitter(options: OpenLineageEmitterOptions): OpenLineageEmitter {
  const file = openLineageFile(options.config.home);
  const namespace = warehouseNamespace(options.config.warehouse);
  const endpoint = options.config.openLineage?.url;
  const apiKey = options.config.openLineage?.apiKey;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const started = new Set<string>();
  let queue: Promise<void> = Promise.resolve();
  let lineage: Promise<LineageGraph | undefined> | undefined;
  let failures = 0;
  let madeDir = false;

  const lineageOnce = (): Promise<LineageGraph | undefined> =>
    (lineage ??= options.lineage().catch((error: unknown) => {
      options.logger.warn({ err: String(error) }, 'OpenLineage: column lineage could not be computed; events carry no column lineage');
      return undefined;
    }));

  const write = async (event: RunEvent): Promise<void> => {
    const line = redactText(JSON.stringify(event));
    try {
      if (!madeDir) await mkdir(path.dirname(file), { recursive: true });
      madeDir = true;
      await appendFile(file, `${line}\n`);
    } catch (error) {
      options.logger.warn({ err: String(error), file }, 'OpenLineage: could not append the event to the file');
    }
    if (endpoint === undefined || failures >= MAX_CONSECUTIVE_FAILURES) return;
    try {
      await postRunEvent(endpoint, apiKey, line, timeoutMs);
      failures = 0;
    } catch (error) {
      failures++;
      const giveUp = failures >= MAX_CONSECUTIVE_FAILURES;
      options.logger.warn(
        { err: String(error), event_type: event.eventType, job: event.job.name },
        giveUp ? 'OpenLineage: endpoint failing; the rest of this run goes to the file only' : 'OpenLineage: could not post the event',
      );
    }
  };

  const emit = (step: Step, eventType: RunEventType, errorMessage?: string): void => {
    const eventTime = options.clock.now().toISOString();
    const asset = options.describeAsset(step.asset);
    const graph = asset.kind === 'model' ? lineageOnce() : Promise.resolve(undefined);
    queue = queue
      .then(async () => {
        const datasets = stepDatasets(asset, await graph, namespace, eventType === 'COMPLETE');
        const event = buildRunEvent({
          eventType,
          eventTime,
          runId: options.runId,
          stepId: step.id,
          asset: step.asset,
          parentJob: options.parentJob,
          ...datasets,
          ...(errorMessage !== undefined ? { errorMessage } : {}),
        });
        await write(event);
      })
      .catch((error: unknown) => options.logger.warn({ err: String(error) }, 'OpenLineage: could not emit the event'));
  };

  return {
    async onStepStart(step) {
      started.add(step.id);
      emit(step, 'START');
    },
    async onStepEnd(result) {
      const { step } = result;
      if (result.status === 'succeeded') emit(step, 'COMPLETE');
      else if (result.status === 'failed') emit(step, 'FAIL', result.error?.message ?? 'failed');
      // Skipped and canceled-before-start steps never ran: no run to end.
      else if (result.status === 'canceled' && started.has(step.id)) emit(step, 'ABORT', result.error?.message ?? 'canceled');
    },
    flush: () => queue,
  };
}
