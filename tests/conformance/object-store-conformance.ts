import { describe, expect, it } from 'vitest';
import { isAlreadyExists, isNotFound, isPreconditionFailed, type ObjectStore } from '../../lake/index.js';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** A streamed body that yields `chunks`, then waits for `release` (if given) before it ends or throws. */
function chunkStream(chunks: string[], end: { release?: Promise<void>; fail?: Error } = {}) {
  const state = { yielded: 0, closed: false };
  let drained: () => void = () => undefined;
  /** Resolves once the consumer has taken every chunk and asked for more (the producer then waits for `release`). */
  const allTaken = new Promise<void>((resolve) => (drained = resolve));
  async function* generate(): AsyncGenerator<Uint8Array> {
    try {
      for (const chunk of chunks) {
        yield Buffer.from(chunk, 'utf8');
        state.yielded++;
      }
      drained();
      await end.release;
      if (end.fail !== undefined) throw end.fail;
    } finally {
      state.closed = true;
    }
  }
  return { body: generate(), state, allTaken };
}

async function inBatches<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

/**
 * The contract every ObjectStore honours. `factory` returns a fresh, empty store per test
 * (a new temp folder, a new S3 prefix).
 */
export function describeObjectStoreConformance(name: string, factory: () => Promise<ObjectStore>): void {
  describe(`ObjectStore conformance: ${name}`, () => {
    it('puts, gets and heads strings and bytes', async () => {
      const store = await factory();
      await store.put('a/b/c.txt', 'héllo');
      await store.put('a/bin', new Uint8Array([0, 1, 2, 255]), { contentType: 'application/octet-stream' });
      expect(text(await store.get('a/b/c.txt'))).toBe('héllo');
      expect(Array.from(await store.get('a/bin'))).toEqual([0, 1, 2, 255]);
      expect(await store.get('a/bin')).toBeInstanceOf(Uint8Array);
      expect((await store.head('a/b/c.txt'))?.size).toBe(Buffer.byteLength('héllo'));
      expect(await store.head('a/missing')).toBeUndefined();
      expect(await store.head('a/b')).toBeUndefined(); // a "folder" is no object
    });

    it('stores empty objects', async () => {
      const store = await factory();
      await store.put('empty', '');
      expect((await store.get('empty')).byteLength).toBe(0);
      expect(await store.head('empty')).toMatchObject({ size: 0 });
    });

    it('overwrites atomically with the new content', async () => {
      const store = await factory();
      await store.put('k', 'first version');
      await store.put('k', 'second');
      expect(text(await store.get('k'))).toBe('second');
      expect((await store.head('k'))?.size).toBe(6);
      expect((await collect(store.list(''))).map((e) => e.key)).toEqual(['k']);
    });

    it('lists recursively, sorted by key, filtered by a plain string prefix', async () => {
      const store = await factory();
      const keys = ['b/z', 'a/b/c', 'a-c', 'a/a', 'a/b-x', 'ab', 'a/b/a/deep/file.json', 'c'];
      for (const key of keys) await store.put(key, key);
      const all = await collect(store.list(''));
      expect(all.map((e) => e.key)).toEqual([...keys].sort());
      expect(all.find((e) => e.key === 'a/a')?.size).toBe(3);
      expect((await collect(store.list('a/'))).map((e) => e.key)).toEqual(['a/a', 'a/b-x', 'a/b/a/deep/file.json', 'a/b/c']);
      expect((await collect(store.list('a/b'))).map((e) => e.key)).toEqual(['a/b-x', 'a/b/a/deep/file.json', 'a/b/c']);
      expect((await collect(store.list('a'))).map((e) => e.key)).toEqual(['a-c', 'a/a', 'a/b-x', 'a/b/a/deep/file.json', 'a/b/c', 'ab']);
      expect((await collect(store.list('a/b/c'))).map((e) => e.key)).toEqual(['a/b/c']);
      expect(await collect(store.list('nothing/'))).toEqual([]);
    });

    it('lists more than 1000 keys (pagination) in order', async () => {
      const store = await factory();
      const keys = Array.from({ length: 1050 }, (_, i) => `many/${String(i).padStart(5, '0')}`);
      await inBatches(keys, 50, (key) => store.put(key, 'x'));
      await store.put('other', 'x');
      const listed = (await collect(store.list('many/'))).map((e) => e.key);
      expect(listed).toHaveLength(1050);
      expect(listed).toEqual(keys);
    });

    it('deletes idempotently', async () => {
      const store = await factory();
      await store.put('d/one', '1');
      await store.put('d/two', '2');
      await store.delete('d/one');
      await store.delete('d/one');
      await store.delete('never/existed');
      expect(await store.head('d/one')).toBeUndefined();
      expect((await collect(store.list(''))).map((e) => e.key)).toEqual(['d/two']);
      await store.delete('d/two');
      expect(await collect(store.list(''))).toEqual([]);
    });

    it('rejects a missing key with a not-found LakeError', async () => {
      const store = await factory();
      const error = await store.get('no/such/key').catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'LAKE_IO', retryable: false, context: { notFound: true } });
      expect(isNotFound(error)).toBe(true);
      expect((error as Error).message).toContain('no/such/key');
    });

    it('rejects invalid keys without touching storage', async () => {
      const store = await factory();
      const bad = ['', '/abs', 'a/../b', '..', 'a\\b', 'a//b', 'a/', './a', 'C:/x', 'a/\u0000'];
      for (const key of bad) {
        await expect(store.put(key, 'x'), key).rejects.toMatchObject({ code: 'LAKE_IO', retryable: false });
        await expect(store.get(key), key).rejects.toMatchObject({ code: 'LAKE_IO', retryable: false });
        await expect(store.head(key), key).rejects.toMatchObject({ code: 'LAKE_IO', retryable: false });
        await expect(store.delete(key), key).rejects.toMatchObject({ code: 'LAKE_IO', retryable: false });
      }
      await expect(collect(store.list('../'))).rejects.toMatchObject({ code: 'LAKE_IO', retryable: false });
      expect(await collect(store.list(''))).toEqual([]);
    });

    it('ifNoneMatch creates a new key and refuses an existing one', async () => {
      const store = await factory();
      await store.put('once', 'first', { ifNoneMatch: true });
      const error = await store.put('once', 'second', { ifNoneMatch: true }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'LAKE_IO', retryable: false, context: { exists: true } });
      expect(isAlreadyExists(error)).toBe(true);
      expect(isPreconditionFailed(error)).toBe(true);
      expect(text(await store.get('once'))).toBe('first');
      expect((await collect(store.list(''))).map((e) => e.key)).toEqual(['once']);
    });

    it('writes a streamed body chunk by chunk, and ifNoneMatch applies to it', async () => {
      const store = await factory();
      const parts = Array.from({ length: 50 }, (_, i) => `line ${i} ${'x'.repeat(i)}\n`);
      const { body, state } = chunkStream(parts);
      await store.put('s/streamed.txt', body, { contentType: 'text/plain' });
      expect(state).toEqual({ yielded: 50, closed: true });
      expect(text(await store.get('s/streamed.txt'))).toBe(parts.join(''));
      expect((await store.head('s/streamed.txt'))?.size).toBe(Buffer.byteLength(parts.join('')));
      await store.put('s/empty', chunkStream([]).body);
      expect((await store.get('s/empty')).byteLength).toBe(0);
      const again = await store.put('s/streamed.txt', chunkStream(['other']).body, { ifNoneMatch: true }).catch((e: unknown) => e);
      expect(isAlreadyExists(again)).toBe(true);
      expect(text(await store.get('s/streamed.txt'))).toBe(parts.join(''));
    });

    it('writes nothing when a streamed body fails midway, and keeps the previous object', async () => {
      const store = await factory();
      await store.put('s/kept', 'previous');
      const failing = chunkStream(['new ', 'content '], { fail: new Error('producer broke') });
      await expect(store.put('s/kept', failing.body)).rejects.toThrow(/producer broke/);
      await expect(store.put('s/fresh', chunkStream(['half'], { fail: new Error('producer broke') }).body)).rejects.toThrow(/producer broke/);
      expect(text(await store.get('s/kept'))).toBe('previous');
      expect(await store.head('s/fresh')).toBeUndefined();
      expect((await collect(store.list(''))).map((e) => e.key)).toEqual(['s/kept']);
    });

    it('cancels a streamed put at once when the signal aborts while the producer is stalled', async () => {
      const store = await factory();
      const controller = new AbortController();
      let release: () => void = () => undefined;
      const stalled = chunkStream(['a', 'b'], { release: new Promise<void>((resolve) => (release = resolve)) });
      const put = store.put('s/aborted', stalled.body, { signal: controller.signal });
      // The producer yielded both chunks and now waits: abort without ever releasing it.
      await stalled.allTaken;
      controller.abort();
      // Rejected while the producer is still stalled: nothing waited for another chunk.
      await expect(put).rejects.toMatchObject({ code: 'CANCELED' });
      release();
      expect(await store.head('s/aborted')).toBeUndefined();
      expect(await collect(store.list(''))).toEqual([]);
    });

    it('ifMatch replaces only the version head() reported (stores without etags refuse the option)', async () => {
      const store = await factory();
      await store.put('m', 'v1');
      const first = await store.head('m');
      if (first?.etag === undefined) {
        await expect(store.put('m', 'v2', { ifMatch: '"any"' })).rejects.toMatchObject({ code: 'LAKE_IO', retryable: false });
        expect(text(await store.get('m'))).toBe('v1');
        return;
      }
      await store.put('m', 'v2', { ifMatch: first.etag });
      expect(text(await store.get('m'))).toBe('v2');
      const stale = await store.put('m', 'v3', { ifMatch: first.etag }).catch((e: unknown) => e);
      expect(stale).toMatchObject({ code: 'LAKE_IO', retryable: false, context: { preconditionFailed: true } });
      expect(isAlreadyExists(stale)).toBe(false);
      expect(text(await store.get('m'))).toBe('v2');
      expect(isPreconditionFailed(await store.put('gone', 'x', { ifMatch: first.etag }).catch((e: unknown) => e))).toBe(true);
      expect(await store.head('gone')).toBeUndefined();
      await expect(store.put('m', 'v4', { ifMatch: first.etag, ifNoneMatch: true })).rejects.toMatchObject({ retryable: false });
    });

    it('honours an aborted signal', async () => {
      const store = await factory();
      await store.put('kept', 'v');
      const signal = AbortSignal.abort();
      const canceled = { code: 'CANCELED' };
      await expect(store.put('new', 'v', { signal })).rejects.toMatchObject(canceled);
      await expect(store.get('kept', { signal })).rejects.toMatchObject(canceled);
      await expect(store.head('kept', { signal })).rejects.toMatchObject(canceled);
      await expect(store.delete('kept', { signal })).rejects.toMatchObject(canceled);
      await expect(collect(store.list('', { signal }))).rejects.toMatchObject(canceled);
      expect(await store.head('new')).toBeUndefined();
      expect(text(await store.get('kept'))).toBe('v');
    });

    it('stops a listing when the signal aborts midway', async () => {
      const store = await factory();
      for (const key of ['l/1', 'l/2', 'l/3']) await store.put(key, key);
      const controller = new AbortController();
      const seen: string[] = [];
      const error = await (async () => {
        for await (const entry of store.list('l/', { signal: controller.signal })) {
          seen.push(entry.key);
          controller.abort();
        }
      })().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'CANCELED' });
      expect(seen).toEqual(['l/1']);
    });

    it('describes itself without credentials', async () => {
      const store = await factory();
      expect(store.describe()).toMatch(/^(file|s3):\/\//);
      expect(store.describe()).not.toMatch(/secret|testing-key/i);
    });
  });
}
