import { mkdtemp, mkdir, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalObjectStore } from './local-object-store.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'gmp-local-store-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function* once(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text);
}

describe('LocalObjectStore streamed puts', () => {
  it('stages a stream outside its key folder, so deleting the folder contents prunes it mid-stream', async () => {
    const store = new LocalObjectStore(root);
    await store.put('raw/run=a/part-00000', 'done');
    let release: () => void = () => undefined;
    let stalling: () => void = () => undefined;
    // Resolved once the store has taken the first chunk and asked for the next.
    const firstChunkTaken = new Promise<void>((resolve) => (stalling = resolve));
    async function* stalled(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('partial ');
      const released = new Promise<void>((resolve) => (release = resolve));
      stalling();
      await released;
      yield Buffer.from('rest');
    }
    const put = store.put('raw/run=a/part-00001', stalled());
    await firstChunkTaken;
    // A writer killed now would leave its partial file in the staging folder, not in run=a/.
    expect(await readdir(path.join(root, 'raw', 'run=a'))).toEqual(['part-00000']);
    await store.delete('raw/run=a/part-00000');
    expect(await readdir(path.join(root, 'raw')).catch(() => [])).toEqual([]);
    release();
    await put;
    expect(Buffer.from(await store.get('raw/run=a/part-00001')).toString()).toBe('partial rest');
  });

  it('sweeps staged files of long-dead writers on its first streamed put, keeping recent ones', async () => {
    const staging = path.join(root, '.gmp-tmp-staging');
    await mkdir(staging, { recursive: true });
    await writeFile(path.join(staging, '.gmp-tmp-dead'), 'left by a killed process');
    await writeFile(path.join(staging, '.gmp-tmp-live'), 'another process is still writing');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    await utimes(path.join(staging, '.gmp-tmp-dead'), twoDaysAgo, twoDaysAgo);

    const store = new LocalObjectStore(root);
    await store.put('k', once('v'));
    expect(await readdir(staging)).toEqual(['.gmp-tmp-live']);
    const listed: string[] = [];
    for await (const entry of store.list('')) listed.push(entry.key);
    expect(listed).toEqual(['k']);
  });
});
