import { defineDetailEndpoint, defineEndpoint, type DetailSpec, type EndpointSpec } from '../../endpoints/endpoint-spec.js';
import { GAME_ITEM, PARENT_PLATFORM_ITEM, PLATFORM_ITEM, TAXONOMY_ITEM } from './item-schemas.js';

/** RAWG's catalogue starts long before 2015, but daily `updated` partitions begin here. */
export const RAWG_PARTITIONS_START = '2015-01-01';

const snapshot = (entity: string, path: string, description: string, itemSchema = TAXONOMY_ITEM, large = false) =>
  defineEndpoint({
    source: 'rawg',
    entity,
    description,
    path,
    params: { ordering: 'id' },
    paginator: { type: 'page_number', pageSize: 40, ...(large ? { maxPages: 'config' as const } : {}) },
    partition: { type: 'snapshot' },
    itemSchema,
    group: 'rawg',
    tags: ['snapshot', ...(large ? ['large'] : [])],
  });

/** Every RAWG endpoint the pipeline ingests. */
export const RAWG_ENDPOINTS: readonly EndpointSpec[] = [
  defineEndpoint({
    source: 'rawg',
    entity: 'games',
    description: 'Games changed on day D (`/games?updated=D,D`, slim list shape), one partition per UTC day.',
    path: '/games',
    params: { ordering: '-updated' },
    paginator: { type: 'page_number', pageSize: 40 },
    partition: { type: 'daily', param: 'updated', start: RAWG_PARTITIONS_START },
    itemSchema: GAME_ITEM,
    group: 'rawg',
    tags: ['daily'],
  }),
  snapshot('genres', '/genres', 'Snapshot of every RAWG genre.'),
  snapshot('platforms', '/platforms', 'Snapshot of every RAWG platform.', PLATFORM_ITEM),
  snapshot('parent_platforms', '/platforms/lists/parents', 'Snapshot of the parent platforms and their platforms.', PARENT_PLATFORM_ITEM),
  snapshot('stores', '/stores', 'Snapshot of every RAWG store.'),
  snapshot('tags', '/tags', 'Snapshot of RAWG tags (a large list: page-capped).', TAXONOMY_ITEM, true),
  snapshot('creator_roles', '/creator-roles', 'Snapshot of creator roles (positions).'),
  snapshot('developers', '/developers', 'Snapshot of RAWG developers (a large list: page-capped).', TAXONOMY_ITEM, true),
  snapshot('publishers', '/publishers', 'Snapshot of RAWG publishers (a large list: page-capped).', TAXONOMY_ITEM, true),
];

/**
 * Detail endpoints: one request per item of a daily parent partition. Developer and publisher
 * links of a game exist only in its detail.
 */
export const RAWG_DETAIL_ENDPOINTS: readonly DetailSpec[] = [
  defineDetailEndpoint({
    source: 'rawg',
    entity: 'game_details',
    description:
      'Detail (`/games/{id}`: developers, publishers, description, …) of each game in rawg/games partition D; fetched only when its `updated` is newer than the committed detail.',
    path: '/games/{id}',
    parent: { entity: 'games', key: 'id', version: 'updated' },
    itemSchema: GAME_ITEM,
    group: 'rawg',
    tags: ['daily', 'detail'],
  }),
];
