import type { Command } from 'commander';
import { formatTable, printJson } from '../output.js';
import { workspaceFor } from './context.js';

/** The password for a new user: stdin with --password-stdin, else a hidden prompt on a terminal. */
async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += String(chunk);
    return text.replace(/\r?\n$/, '');
  }
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  // Echo nothing while the password is typed.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  process.stderr.write('password: ');
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stderr.write('\n');
  return answer;
}

export function registerUsers(program: Command): void {
  const users = program
    .command('users')
    .enablePositionalOptions()
    .description('accounts of `gmp serve`: viewers read, operators launch and cancel, admins manage accounts')
    .addHelpText(
      'after',
      `
While no account exists, \`gmp serve\` on loopback acts as a local admin for whoever reaches it (its
pages say so); once one exists, everyone signs in. Serving beyond loopback needs an admin.

Examples:
  gmp users add ana --role admin            # asks for the password (or --password-stdin)
  gmp users set-role bo operator
  gmp users list
  gmp users remove bo`,
    );
  users
    .command('add')
    .description('add a user (password: at least 10 characters, asked for, or read with --password-stdin)')
    .argument('<name>', 'user name: 2-64 of a-z 0-9 . _ - starting with a letter')
    .requiredOption('--role <role>', 'viewer, operator or admin')
    .option('--password-stdin', 'read the password from standard input')
    .action(async (name: string, opts: { role: string; passwordStdin?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { addUser } = await import('../../app/index.js');
      const user = await addUser(ws, { name, role: opts.role, password: await readPassword(opts.passwordStdin ?? false) });
      process.stdout.write(`user ${user.name} added (${user.role})\n`);
    });
  users
    .command('list')
    .description('every user with their role and email')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { listUsers } = await import('../../app/index.js');
      const list = await listUsers(ws);
      if (opts.json) return printJson(list);
      process.stdout.write(list.length === 0 ? 'no users yet: gmp serve on loopback acts as a local admin\n' : `${formatTable(list.map((u) => ({ user: u.name, role: u.role, email: u.email ?? '-', created: u.createdAt })))}\n`);
    });
  users
    .command('set-role')
    .description("change a user's role (never the last admin's)")
    .argument('<name>')
    .argument('<role>', 'viewer, operator or admin')
    .action(async (name: string, role: string, _opts: unknown, command: Command) => {
      const ws = await workspaceFor(command);
      const { setRole } = await import('../../app/index.js');
      const user = await setRole(ws, name, role);
      process.stdout.write(`user ${user.name} is now ${user.role}\n`);
    });
  users
    .command('remove')
    .description('remove a user with their sessions and API tokens (never the last admin)')
    .argument('<name>')
    .action(async (name: string, _opts: unknown, command: Command) => {
      const ws = await workspaceFor(command);
      const { removeUser } = await import('../../app/index.js');
      await removeUser(ws, name);
      process.stdout.write(`user ${name} removed\n`);
    });
}

export function registerTokens(program: Command): void {
  const tokens = program
    .command('tokens')
    .enablePositionalOptions()
    .description('API tokens of `gmp serve` (sent as Authorization: Bearer …): shown once, stored hashed, expiring, revocable');
  tokens
    .command('create')
    .description('create a token that acts as a user; its secret is printed once')
    .requiredOption('--user <name>', 'the user it acts as (and whose role it has)')
    .requiredOption('--name <what>', 'what it is for, e.g. "grafana" or "ci"')
    .option('--expires-days <n>', 'days until it expires (1-3650)', (v) => Number(v), 90)
    .option('--json', 'print as JSON')
    .action(async (opts: { user: string; name: string; expiresDays: number; json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { createToken } = await import('../../app/index.js');
      const created = await createToken(ws, { user: opts.user, name: opts.name, expiresDays: opts.expiresDays });
      if (opts.json) return printJson(created);
      process.stdout.write(`${created.token}\n`);
      process.stderr.write(`token ${created.tokenId} for ${opts.user}, expires ${created.expiresAt}: copy it now, it is not shown again\n`);
    });
  tokens
    .command('list')
    .description('every token (never its secret)')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { listTokens } = await import('../../app/index.js');
      const list = await listTokens(ws);
      if (opts.json) return printJson(list);
      process.stdout.write(list.length === 0 ? 'no tokens\n' : `${formatTable(list.map((t) => ({ token: t.tokenId, user: t.user, name: t.name, expires: t.expiresAt.slice(0, 10), revoked: t.revokedAt ?? '', 'last used': t.lastUsedAt ?? '' })))}\n`);
    });
  tokens
    .command('revoke')
    .description('revoke a token at once')
    .argument('<token-id>', 'a token id from `gmp tokens list` (tok_…)')
    .action(async (tokenId: string, _opts: unknown, command: Command) => {
      const ws = await workspaceFor(command);
      const { revokeToken } = await import('../../app/index.js');
      await revokeToken(ws, tokenId);
      process.stdout.write(`token ${tokenId} revoked\n`);
    });
}
