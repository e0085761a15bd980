/** The OpenLineage spec version whose RunEvent shape these types follow. */
export const OPENLINEAGE_SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';

/** Who produced the events: this pipeline (the `producer` and every facet's `_producer`). */
export const GMP_PRODUCER = 'https://github.com/game-market-pipeline/gmp/tree/v0.1.0';

/** The job namespace of every gmp job (steps and their parent run). */
export const GMP_JOB_NAMESPACE = 'gmp';

/** The dataset namespace of the RAWG API endpoints that ingestion steps read. */
export const RAWG_NAMESPACE = 'rawg';

export type RunEventType = 'START' | 'COMPLETE' | 'FAIL' | 'ABORT';

/** Every facet carries who produced it and the schema it follows. */
export interface BaseFacet {
  _producer: string;
  _schemaURL: string;
}

export interface SchemaField {
  name: string;
  type?: string;
}

export interface InputField {
  namespace: string;
  name: string;
  field: string;
  transformations?: { type: 'DIRECT' | 'INDIRECT'; subtype?: string; description?: string }[];
}

export interface DatasetFacets {
  schema?: BaseFacet & { fields: SchemaField[] };
  columnLineage?: BaseFacet & { fields: Record<string, { inputFields: InputField[] }> };
}

/** A dataset an event names: `namespace` is where it lives, `name` what it is there. */
export interface Dataset {
  namespace: string;
  name: string;
  facets?: DatasetFacets;
}

export interface RunFacets {
  parent?: BaseFacet & { run: { runId: string }; job: { namespace: string; name: string } };
  errorMessage?: BaseFacet & { message: string; programmingLanguage: string };
}

/** One OpenLineage RunEvent (spec 2-0-2). */
export interface RunEvent {
  eventType: RunEventType;
  eventTime: string;
  run: { runId: string; facets?: RunFacets };
  job: { namespace: string; name: string };
  inputs: Dataset[];
  outputs: Dataset[];
  producer: string;
  schemaURL: string;
}
