import { lockInTransaction } from './dialect-sql.js';
import type { SqlDriver, SqlValue } from './sql-driver.js';
import type { ApiTokenRecord, AuditRecord, Role, StateStore, UserRecord } from './state-store.js';
import { jsonIn, jsonOut, textOut, type Row } from './stored-values.js';

type AccountQueries = Pick<
  StateStore,
  | 'createUser'
  | 'getUser'
  | 'listUsers'
  | 'updateUser'
  | 'updateProfile'
  | 'removeUser'
  | 'createSession'
  | 'sessionUser'
  | 'deleteSession'
  | 'deleteUserSessions'
  | 'createApiToken'
  | 'tokenUser'
  | 'listApiTokens'
  | 'revokeApiToken'
  | 'appendAudit'
  | 'listAudit'
>;

// A one-key advisory lock (the migration lock's space) that serializes changes to names and emails.
const USERS_LOCK_KEY = 4_711_020_504;

/** Emails are unique case-insensitively: stored, and looked up, lower-cased. */
const emailIn = (email: string | null | undefined): string | null => (email === null || email === undefined ? null : email.trim().toLowerCase());

/** Takes the users lock inside `tx`. */
async function lockUsers(tx: SqlDriver): Promise<void> {
  await lockInTransaction(tx, USERS_LOCK_KEY);
}

/**
 * Users, sessions, API tokens and the audit log. Secrets never reach these tables: sessions and
 * tokens are stored as hashes of their random values, passwords as salted scrypt hashes.
 */
