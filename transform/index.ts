export { ephemeralCteName, loadProject } from './compile-project.js';
export type { LoadProjectOptions, Project } from './compile-project.js';
export { loadMacros } from './load-macros.js';
export type { MacroLibrary } from './load-macros.js';
export { loadModelFiles } from './load-models.js';
export { materializationStatements } from './materialization.js';
export type { BuiltMaterialization, BuiltModelNode, CompileOptions, CompileTarget, Materialization, ModelFile, ModelNode } from './model.js';
export { renderModel } from './render-model.js';
export type { RenderOptions, RenderResult } from './render-model.js';
