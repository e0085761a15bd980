import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildProgram, commandWord } from '../main.js';
import { COMMANDS, commandName } from './index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = (...args: string[]) => ['node', 'gmp', ...args];

describe('the command registry', () => {
  it('lists each command as its loaded definition shows it', async () => {
    for (const entry of COMMANDS) {
      const program = await buildProgram(argv(commandName(entry)));
      const command = program.commands.find((c) => c.name() === commandName(entry))!;
      const help = program.createHelp();
      expect({ term: help.subcommandTerm(command), description: help.subcommandDescription(command) }).toEqual({ term: entry.term, description: entry.description });
    }
  });

  it('loads every register function the command files export (a new command needs its line)', async () => {
    const exported = new Set<unknown>();
    for (const file of readdirSync(here).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts')) {
      const module = (await import(`./${file.replace(/\.ts$/, '.js')}`)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(module)) if (/^register[A-Z]/.test(name)) exported.add(value);
    }
    const loaded = new Set(await Promise.all(COMMANDS.map((c) => c.load())));
    expect(loaded).toEqual(exported);
    expect(new Set(COMMANDS.map(commandName)).size).toBe(COMMANDS.length);
  });

  it('gives `gmp --help` the same text whichever command is loaded', async () => {
    const bare = (await buildProgram(argv('--help'))).helpInformation();
    expect(bare).toContain('partitions [options] <asset>');
    for (const entry of COMMANDS) expect((await buildProgram(argv(commandName(entry)))).helpInformation()).toBe(bare);
  });
});

describe('buildProgram', () => {
  it('loads the command the arguments name, after gmp options or `help`', async () => {
    const options = async (...args: string[]) => (await buildProgram(argv(...args))).commands.find((c) => c.name() === 'partitions')!.options.map((o) => o.long);
    expect(await options('--log-json', 'partitions', 'rawg/games')).toEqual(['--json', '--hours']);
    expect(await options('help', 'partitions')).toEqual(['--json', '--hours']);
    expect(await options('--help')).toEqual([]);
    expect(await options('runs')).toEqual([]);
  });

  it('names the command word', () => {
    expect(commandWord(['--log-json', 'runs', 'show', '--json'])).toBe('runs');
    expect(commandWord(['help', '--log-json', 'runs', 'show'])).toBe('runs');
    expect(commandWord(['help'])).toBeUndefined();
    expect(commandWord(['-V'])).toBeUndefined();
    expect(commandWord(['--', 'query'])).toBe('query');
  });
});
