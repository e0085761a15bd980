import { lineageUuid } from './lineage-uuid.js';
import {
  GMP_JOB_NAMESPACE,
  GMP_PRODUCER,
  OPENLINEAGE_SCHEMA_URL,
  type Dataset,
  type RunEvent,
  type RunEventType,
  type RunFacets,
} from './openlineage-event.js';

const PARENT_FACET_URL = 'https://openlineage.io/spec/facets/1-1-0/ParentRunFacet.json#/$defs/ParentRunFacet';
const ERROR_FACET_URL = 'https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet';

export interface RunEventInput {
  eventType: RunEventType;
  eventTime: string;
  /** The gmp run id and the step id (`asset[partition]`): together they name the OpenLineage run. */
  runId: string;
  stepId: string;
  asset: string;
  /** The parent job: what started the gmp run (`materialize`, `backfill`, …). */
  parentJob: string;
  inputs?: Dataset[];
  outputs?: Dataset[];
  errorMessage?: string;
}

/** One step's OpenLineage RunEvent: a deterministic run UUID with the gmp run as its parent. Pure. */
export function buildRunEvent(input: RunEventInput): RunEvent {
  const facets: RunFacets = {
    parent: {
      _producer: GMP_PRODUCER,
      _schemaURL: PARENT_FACET_URL,
      run: { runId: lineageUuid(input.runId) },
      job: { namespace: GMP_JOB_NAMESPACE, name: input.parentJob },
    },
  };
  if (input.errorMessage !== undefined) {
    facets.errorMessage = { _producer: GMP_PRODUCER, _schemaURL: ERROR_FACET_URL, message: input.errorMessage, programmingLanguage: 'TypeScript' };
  }
  return {
    eventType: input.eventType,
    eventTime: input.eventTime,
    run: { runId: lineageUuid(input.runId, input.stepId), facets },
    job: { namespace: GMP_JOB_NAMESPACE, name: input.asset },
    inputs: input.inputs ?? [],
    outputs: input.outputs ?? [],
    producer: GMP_PRODUCER,
    schemaURL: OPENLINEAGE_SCHEMA_URL,
  };
}
