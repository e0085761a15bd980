import path from 'node:path';

/** The file every run's OpenLineage events are appended to, one JSON object a line. */
export function openLineageFile(home: string): string {
  return path.join(home, 'lineage', 'openlineage.jsonl');
}
