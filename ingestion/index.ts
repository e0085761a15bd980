export * from './http/index.js';
export * from './pagination/index.js';
export * from './endpoints/index.js';
export * from './sources/rawg/index.js';
export * from './events/index.js';
