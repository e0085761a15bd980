import { TemplateUnsupported } from './template-unsupported.js';

type Test = (value: unknown, ...args: unknown[]) => boolean;

function integer(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new TemplateUnsupported(`test ${name} on this value`);
  return value;
}

/**
 * The `is` tests this engine renders, checked against nunjucks' tests of the same name
 * (transform/template/differential.test.ts); other values throw TemplateUnsupported.
 */
export const TESTS: ReadonlyMap<string, Test> = new Map<string, Test>([
  ['defined', (value) => value !== undefined],
  ['undefined', (value) => value === undefined],
  ['none', (value) => value === null],
  ['null', (value) => value === null],
  ['string', (value) => typeof value === 'string'],
  ['number', (value) => typeof value === 'number'],
  ['callable', (value) => typeof value === 'function'],
  ['truthy', (value) => !!value],
  ['falsy', (value) => !value],
  ['odd', (value) => integer('odd', value) % 2 === 1],
  ['even', (value) => integer('even', value) % 2 === 0],
  ['divisibleby', (value, by) => integer('divisibleby', value) % integer('divisibleby', by) === 0],
]);
