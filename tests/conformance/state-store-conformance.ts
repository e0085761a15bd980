import { afterEach, describe, expect, it } from 'vitest';
import { clearSecrets, registerSecret } from '../../core/index.js';
import { SCHEMA_VERSION, type MaterializationRecord, type RunEventRecord, type SqlDriver, type StateStore } from '../../orchestration/index.js';
import { describeStateStoreConcurrency } from './state-store-concurrency.js';

/** One fresh, empty state database, opened as many times as a test needs. */
export interface StateStoreTarget {
  /** A new store (its own connection pool or file handle) on this database, migrated. */
  open(): Promise<StateStore>;
  /** A raw driver on this database, to inspect or prepare it beneath the store. */
  driver(): SqlDriver;
}

const T0 = '2024-05-01T00:00:00.000Z';
const at = (seconds: number): string => new Date(Date.parse(T0) + seconds * 1000).toISOString();

function materialization(over: Partial<MaterializationRecord> = {}): MaterializationRecord {
  return {
    runId: 'r1', asset: 'rawg/games', partition: '2024-05-01', status: 'succeeded', startedAt: at(0), endedAt: at(1),
    durationMs: 1000.4, rows: 10, pages: 1, requests: 2, metadata: { a: 1 }, error: null, ...over,
  };
}

/**
 * The contract every StateStore honours, on every engine. `factory` returns a fresh database per
 * test; stores opened through it are closed after the test.
 */