export function accountQueries(db: SqlDriver): AccountQueries {
  const userBy = async (where: string, value: SqlValue): Promise<UserRecord | undefined> => {
    const [row] = await db.query(`SELECT * FROM users WHERE ${where} = ?`, [value]);
    return row ? toUser(row) : undefined;
  };
  return {
    async createUser(user) {
      const email = emailIn(user.email);
      return db.transaction(async (tx) => {
        await lockUsers(tx);
        if ((await tx.query(`SELECT 1 AS x FROM users WHERE name = ?`, [user.name])).length > 0) return 'name-taken';
        if (email !== null && (await tx.query(`SELECT 1 AS x FROM users WHERE email = ?`, [email])).length > 0) return 'email-taken';
        const first = user.firstUserRole !== undefined && (await tx.query(`SELECT 1 AS x FROM users LIMIT 1`)).length === 0;
        await tx.execute(`INSERT INTO users (name, role, password_hash, email, display_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
          user.name,
          first ? user.firstUserRole! : user.role,
          user.passwordHash,
          email,
          user.displayName ?? null,
          user.at,
          user.at,
        ]);
        return 'created';
      });
    },
    getUser: (name) => userBy('name', name),
    async listUsers() {
      return (await db.query(`SELECT * FROM users ORDER BY name`)).map(toUser);
    },
    async updateUser(name, change, at) {
      const sets: string[] = ['updated_at = ?'];
      const args: SqlValue[] = [at];
      if (change.role !== undefined) {
        sets.push('role = ?');
        args.push(change.role);
      }
      if (change.passwordHash !== undefined) {
        sets.push('password_hash = ?');
        args.push(change.passwordHash);
      }
      return (await db.execute(`UPDATE users SET ${sets.join(', ')} WHERE name = ?`, [...args, name])) > 0;
    },
    async updateProfile(name, change, at) {
      return db.transaction(async (tx) => {
        await lockUsers(tx);
        const sets: string[] = ['updated_at = ?'];
        const args: SqlValue[] = [at];
        if (change.email !== undefined) {
          const email = emailIn(change.email);
          if (email !== null && (await tx.query(`SELECT 1 AS x FROM users WHERE email = ? AND name <> ?`, [email, name])).length > 0) return 'email-taken';
          sets.push('email = ?');
          args.push(email);
        }
        if (change.displayName !== undefined) {
          sets.push('display_name = ?');
          args.push(change.displayName);
        }
        return (await tx.execute(`UPDATE users SET ${sets.join(', ')} WHERE name = ?`, [...args, name])) > 0 ? 'updated' : 'missing';
      });
    },
    async removeUser(name) {
      return db.transaction(async (tx) => {
        const [row] = await tx.query(`SELECT user_id FROM users WHERE name = ?`, [name]);
        if (!row) return false;
        await tx.execute(`DELETE FROM sessions WHERE user_id = ?`, [row.user_id as SqlValue]);
        await tx.execute(`DELETE FROM api_tokens WHERE user_id = ?`, [row.user_id as SqlValue]);
        await tx.execute(`DELETE FROM favorites WHERE user_name = ?`, [name]);
        await tx.execute(`DELETE FROM users WHERE user_id = ?`, [row.user_id as SqlValue]);
        return true;
      });
    },
    async createSession(session) {
      await db.execute(`INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`, [session.tokenHash, session.userId, session.at, session.expiresAt]);
    },
    async sessionUser(tokenHash, now) {
      const [row] = await db.query(
        `SELECT u.* FROM sessions s JOIN users u ON u.user_id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?`,
        [tokenHash, now],
      );
      return row ? toUser(row) : undefined;
    },
    async deleteSession(tokenHash) {
      await db.execute(`DELETE FROM sessions WHERE token_hash = ?`, [tokenHash]);
    },
    async deleteUserSessions(userId, keepTokenHash) {
      return keepTokenHash === undefined
        ? db.execute(`DELETE FROM sessions WHERE user_id = ?`, [userId])
        : db.execute(`DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`, [userId, keepTokenHash]);
    },
    async createApiToken(token) {
      await db.execute(
        `INSERT INTO api_tokens (token_id, user_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
        [token.tokenId, token.userId, token.name, token.tokenHash, token.at, token.expiresAt],
      );
    },
    async tokenUser(tokenHash, now) {
      const [row] = await db.query(
        `SELECT u.*, t.token_id FROM api_tokens t JOIN users u ON u.user_id = t.user_id
         WHERE t.token_hash = ? AND t.revoked_at IS NULL AND t.expires_at > ?`,
        [tokenHash, now],
      );
      if (!row) return undefined;
      await db.execute(`UPDATE api_tokens SET last_used_at = ? WHERE token_id = ?`, [now, row.token_id as SqlValue]);
      return { user: toUser(row), tokenId: String(row.token_id) };
    },
    async listApiTokens(filter = {}) {
      const rows = await db.query(
        `SELECT t.*, u.name AS user_name FROM api_tokens t JOIN users u ON u.user_id = t.user_id
         ${filter.user !== undefined ? 'WHERE u.name = ?' : ''} ORDER BY t.created_at, t.token_id`,
        filter.user !== undefined ? [filter.user] : [],
      );
      return rows.map(toToken);
    },
    async revokeApiToken(tokenId, at) {
      return (await db.execute(`UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE token_id = ?`, [at, tokenId])) > 0;
    },
    async appendAudit(entry) {
      await db.execute(`INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)`, [entry.at, entry.actor, entry.action, entry.target, jsonIn(entry.detail)]);
    },
    async listAudit(options) {
      const rows = await db.query(
        `SELECT * FROM audit_log ${options.beforeId !== undefined ? 'WHERE id < ?' : ''} ORDER BY id DESC LIMIT ?`,
        options.beforeId !== undefined ? [options.beforeId, options.limit] : [options.limit],
      );
      return rows.map(toAudit);
    },
  };
}

function toUser(r: Row): UserRecord {
  return {
    userId: Number(r.user_id),
    name: String(r.name),
    role: r.role as Role,
    passwordHash: String(r.password_hash),
    email: textOut(r.email),
    displayName: textOut(r.display_name),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

function toToken(r: Row): ApiTokenRecord {
  return {
    tokenId: String(r.token_id),
    user: String(r.user_name),
    name: String(r.name),
    createdAt: String(r.created_at),
    expiresAt: String(r.expires_at),
    revokedAt: textOut(r.revoked_at),
    lastUsedAt: textOut(r.last_used_at),
  };
}

function toAudit(r: Row): AuditRecord {
  return { id: Number(r.id), at: String(r.at), actor: String(r.actor), action: String(r.action), target: textOut(r.target), detail: jsonOut(r.detail) };
}
