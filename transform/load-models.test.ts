import { describe, expect, it } from 'vitest';
import { writeTempProject } from '../tests/helpers/temp-project.js';
import { loadModelFiles } from './load-models.js';

describe('loadModelFiles', () => {
  it('reads every model whole, large ones and multi-byte text included, sorted by name', () => {
    const large = `-- ${'é🎮'.repeat(40_000)}\nselect 1`;
    const dir = writeTempProject({ 'marts/b_large.sql': large, 'staging/sub/a_small.sql': '\ufeffselect 2', 'marts/empty.sql': '', 'marts/notes.txt': 'ignored' });
    expect(loadModelFiles(dir)).toEqual([
      { name: 'a_small', file: 'staging/sub/a_small.sql', schema: 'staging', template: '\ufeffselect 2' },
      { name: 'b_large', file: 'marts/b_large.sql', schema: 'marts', template: large },
      { name: 'empty', file: 'marts/empty.sql', schema: 'marts', template: '' },
    ]);
  });
});