export function describeStateStoreConformance(name: string, factory: () => Promise<StateStoreTarget>): void {
  describe(`StateStore conformance: ${name}`, () => {
    const opened: { close(): Promise<void> }[] = [];
    const freshTarget = async (): Promise<StateStoreTarget> => {
      const target = await factory();
      return {
        open: async () => {
          const store = await target.open();
          opened.push(store);
          return store;
        },
        driver: () => {
          const driver = target.driver();
          opened.push(driver);
          return driver;
        },
      };
    };
    const fresh = async () => {
      const target = await freshTarget();
      return { target, store: await target.open() };
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
      clearSecrets();
    });

    it('keeps users, sessions and API tokens by hash, and an audit log, newest first', async () => {
      const { store } = await fresh();
      expect(await store.createUser({ name: 'ana', role: 'admin', passwordHash: 'scrypt$x', at: at(1) })).toBe('created');
      expect(await store.createUser({ name: 'ana', role: 'viewer', passwordHash: 'scrypt$y', at: at(2) })).toBe('name-taken');
      await store.createUser({ name: 'bo', role: 'viewer', passwordHash: 'scrypt$z', at: at(3) });
      expect((await store.listUsers()).map((u) => [u.name, u.role])).toEqual([['ana', 'admin'], ['bo', 'viewer']]);
      expect(await store.updateUser('bo', { role: 'operator' }, at(4))).toBe(true);
      expect(await store.updateUser('nobody', { role: 'operator' }, at(4))).toBe(false);
      const bo = (await store.getUser('bo'))!;
      expect(bo).toMatchObject({ role: 'operator', passwordHash: 'scrypt$z', updatedAt: at(4) });

      await store.createSession({ tokenHash: 'h-session', userId: bo.userId, at: at(5), expiresAt: at(100) });
      expect((await store.sessionUser('h-session', at(50)))?.name).toBe('bo');
      expect(await store.sessionUser('h-session', at(100))).toBeUndefined();
      await store.deleteSession('h-session');
      expect(await store.sessionUser('h-session', at(50))).toBeUndefined();

      await store.createApiToken({ tokenId: 't1', userId: bo.userId, name: 'ci', tokenHash: 'h-token', at: at(6), expiresAt: at(100) });
      expect(await store.tokenUser('h-token', at(7))).toMatchObject({ tokenId: 't1', user: { name: 'bo' } });
      expect(await store.tokenUser('h-token', at(100))).toBeUndefined();
      expect(await store.listApiTokens()).toEqual([{ tokenId: 't1', user: 'bo', name: 'ci', createdAt: at(6), expiresAt: at(100), revokedAt: null, lastUsedAt: at(7) }]);
      expect(await store.revokeApiToken('t1', at(8))).toBe(true);
      expect(await store.tokenUser('h-token', at(9))).toBeUndefined();
      expect(await store.revokeApiToken('t-none', at(8))).toBe(false);

      await store.createSession({ tokenHash: 'h-2', userId: bo.userId, at: at(5), expiresAt: at(100) });
      expect(await store.removeUser('bo')).toBe(true);
      expect(await store.sessionUser('h-2', at(6))).toBeUndefined();
      expect(await store.listApiTokens()).toEqual([]);
      expect(await store.removeUser('bo')).toBe(false);

      await store.appendAudit({ at: at(10), actor: 'ana', action: 'run.launch', target: 'r1', detail: { select: 'rawg/games' } });
      await store.appendAudit({ at: at(11), actor: 'token:t2', action: 'run.cancel', target: 'r1', detail: null });
      const audit = await store.listAudit({ limit: 10 });
      expect(audit.map((a) => [a.actor, a.action, a.target, a.detail])).toEqual([['token:t2', 'run.cancel', 'r1', null], ['ana', 'run.launch', 'r1', { select: 'rawg/games' }]]);
      expect((await store.listAudit({ limit: 10, beforeId: audit[0]!.id })).map((a) => a.action)).toEqual(['run.launch']);
    });

    it('keeps emails unique case-insensitively (stored lower-cased), display names, and makes only the very first user the first-user role', async () => {
      const { store } = await fresh();
      const user = (name: string, email: string | null, role: 'viewer' | 'admin' = 'viewer') => ({ name, role, passwordHash: 'scrypt$x', email, displayName: null, at: at(1), firstUserRole: 'admin' as const });
      expect(await store.createUser(user('ana', ' Ana@Example.ORG'))).toBe('created');
      expect(await store.createUser(user('bo', 'ana@example.org'))).toBe('email-taken');
      expect(await store.createUser(user('ana', 'other@example.org'))).toBe('name-taken');
      // Accounts without an email are many; the first-user role went to ana alone.
      expect(await store.createUser(user('cy', null))).toBe('created');
      expect(await store.createUser({ ...user('di', null), displayName: 'Di Ng' })).toBe('created');
      expect((await store.listUsers()).map((u) => [u.name, u.role, u.email, u.displayName])).toEqual([
        ['ana', 'admin', 'ana@example.org', null],
        ['cy', 'viewer', null, null],
        ['di', 'viewer', null, 'Di Ng'],
      ]);

      expect(await store.updateProfile('cy', { email: 'ANA@example.org' }, at(2))).toBe('email-taken');
      expect(await store.updateProfile('ana', { email: 'ANA@example.org', displayName: 'Ana Lima' }, at(3))).toBe('updated');
      expect(await store.updateProfile('cy', { email: 'Cy@Example.org' }, at(4))).toBe('updated');
      expect(await store.updateProfile('di', { displayName: null }, at(5))).toBe('updated');
      expect(await store.updateProfile('nobody', { displayName: 'x' }, at(5))).toBe('missing');
      expect(await store.getUser('ana')).toMatchObject({ email: 'ana@example.org', displayName: 'Ana Lima', updatedAt: at(3) });
      expect(await store.getUser('cy')).toMatchObject({ email: 'cy@example.org', displayName: null });
      expect((await store.getUser('di'))!.displayName).toBeNull();
      // A removed user's email is free again.
      await store.removeUser('cy');
      expect(await store.createUser(user('ed', 'cy@example.org'))).toBe('created');
    });

    it("ends a user's other sessions, lists one user's tokens, and removes all that is theirs with them", async () => {
      const { store } = await fresh();
      await store.createUser({ name: 'ana', role: 'admin', passwordHash: 'x', at: at(0) });
      await store.createUser({ name: 'bo', role: 'viewer', passwordHash: 'x', at: at(0) });
      const [ana, bo] = [(await store.getUser('ana'))!, (await store.getUser('bo'))!];
      for (const hash of ['a1', 'a2', 'a3']) await store.createSession({ tokenHash: hash, userId: ana.userId, at: at(1), expiresAt: at(100) });
      await store.createSession({ tokenHash: 'b1', userId: bo.userId, at: at(1), expiresAt: at(100) });
      expect(await store.deleteUserSessions(ana.userId, 'a2')).toBe(2);
      expect((await store.sessionUser('a2', at(2)))?.name).toBe('ana');
      expect(await store.sessionUser('a1', at(2))).toBeUndefined();
      expect((await store.sessionUser('b1', at(2)))?.name).toBe('bo');
      expect(await store.deleteUserSessions(ana.userId)).toBe(1);
      expect(await store.sessionUser('a2', at(2))).toBeUndefined();

      await store.createApiToken({ tokenId: 't-a', userId: ana.userId, name: 'ci', tokenHash: 'h-a', at: at(3), expiresAt: at(100) });
      await store.createApiToken({ tokenId: 't-b', userId: bo.userId, name: 'bi', tokenHash: 'h-b', at: at(4), expiresAt: at(100) });
      expect((await store.listApiTokens({ user: 'bo' })).map((t) => t.tokenId)).toEqual(['t-b']);
      expect((await store.listApiTokens()).map((t) => t.tokenId)).toEqual(['t-a', 't-b']);
      await store.addFavorite('bo', 3498, at(5));
      await store.removeUser('bo');
      expect(await store.listApiTokens({ user: 'bo' })).toEqual([]);
      expect(await store.sessionUser('b1', at(6))).toBeUndefined();
      expect(await store.listFavorites('bo')).toEqual([]);
    });

    it('keeps settings by key with who set them and when, replaced and removed', async () => {
      const { store } = await fresh();
      expect(await store.listSettings()).toEqual([]);
      await store.putSetting({ key: 'sql_console', value: 'off', updatedAt: at(1), updatedBy: 'ana' });
      await store.putSetting({ key: 'registration', value: 'open', updatedAt: at(2), updatedBy: 'ana' });
      await store.putSetting({ key: 'registration', value: 'closed', updatedAt: at(3), updatedBy: 'bo' });
      expect(await store.listSettings()).toEqual([
        { key: 'registration', value: 'closed', updatedAt: at(3), updatedBy: 'bo' },
        { key: 'sql_console', value: 'off', updatedAt: at(1), updatedBy: 'ana' },
      ]);
      expect(await store.removeSetting('registration')).toBe(true);
      expect(await store.removeSetting('registration')).toBe(false);
      expect((await store.listSettings()).map((s) => s.key)).toEqual(['sql_console']);
    });

    it('keeps event sources by name: a key hash each, found while active, revoked once', async () => {
      const { store } = await fresh();
      expect(await store.createEventSource({ name: 'game-client', keyHash: 'h1', keyPrefix: 'gmpw_ab', eventsPerSecond: null, createdAt: at(1) })).toBe(true);
      expect(await store.createEventSource({ name: 'game-client', keyHash: 'h2', keyPrefix: 'gmpw_cd', eventsPerSecond: 10, createdAt: at(2) })).toBe(false);
      expect(await store.createEventSource({ name: 'store-web', keyHash: 'h3', keyPrefix: 'gmpw_ef', eventsPerSecond: 500, createdAt: at(3) })).toBe(true);
      expect(await store.findEventSource('h3')).toEqual({ name: 'store-web', keyHash: 'h3', keyPrefix: 'gmpw_ef', eventsPerSecond: 500, createdAt: at(3), revokedAt: null });
      expect(await store.findEventSource('h2')).toBeNull();
      expect(await store.revokeEventSource('store-web', at(4))).toBe(true);
      expect(await store.revokeEventSource('store-web', at(5))).toBe(false);
      expect(await store.findEventSource('h3')).toBeNull();
      expect((await store.listEventSources()).map((s) => [s.name, s.revokedAt])).toEqual([
        ['game-client', null],
        ['store-web', at(4)],
      ]);
    });

    it('records a cancel request for a running run only, once', async () => {
      const { store } = await fresh();
      await store.createRun({ runId: 'r', kind: 'materialize', selection: '*', partitions: '1', startedAt: at(1) });
      await store.createRun({ runId: 'done', kind: 'materialize', selection: '*', partitions: '1', startedAt: at(1) });
      await store.finishRun('done', 'succeeded', at(2));
      expect((await store.getRun('r'))!.cancelRequestedAt).toBeNull();
      expect(await store.requestRunCancel('r', at(3))).toBe(true);
      expect(await store.requestRunCancel('r', at(4))).toBe(true);
      expect((await store.getRun('r'))!.cancelRequestedAt).toBe(at(3));
      expect(await store.requestRunCancel('done', at(3))).toBe(false);
      expect(await store.requestRunCancel('missing', at(3))).toBe(false);
    });

    it('pages runs newest first with a cursor, ties by insertion order, filtered by status or kind', async () => {
      const { store } = await fresh();
      for (const [runId, kind, seconds] of [['a', 'materialize', 10], ['b', 'materialize', 10], ['c', 'backfill', 5], ['d', 'materialize', 20], ['e', 'backfill', 10]] as const) {
        await store.createRun({ runId, kind, selection: '*', partitions: '1', startedAt: at(seconds) });
      }
      await store.finishRun('b', 'failed', at(11));
      const ids: string[][] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.pageRuns({ limit: 2, ...(after ? { after } : {}) });
        ids.push(page.runs.map((r) => r.runId));
        if (page.next === null) break;
        after = page.next;
      }
      expect(ids).toEqual([['d', 'e'], ['b', 'a'], ['c']]);
      expect((await store.pageRuns({ limit: 10, kind: 'backfill' })).runs.map((r) => r.runId)).toEqual(['e', 'c']);
      expect(await store.pageRuns({ limit: 10, status: 'failed' })).toMatchObject({ runs: [{ runId: 'b' }], next: null });
      await expect(store.pageRuns({ limit: 2, after: 'not-a-cursor' })).rejects.toMatchObject({ code: 'USAGE' });
    });

    it('pages a run’s events after an id, filtered by type, asset and message text', async () => {
      const { store } = await fresh();
      await store.createRun({ runId: 'r', kind: 'materialize', selection: '*', partitions: '1', startedAt: at(1) });
      const event = (type: RunEventRecord['type'], asset: string | null, message: string | null) =>
        store.appendEvent({ runId: 'r', ts: at(2), type, asset, partition: null, message, data: null });
      await event('RUN_START', null, '3 steps');
      await event('STEP_START', 'rawg/games', null);
      await event('STEP_FAILURE', 'rawg/games', 'HTTP 503 from /games: 100% of retries used_up');
      await event('STEP_SUCCESS', 'marts/dim_games', null);
      await event('RUN_END', null, 'failed');
      const all = await store.pageEvents('r', { limit: 10 });
      expect(all.map((e) => e.type)).toEqual(['RUN_START', 'STEP_START', 'STEP_FAILURE', 'STEP_SUCCESS', 'RUN_END']);
      const firstTwo = await store.pageEvents('r', { limit: 2 });
      expect((await store.pageEvents('r', { limit: 2, afterId: firstTwo[1]!.id })).map((e) => e.type)).toEqual(['STEP_FAILURE', 'STEP_SUCCESS']);
      expect((await store.pageEvents('r', { limit: 10, asset: 'rawg/games' })).map((e) => e.type)).toEqual(['STEP_START', 'STEP_FAILURE']);
      expect((await store.pageEvents('r', { limit: 10, types: ['RUN_START', 'RUN_END'] })).map((e) => e.message)).toEqual(['3 steps', 'failed']);
      // Text is a literal, case-insensitive substring: % and _ match only themselves.
      expect((await store.pageEvents('r', { limit: 10, text: '100% OF' })).map((e) => e.type)).toEqual(['STEP_FAILURE']);
      expect(await store.pageEvents('r', { limit: 10, text: 'd_u' })).toHaveLength(1);
      expect(await store.pageEvents('r', { limit: 10, text: '%' })).toHaveLength(1);
      expect(await store.pageEvents('r', { limit: 10, text: 'a_l' })).toHaveLength(0);
    });

    it('creates, finishes, heartbeats and lists runs newest first, ties by insertion order', async () => {
      const { store } = await fresh();
      await store.createRun({ runId: 'a', kind: 'materialize', selection: '*', partitions: '1', startedAt: at(10) });
      await store.createRun({ runId: 'b', kind: 'materialize', selection: '*', partitions: '1', startedAt: at(10), owner: 'host:1', heartbeatAt: at(10) });
      await store.createRun({ runId: 'c', kind: 'backfill', selection: 'x+', partitions: '2', startedAt: at(5) });
      await store.createRun({ runId: 'd', kind: 'materialize', selection: '*', partitions: '1', startedAt: at(20) });
      expect((await store.listRuns()).map((r) => r.runId)).toEqual(['d', 'b', 'a', 'c']);
      expect((await store.listRuns({ limit: 2 })).map((r) => r.runId)).toEqual(['d', 'b']);
      expect(await store.getRun('a')).toEqual({
        runId: 'a', owner: null, heartbeatAt: null, kind: 'materialize', status: 'running', selection: '*', partitions: '1',
        startedAt: at(10), endedAt: null, error: null, cancelRequestedAt: null,
      });
      await store.heartbeatRun('b', at(15));
      await store.finishRun('b', 'failed', at(16), 'boom');
      await store.finishRun('c', 'succeeded', at(6));
      expect(await store.getRun('b')).toMatchObject({ owner: 'host:1', heartbeatAt: at(15), status: 'failed', endedAt: at(16), error: 'boom' });
      expect(await store.getRun('c')).toMatchObject({ status: 'succeeded', endedAt: at(6), error: null });
      expect(await store.getRun('missing')).toBeUndefined();
      await expect(store.createRun({ runId: 'a', kind: 'k', selection: '*', partitions: '', startedAt: at(30) })).rejects.toMatchObject({
        code: 'STATE',
        hint: expect.stringMatching(/unique/),
      });
    });

    it('keeps run events in insertion order', async () => {
      const { store } = await fresh();
      await store.createRun({ runId: 'r1', kind: 'k', selection: '*', partitions: '', startedAt: at(0) });
      const types = ['RUN_START', 'STEP_START', 'LOG', 'STEP_SUCCESS', 'RUN_END'] as const;
      // Same timestamp on purpose: order must come from insertion, not from `ts`.
      for (const [i, type] of types.entries()) {
        await store.appendEvent({ runId: 'r1', ts: at(1), type, asset: i === 0 ? null : 'a/b', partition: i === 2 ? '2024-05-01' : null, message: `m${i}`, data: i === 3 ? { rows: 3, nested: { ok: true } } : null });
      }
      await store.appendEvent({ runId: 'other', ts: at(0), type: 'LOG', asset: null, partition: null, message: null, data: null });
      const events = await store.listEvents('r1');
      expect(events.map((e) => e.type)).toEqual(types);
      expect(events.map((e) => e.message)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
      expect(events[3]).toMatchObject({ runId: 'r1', ts: at(1), asset: 'a/b', partition: null, data: { rows: 3, nested: { ok: true } } });
      expect(events[2]?.partition).toBe('2024-05-01');
      const ids = events.map((e) => e.id!);
      expect([...ids].sort((x, y) => x - y)).toEqual(ids);
      expect(await store.listEvents('nobody')).toEqual([]);
    });

    it('reads the latest statuses as runs of consecutive days or hours, in key order', async () => {
      const { store } = await fresh();
      const record = (asset: string, partition: string | null, status: 'succeeded' | 'failed' = 'succeeded') =>
        store.recordMaterialization(materialization({ asset, partition, status }));
      // Across a year end and a leap day, a failed day, a missing day, and hours between the days.
      for (const day of ['2023-12-31', '2024-01-01', '2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01', '2024-03-03', '2024-03-05']) await record('a/daily', day);
      await record('a/daily', '2024-03-02', 'failed');
      for (const hour of ['2024-03-01T22', '2024-03-01T23', '2024-03-02T00']) await record('a/daily', hour);
      await record('a/daily', '2024-03-05', 'failed');
      await record('a/other', '2024-03-04');
      expect(await store.partitionRuns('a/daily')).toEqual([
        { from: '2023-12-31', to: '2024-01-01', status: 'succeeded', count: 2 },
        { from: '2024-02-27', to: '2024-03-01', status: 'succeeded', count: 4 },
        { from: '2024-03-01T22', to: '2024-03-01T23', status: 'succeeded', count: 2 },
        { from: '2024-03-02', to: '2024-03-02', status: 'failed', count: 1 },
        { from: '2024-03-02T00', to: '2024-03-02T00', status: 'succeeded', count: 1 },
        { from: '2024-03-03', to: '2024-03-03', status: 'succeeded', count: 1 },
        { from: '2024-03-05', to: '2024-03-05', status: 'failed', count: 1 },
      ]);
      // Keys of no time shape (JSON escapes them: a quote, a backslash) are runs of one; so is the unpartitioned record.
      for (const key of ['x\\y', 'eu', 'u"s']) await record('a/static', key);
      expect(await store.partitionRuns('a/static')).toEqual(['eu', 'u"s', 'x\\y'].map((k) => ({ from: k, to: k, status: 'succeeded', count: 1 })));
      await record('a/snapshot', null, 'failed');
      expect(await store.partitionRuns('a/snapshot')).toEqual([{ from: null, to: null, status: 'failed', count: 1 }]);
      expect(await store.partitionRuns('nothing')).toEqual([]);
    });

    it('records materializations and the latest status per (asset, partition)', async () => {
      const { store } = await fresh();
      await store.recordMaterialization(materialization());
      await store.recordMaterialization(materialization({ partition: '2024-05-02', status: 'failed', error: 'bad', rows: null, metadata: null }));
      await store.recordMaterialization(materialization({ runId: 'r2', partition: '2024-05-01', status: 'failed', endedAt: at(9) }));
      // Skipped and canceled steps leave the partition's status alone.
      await store.recordMaterialization(materialization({ runId: 'r3', partition: '2024-05-02', status: 'skipped' }));
      await store.recordMaterialization(materialization({ runId: 'r3', partition: '2024-05-01', status: 'canceled' }));
      await store.recordMaterialization(materialization({ runId: 'r2', asset: 'rawg/genres', partition: null }));
      expect(await store.latestByPartition('rawg/games')).toEqual([
        { partition: '2024-05-01', status: 'failed', runId: 'r2', endedAt: at(9) },
        { partition: '2024-05-02', status: 'failed', runId: 'r1', endedAt: at(1) },
      ]);
      expect(await store.latestByPartition('rawg/genres')).toEqual([{ partition: null, status: 'succeeded', runId: 'r2', endedAt: at(1) }]);
      expect(await store.latestByPartition('nothing')).toEqual([]);
      const first = (await store.listMaterializations({ runId: 'r1' }))[0];
      expect(first).toEqual({ ...materialization(), durationMs: 1000 });
      expect((await store.listMaterializations({ runId: 'r2' })).map((m) => m.asset)).toEqual(['rawg/games', 'rawg/genres']);
      expect((await store.listMaterializations({ asset: 'rawg/genres' }))[0]?.partition).toBeNull();
      expect(await store.listMaterializations({ runId: 'r3', asset: 'rawg/games' })).toHaveLength(2);
      expect(await store.listMaterializations()).toHaveLength(6);
      // Capped, newest first, by status; and the counts and sums of runs in one aggregate.
      expect((await store.listMaterializations({ asset: 'rawg/games', newestFirst: true, limit: 2 })).map((m) => [m.runId, m.status])).toEqual([['r3', 'canceled'], ['r3', 'skipped']]);
      expect((await store.listMaterializations({ status: 'failed' })).map((m) => m.runId)).toEqual(['r1', 'r2']);
      await store.recordMaterialization(materialization({ runId: 'r2', asset: 'checks/rawg/games/not_empty', status: 'failed', rows: null, requests: 0 }));
      const summaries = await store.summarizeRunSteps(['r1', 'r2', 'r3', 'none']);
      expect(summaries.get('r2')).toEqual({ total: 3, succeeded: 1, failed: 2, other: 0, rows: 2 * materialization().rows!, requests: 2 * materialization().requests!, checksFailed: 1 });
      expect(summaries.get('r3')).toMatchObject({ total: 2, succeeded: 0, failed: 0, other: 2 });
      expect(summaries.has('none')).toBe(false);
      expect(await store.summarizeRunSteps([])).toEqual(new Map());
    });

    it('creates backfills, lists them newest first and moves partitions through their statuses', async () => {
      const { store } = await fresh();
      const parts = [
        { asset: 'rawg/games', partition: '2024-05-02' },
        { asset: 'rawg/games', partition: '2024-05-01' },
        { asset: 'rawg/genres', partition: null },
        { asset: 'rawg/games', partition: '2024-05-02' },
      ];
      await store.createBackfill({ backfillId: 'b1', selection: 'rawg/*', fromKey: '2024-05-01', toKey: '2024-05-02', status: 'running', createdAt: at(0), options: { concurrency: 2, force: false } }, parts);
      await store.createBackfill({ backfillId: 'b2', selection: 'x', fromKey: 'a', toKey: 'b', status: 'running', createdAt: at(0), options: {} }, []);
      await store.createBackfill({ backfillId: 'b0', selection: 'x', fromKey: 'a', toKey: 'b', status: 'running', createdAt: at(-5), options: {} }, []);
      expect((await store.listBackfills()).map((b) => b.backfillId)).toEqual(['b2', 'b1', 'b0']);
      expect((await store.listBackfills({ limit: 1 })).map((b) => b.backfillId)).toEqual(['b2']);
      expect(await store.getBackfill('b1')).toEqual({
        backfillId: 'b1', selection: 'rawg/*', fromKey: '2024-05-01', toKey: '2024-05-02', status: 'running',
        createdAt: at(0), updatedAt: at(0), options: { concurrency: 2, force: false },
      });
      expect(await store.getBackfill('nope')).toBeUndefined();
      // Creation order is kept; a repeated (asset, partition) is stored once.
      const listed = await store.listBackfillPartitions('b1');
      expect(listed.map((p) => [p.asset, p.partition])).toEqual([['rawg/games', '2024-05-02'], ['rawg/games', '2024-05-01'], ['rawg/genres', null]]);
      expect(listed[0]).toEqual({ backfillId: 'b1', asset: 'rawg/games', partition: '2024-05-02', status: 'pending', runId: null, attempts: 0, updatedAt: at(0), error: null });

      await store.updateBackfillPartitions('b1', [
        { asset: 'rawg/games', partition: '2024-05-02', status: 'running', runId: 'run-1' },
        { asset: 'rawg/genres', partition: null, status: 'running', runId: 'run-1' },
        { asset: 'rawg/genres', partition: null, status: 'failed', error: 'boom' },
        { asset: 'rawg/genres', partition: null, status: 'running', runId: 'run-2' },
      ], at(3));
      await store.updateBackfillPartitions('b1', [{ asset: 'rawg/games', partition: '2024-05-02', status: 'succeeded' }], at(4));
      await store.updateBackfillPartitions('b1', [], at(99));
      const byKey = Object.fromEntries((await store.listBackfillPartitions('b1')).map((p) => [`${p.asset}@${p.partition}`, p]));
      expect(byKey['rawg/games@2024-05-02']).toMatchObject({ status: 'succeeded', runId: 'run-1', attempts: 1, updatedAt: at(4), error: null });
      expect(byKey['rawg/genres@null']).toMatchObject({ status: 'running', runId: 'run-2', attempts: 2, updatedAt: at(3), error: null });
      expect(byKey['rawg/games@2024-05-01']).toMatchObject({ status: 'pending', attempts: 0 });
      await store.updateBackfillPartitions('b1', [{ asset: 'rawg/genres', partition: null, status: 'failed', runId: null, error: 'again' }], at(5));
      expect((await store.listBackfillPartitions('b1', { status: ['failed'] }))[0]).toMatchObject({ asset: 'rawg/genres', runId: null, error: 'again', attempts: 2 });
      expect((await store.listBackfillPartitions('b1', { status: ['pending', 'succeeded'] })).map((p) => p.partition)).toEqual(['2024-05-02', '2024-05-01']);
      expect(await store.listBackfillPartitions('b1', { status: [] })).toEqual([]);
      expect(await store.getBackfillPartition('b1', 'rawg/games', '2024-05-02')).toMatchObject({ status: 'succeeded', runId: 'run-1' });
      expect(await store.getBackfillPartition('b1', 'rawg/genres', null)).toMatchObject({ status: 'failed', error: 'again' });
      expect(await store.getBackfillPartition('b1', 'rawg/games', '2030-01-01')).toBeUndefined();
      expect(await store.countBackfillPartitions('b1')).toEqual({ pending: 1, running: 0, succeeded: 1, failed: 1, skipped: 0, canceled: 0 });
      expect(await store.countBackfillPartitions('nope')).toEqual({ pending: 0, running: 0, succeeded: 0, failed: 0, skipped: 0, canceled: 0 });
      expect(await store.countBackfillPartitions('b2')).toEqual({ pending: 0, running: 0, succeeded: 0, failed: 0, skipped: 0, canceled: 0 });

      await store.setBackfillStatus('b1', 'canceled', at(6));
      expect(await store.getBackfill('b1')).toMatchObject({ status: 'canceled', updatedAt: at(6) });
    });

    it('creates a 40,000-partition backfill in one batch and updates it in bulk', async () => {
      const { store } = await fresh();
      const days = Array.from({ length: 10_000 }, (_, i) => new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString().slice(0, 10));
      const parts = ['a/one', 'a/two', 'a/three', 'a/four'].flatMap((asset) => days.map((partition) => ({ asset, partition })));
      // Correctness only: bench/state-store-bulk.ts times these operations.
      await store.createBackfill({ backfillId: 'big', selection: 'a/*', fromKey: days[0]!, toKey: days.at(-1)!, status: 'running', createdAt: at(0), options: {} }, parts);
      expect(await store.countBackfillPartitions('big')).toMatchObject({ pending: 40_000, running: 0 });
      await store.updateBackfillPartitions('big', parts.slice(0, 10_000).map((p) => ({ ...p, status: 'running' as const, runId: 'r' })), at(1));
      const running = await store.listBackfillPartitions('big', { status: ['running'] });
      expect(running).toHaveLength(10_000);
      expect(running.every((p) => p.attempts === 1 && p.runId === 'r' && p.asset === 'a/one')).toBe(true);
      expect(running.at(-1)?.partition).toBe(days.at(-1));
      expect(await store.countBackfillPartitions('big')).toMatchObject({ pending: 30_000, running: 10_000 });
    });

    it('takes, renews, expires and releases leases', async () => {
      const { store } = await fresh();
      expect(await store.tryAcquireLock('asset:x', 'p1', 60_000, at(0))).toBe(true);
      expect(await store.tryAcquireLock('asset:x', 'p2', 60_000, at(30))).toBe(false);
      expect(await store.tryAcquireLock('asset:y', 'p1', 10_000, at(0))).toBe(true);
      // The owner may take it again; that renews the lease but keeps when it was first acquired.
      expect(await store.tryAcquireLock('asset:x', 'p1', 60_000, at(30))).toBe(true);
      expect(await store.listLocks(at(5))).toEqual([
        { name: 'asset:x', owner: 'p1', acquiredAt: at(0), expiresAt: at(90) },
        { name: 'asset:y', owner: 'p1', acquiredAt: at(0), expiresAt: at(10) },
      ]);
      expect(await store.listLocks(at(10))).toEqual([expect.objectContaining({ name: 'asset:x' })]);
      expect(await store.tryAcquireLock('asset:x', 'p2', 60_000, at(89.999))).toBe(false);
      // Expired exactly at expiresAt; `now` without milliseconds is the same instant.
      expect(await store.tryAcquireLock('asset:x', 'p2', 60_000, '2024-05-01T00:01:30Z')).toBe(true);
      expect(await store.listLocks(at(91))).toEqual([{ name: 'asset:x', owner: 'p2', acquiredAt: at(90), expiresAt: at(150) }]);
      await store.renewLocks('p2', 120_000, at(100));
      // Every row p1 still owns is extended, even the lapsed asset:y nobody took; asset:x is p2's now.
      await store.renewLocks('p1', 120_000, at(100));
      expect(await store.listLocks(at(151))).toEqual([
        { name: 'asset:x', owner: 'p2', acquiredAt: at(90), expiresAt: at(220) },
        { name: 'asset:y', owner: 'p1', acquiredAt: at(0), expiresAt: at(220) },
      ]);
      await store.releaseLock('asset:x', 'p1'); // not the owner: no effect
      expect(await store.tryAcquireLock('asset:x', 'p1', 1_000, at(160))).toBe(false);
      await store.releaseLock('asset:x', 'p2');
      expect(await store.tryAcquireLock('asset:x', 'p1', 1_000, at(160))).toBe(true);
      await expect(store.tryAcquireLock('asset:z', 'p1', 1_000, 'yesterday')).rejects.toMatchObject({ code: 'STATE' });
    });

    it('charges the request ledger against day and month limits', async () => {
      const { store } = await fresh();
      const day = (d: number, h = 12) => `2024-05-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00.000Z`;
      expect(await store.requestUsage('rawg', day(1))).toEqual({ day: 0, month: 0 });
      expect(await store.chargeRequests('rawg', 5, day(1))).toBe(true);
      expect(await store.chargeRequests('rawg', 4, day(1, 23), { perDay: 10 })).toBe(true);
      expect(await store.chargeRequests('rawg', 2, day(1, 0), { perDay: 10 })).toBe(false); // 11 > 10: nothing charged
      expect(await store.chargeRequests('rawg', 1, day(1), { perDay: 10 })).toBe(true);
      expect(await store.requestUsage('rawg', day(1))).toEqual({ day: 10, month: 10 });
      expect(await store.chargeRequests('rawg', 8, day(2), { perDay: 10, perMonth: 18 })).toBe(true);
      expect(await store.chargeRequests('rawg', 1, day(3), { perDay: 10, perMonth: 18 })).toBe(false);
      expect(await store.chargeRequests('rawg', 1, day(31), { perMonth: 19 })).toBe(true);
      expect(await store.requestUsage('rawg', day(3))).toEqual({ day: 0, month: 19 });
      // Another month and another source are separate ledgers; 0 is always allowed.
      expect(await store.chargeRequests('rawg', 19, '2024-06-01T00:00:00.000Z', { perMonth: 19 })).toBe(true);
      expect(await store.chargeRequests('rawg', 1, '2024-04-30T23:59:59.999Z', { perDay: 1, perMonth: 1 })).toBe(true);
      expect(await store.chargeRequests('other', 3, day(1), { perDay: 3 })).toBe(true);
      expect(await store.chargeRequests('rawg', 0, day(1), { perDay: 10 })).toBe(true);
      expect(await store.requestUsage('rawg', '2024-06-01T10:00:00Z')).toEqual({ day: 19, month: 19 });
      expect(await store.requestUsage('rawg', day(1))).toEqual({ day: 10, month: 19 });
      await expect(store.chargeRequests('rawg', -1, day(1))).rejects.toMatchObject({ code: 'STATE' });
      await expect(store.chargeRequests('rawg', 1.5, day(1))).rejects.toMatchObject({ code: 'STATE' });
    });

    it('lists every ledger with requests in a month, each apart', async () => {
      const { store } = await fresh();
      expect(await store.listRequestUsage('2024-05-10T00:00:00.000Z')).toEqual([]);
      await store.chargeRequests('rawg@https://api.rawg.io/api', 3, '2024-05-01T10:00:00.000Z');
      await store.chargeRequests('rawg@sandbox', 1618, '2024-05-10T10:00:00.000Z');
      await store.chargeRequests('rawg@https://api.rawg.io/api', 2, '2024-05-10T11:00:00.000Z', { perMonth: 5 });
      await store.chargeRequests('rawg@http://127.0.0.1:8080/api', 7, '2024-04-30T23:00:00.000Z');
      expect(await store.listRequestUsage('2024-05-10T12:00:00.000Z')).toEqual([
        { source: 'rawg@https://api.rawg.io/api', day: 2, month: 5 },
        { source: 'rawg@sandbox', day: 1618, month: 1618 },
      ]);
      // The sandbox's 1,618 never count against the real API's month.
      expect(await store.chargeRequests('rawg@https://api.rawg.io/api', 1, '2024-05-10T12:00:00.000Z', { perMonth: 5 })).toBe(false);
      expect(await store.chargeRequests('rawg@sandbox', 1, '2024-05-10T12:00:00.000Z', { perMonth: 1619 })).toBe(true);
    });

    it('keeps the latest check result per (check, partition)', async () => {
      const { store } = await fresh();
      const base = { runId: 'r1', asset: 'rawg/games', severity: 'error' as const, metadata: null };
      await store.recordCheckResult({ ...base, check: 'not_null', partition: '2024-05-01', status: 'failed', at: at(1), metadata: { nulls: 3 } });
      await store.recordCheckResult({ ...base, check: 'not_null', partition: '2024-05-01', status: 'passed', at: at(2) });
      await store.recordCheckResult({ ...base, check: 'not_null', partition: '2024-05-02', status: 'warned', severity: 'warn', at: at(2) });
      await store.recordCheckResult({ ...base, runId: 'r2', check: 'not_null', partition: '2024-05-02', status: 'errored', at: at(1) });
      await store.recordCheckResult({ ...base, check: 'unique', partition: null, status: 'passed', at: at(5) });
      await store.recordCheckResult({ ...base, runId: 'r3', check: 'unique', partition: null, status: 'failed', at: at(5), metadata: { dupes: ['a'] } });
      await store.recordCheckResult({ ...base, asset: 'rawg/genres', check: 'unique', partition: null, status: 'failed', at: at(9) });
      expect(await store.latestCheckResults('rawg/games')).toEqual([
        { ...base, check: 'not_null', partition: '2024-05-01', status: 'passed', at: at(2) },
        { ...base, check: 'not_null', partition: '2024-05-02', status: 'warned', severity: 'warn', at: at(2) },
        { ...base, runId: 'r3', check: 'unique', partition: null, status: 'failed', at: at(5), metadata: { dupes: ['a'] } },
      ]);
      expect(await store.latestCheckResults('none')).toEqual([]);
      // The history: every result, newest first (ties by insertion), paged by id.
      const first = await store.listCheckResults('rawg/games', { limit: 2 });
      expect(first.map((r) => [r.runId, r.check, r.status])).toEqual([['r3', 'unique', 'failed'], ['r1', 'unique', 'passed']]);
      const rest = await store.listCheckResults('rawg/games', { limit: 10, before: { at: first[1]!.at, id: first[1]!.id } });
      // r2's result was recorded after the at(2) ones but happened at at(1): time orders it.
      expect(rest.map((r) => [r.check, r.partition, r.status])).toEqual([
        ['not_null', '2024-05-02', 'warned'], ['not_null', '2024-05-01', 'passed'], ['not_null', '2024-05-02', 'errored'], ['not_null', '2024-05-01', 'failed'],
      ]);
    });

    it('keeps favorites per user name, idempotently, the latest first, and removes them with the user', async () => {
      const { store } = await fresh();
      expect(await store.addFavorite('ana', 3498, at(1))).toBe(true);
      expect(await store.addFavorite('ana', 3498, at(2))).toBe(false);
      expect(await store.addFavorite('ana', 4200, at(3))).toBe(true);
      expect(await store.addFavorite('bo', 3498, at(4))).toBe(true);
      expect(await store.listFavorites('ana')).toEqual([{ gameId: 4200, at: at(3) }, { gameId: 3498, at: at(1) }]);
      expect(await store.removeFavorite('ana', 4200)).toBe(true);
      expect(await store.removeFavorite('ana', 4200)).toBe(false);
      await store.createUser({ name: 'bo', role: 'viewer', passwordHash: 'x', at: at(0) });
      await store.removeUser('bo');
      expect(await store.listFavorites('bo')).toEqual([]);
      expect(await store.listFavorites('ana')).toEqual([{ gameId: 3498, at: at(1) }]);
    });

    it('tracks ML runs in MLflow\'s shape: params, tags, artifacts, metric series by step, last values in lists', async () => {
      const { store } = await fresh();
      registerSecret('sk-ml-secret-123');
      const run = {
        runId: 'mlr-1', experiment: 'game_rating_model', name: 'game_rating_model #1', status: 'RUNNING' as const,
        startTime: 1_000, endTime: null, params: { eta: '0.1', max_depth: '6' }, tags: { 'gmp.code_version': 'abc' },
        artifacts: [], metrics: [], error: null,
      };
      await store.createMlRun(run);
      await store.createMlRun({ ...run, runId: 'mlr-2', experiment: 'game_popularity_model', startTime: 2_000 });
      await store.logMlMetrics('mlr-1', [0, 1, 2].map((step) => ({ key: 'valid_rmse', value: 1 - step / 10, step, timestamp: 1_000 + step })));
      await store.logMlMetrics('mlr-1', [{ key: 'rmse', value: 0.5, step: 0, timestamp: 1_100 }]);
      const model = { path: 'model/model.json', key: 'ml/runs/mlr-1/model/model.json', bytes: 10, sha256: 'ab' };
      await store.updateMlRun('mlr-1', { status: 'FAILED', endTime: 1_200, error: 'boom with sk-ml-secret-123', params: { rounds: '3' }, artifacts: [model] });
      const got = await store.getMlRun('mlr-1');
      expect(got).toMatchObject({ status: 'FAILED', endTime: 1_200, params: { eta: '0.1', max_depth: '6', rounds: '3' }, tags: { 'gmp.code_version': 'abc' }, artifacts: [model] });
      expect(got?.error).not.toContain('sk-ml-secret-123');
      expect(got?.metrics.filter((m) => m.key === 'valid_rmse').map((m) => [m.step, m.value])).toEqual([[0, 1], [1, 0.9], [2, 0.8]]);
      const listed = await store.listMlRuns();
      expect(listed.map((r) => r.runId)).toEqual(['mlr-2', 'mlr-1']);
      expect(listed[1]!.metrics.map((m) => [m.key, m.value])).toEqual([['rmse', 0.5], ['valid_rmse', 0.8]]);
      expect((await store.listMlRuns({ experiment: 'game_popularity_model' })).map((r) => r.runId)).toEqual(['mlr-2']);
      expect(await store.getMlRun('nope')).toBeUndefined();
    });

    it('numbers model versions per model and moves aliases with their history', async () => {
      const { store } = await fresh();
      expect((await store.createModelVersion('rating', 'r1', at(1))).version).toBe(1);
      expect((await store.createModelVersion('rating', 'r2', at(2))).version).toBe(2);
      expect((await store.createModelVersion('popularity', 'p1', at(3))).version).toBe(1);
      await store.setModelAlias({ model: 'rating', alias: 'production', version: 1, at: at(4), by: 'gmp', reason: 'first model' });
      await store.setModelAlias({ model: 'rating', alias: 'candidate', version: 2, at: at(5), by: 'gmp', reason: 'trained' });
      await store.setModelAlias({ model: 'rating', alias: 'production', version: 2, at: at(6), by: 'ana', reason: 'better' });
      expect((await store.listModelVersions('rating')).map((v) => [v.version, v.runId, v.aliases])).toEqual([[2, 'r2', ['candidate', 'production']], [1, 'r1', []]]);
      expect((await store.listModelVersions()).map((v) => `${v.model}@${v.version}`)).toEqual(['popularity@1', 'rating@2', 'rating@1']);
      expect((await store.listAliasChanges('rating')).map((c) => [c.alias, c.version, c.by])).toEqual([['production', 2, 'ana'], ['candidate', 2, 'gmp'], ['production', 1, 'gmp']]);
    });

    it('keeps one row per daemon, updated by its heartbeats, listed by the latest heartbeat', async () => {
      const { store } = await fresh();
      const d = { owner: 'host:1:daemon-aaaaaa', startedAt: at(0), heartbeatAt: at(0), stoppedAt: null, nextTick: null, once: false };
      await store.recordDaemon(d);
      await store.recordDaemon({ ...d, owner: 'host:2:daemon-bbbbbb', heartbeatAt: at(1), once: true });
      await store.recordDaemon({ ...d, heartbeatAt: at(2), nextTick: 'daily_games@2024-05-02T03:00:00.000Z' });
      await store.recordDaemon({ ...d, heartbeatAt: at(3), stoppedAt: at(3), startedAt: at(9) });
      expect(await store.listDaemons(at(0))).toEqual([
        { ...d, heartbeatAt: at(3), stoppedAt: at(3), nextTick: null },
        { ...d, owner: 'host:2:daemon-bbbbbb', heartbeatAt: at(1), once: true },
      ]);
      expect((await store.listDaemons(at(2))).map((x) => x.owner)).toEqual(['host:1:daemon-aaaaaa']);
    });

    it('redacts a registered secret from every stored text', async () => {
      const { store } = await fresh();
      const secret = 'sk-conformance-5ecret-value';
      registerSecret(secret);
      const leak = `failed with key ${secret}`;
      await store.createRun({ runId: 'r1', kind: 'k', selection: leak, partitions: '1', startedAt: at(0), owner: leak });
      await store.finishRun('r1', 'failed', at(1), leak);
      await store.appendEvent({ runId: 'r1', ts: at(0), type: 'LOG', asset: null, partition: null, message: leak, data: { url: `https://x/?key=${secret}`, apiKey: 'plain', deep: [leak] } });
      await store.recordMaterialization(materialization({ status: 'failed', error: leak, metadata: { note: leak } }));
      await store.createBackfill({ backfillId: 'b', selection: leak, fromKey: 'a', toKey: 'b', status: 'running', createdAt: at(0), options: { header: leak, password: 'hunter22' } }, [{ asset: 'x', partition: null }]);
      await store.updateBackfillPartitions('b', [{ asset: 'x', partition: null, status: 'failed', error: leak }], at(1));
      await store.recordCheckResult({ runId: 'r1', asset: 'x', partition: null, check: 'c', status: 'failed', severity: 'error', at: at(0), metadata: { sample: leak } });
      const everything = JSON.stringify([
        await store.getRun('r1'), await store.listEvents('r1'), await store.listMaterializations(), await store.getBackfill('b'),
        await store.listBackfillPartitions('b'), await store.latestCheckResults('x'),
      ]);
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain('hunter22');
      expect(everything.match(/\[REDACTED\]/g)?.length).toBeGreaterThanOrEqual(12);
    });

    it('migrates once: reopening is a no-op and the data stays', async () => {
      const { target, store } = await fresh();
      await store.createRun({ runId: 'kept', kind: 'k', selection: '*', partitions: '', startedAt: at(0) });
      const again = await target.open();
      const third = await target.open();
      expect((await again.getRun('kept'))?.runId).toBe('kept');
      expect((await third.listRuns()).map((r) => r.runId)).toEqual(['kept']);
      const versions = await target.driver().query<{ version: number | string }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(versions.map((v) => Number(v.version))).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    });

    it('refuses a database written by a newer gmp', async () => {
      const { target } = await fresh();
      await target.driver().execute('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [99, at(0)]);
      const error = await target.open().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'STATE', hint: expect.stringMatching(/upgrade gmp/) });
      expect((error as Error).message).toMatch(/schema version 99/);
    });

    it('serves latestByPartition for 100,000 partitions', async () => {
      const { target, store } = await fresh();
      const days = Array.from({ length: 100_000 }, (_, i) => `p${String(i).padStart(6, '0')}`);
      const driver = target.driver();
      await driver.transaction(async (tx) => {
        for (let i = 0; i < days.length; i += 2_000) {
          const chunk = days.slice(i, i + 2_000);
          await tx.execute(
            `INSERT INTO asset_partitions (asset, partition, status, run_id, ended_at) VALUES ${chunk.map(() => `('big/asset', ?, 'succeeded', 'r', ?)`).join(', ')}`,
            chunk.flatMap((d) => [d, at(1)]),
          );
        }
        await tx.execute(`INSERT INTO asset_partitions (asset, partition, status, run_id, ended_at) VALUES ('big/other', 'p', 'failed', 'r', ?)`, [at(1)]);
      });
      const latest = await store.latestByPartition('big/asset');
      expect(latest).toHaveLength(100_000);
      expect(latest[0]).toEqual({ partition: 'p000000', status: 'succeeded', runId: 'r', endedAt: at(1) });
      expect(latest.at(-1)?.partition).toBe('p099999');
      expect(latest.every((row, i) => row.partition === days[i])).toBe(true);
    });

    it('serves partitionRuns for 100,000 daily partitions', async () => {
      const { target, store } = await fresh();
      // 100,000 days back from 2026-01-01, every 97th failed: 2,062 runs.
      const first = Date.UTC(2026, 0, 1) - 100_000 * 86_400_000;
      const days = Array.from({ length: 100_000 }, (_, i) => new Date(first + i * 86_400_000).toISOString().slice(0, 10));
      await target.driver().transaction(async (tx) => {
        for (let i = 0; i < days.length; i += 2_000) {
          const chunk = days.slice(i, i + 2_000);
          await tx.execute(
            `INSERT INTO asset_partitions (asset, partition, status, run_id, ended_at) VALUES ${chunk.map(() => `('big/daily', ?, ?, 'r', ?)`).join(', ')}`,
            chunk.flatMap((d, j) => [d, (i + j) % 97 === 0 ? 'failed' : 'succeeded', at(1)]),
          );
        }
      });
      const runs = await store.partitionRuns('big/daily');
      expect(runs).toHaveLength(2 * 1031);
      expect(runs.slice(0, 2)).toEqual([
        { from: days[0], to: days[0], status: 'failed', count: 1 },
        { from: days[1], to: days[96], status: 'succeeded', count: 96 },
      ]);
      expect(runs.reduce((n, r) => n + r.count, 0)).toBe(100_000);
      expect(runs.at(-1)).toEqual({ from: days[99_911], to: days[99_999], status: 'succeeded', count: 89 });
    });

    describeStateStoreConcurrency(freshTarget);
  });
}
