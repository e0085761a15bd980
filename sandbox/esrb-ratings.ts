/** RAWG's ESRB ratings; the slim `/games` shape adds `name_en`/`name_ru`, the full shape does not. */
export const ESRB_RATINGS: readonly { id: number; name: string; slug: string; nameRu: string; weight: number }[] = [
  { id: 1, name: 'Everyone', slug: 'everyone', nameRu: 'Для всех', weight: 30 },
  { id: 2, name: 'Everyone 10+', slug: 'everyone-10-plus', nameRu: 'С 10 лет', weight: 15 },
  { id: 3, name: 'Teen', slug: 'teen', nameRu: 'С 13 лет', weight: 25 },
  { id: 4, name: 'Mature', slug: 'mature', nameRu: 'С 17 лет', weight: 25 },
  { id: 5, name: 'Adults Only', slug: 'adults-only', nameRu: 'Только для взрослых', weight: 2 },
];
