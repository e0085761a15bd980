export { projectLineage } from './project-lineage.js';
