/** RAWG's 7 creator roles (`/creator-roles`), ids and order as RAWG serves them. */
export const CREATOR_ROLES: readonly { id: number; name: string; slug: string }[] = [
  { id: 1, name: 'writer', slug: 'writer' },
  { id: 2, name: 'director', slug: 'director' },
  { id: 3, name: 'composer', slug: 'composer' },
  { id: 4, name: 'artist', slug: 'artist' },
  { id: 5, name: 'producer', slug: 'producer' },
  { id: 6, name: 'designer', slug: 'designer' },
  { id: 7, name: 'programmer', slug: 'programmer' },
];
