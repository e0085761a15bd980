export { GENERIC_TESTS } from './data-test.js';
export type { ColumnDoc, DataTest, GenericTestKind, ModelDoc, SourceTableDoc } from './data-test.js';
export { genericTestSql } from './generic-test-sql.js';
export { DEFAULT_FOLDER_MATERIALIZATIONS, loadProjectConfig } from './load-project-config.js';
export { PROJECT_FILE, loadSchemaFiles, parseSchemaFiles, readSchemaFileTexts } from './load-schema-files.js';
export type { SchemaFiles } from './load-schema-files.js';
export { prepareDataTests } from './prepare-data-tests.js';
export type { DataTestContext, DataTests } from './prepare-data-tests.js';
