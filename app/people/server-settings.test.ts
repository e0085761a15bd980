import { describe, expect, it } from 'vitest';
import { resolveSettings } from './server-settings.js';

const set = (key: string, value: string) => ({ key, value, updatedAt: '2025-06-30T12:00:00.000Z', updatedBy: 'ana' });

describe('resolveSettings', () => {
  it('opens registration by default on loopback only, and takes the SQL console from the environment', () => {
    const local = resolveSettings([], { sqlConsole: 'operators', sqlConsoleSource: 'environment' }, { localMode: true });
    expect(local.registration).toEqual({ value: 'open', source: 'default', setBy: null, setAt: null, fallback: { value: 'open', source: 'default' } });
    expect(local.sqlConsole).toMatchObject({ value: 'operators', source: 'environment' });
    const exposed = resolveSettings([], { sqlConsole: 'viewers' }, { localMode: false });
    expect(exposed.registration.value).toBe('closed');
    expect(exposed.sqlConsole).toMatchObject({ value: 'viewers', source: 'default' });
  });

  it("lets an admin's choice win over both, saying who made it and when", () => {
    const settings = resolveSettings([set('registration', 'closed'), set('sql_console', 'off')], { sqlConsole: 'viewers', sqlConsoleSource: 'environment' }, { localMode: true });
    expect(settings.registration).toEqual({ value: 'closed', source: 'admin', setBy: 'ana', setAt: '2025-06-30T12:00:00.000Z', fallback: { value: 'open', source: 'default' } });
    expect(settings.sqlConsole).toMatchObject({ value: 'off', source: 'admin', fallback: { value: 'viewers', source: 'environment' } });
  });

  it('ignores a stored value it does not know', () => {
    expect(resolveSettings([set('sql_console', 'everyone')], { sqlConsole: 'viewers' }, { localMode: true }).sqlConsole).toMatchObject({ value: 'viewers', source: 'default' });
  });
});
