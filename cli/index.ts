export { buildProgram, main } from './main.js';
export { DEMO_COST_HELP } from './commands/demo.js';
