import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, GmpError } from './errors/index.js';
import { clearSecrets, redactText, redactValue, registerSecret, stripKeyParam } from './redact.js';

afterEach(() => clearSecrets());

describe('redaction', () => {
  it('masks the key echoed in RAWG next URLs even when never registered', () => {
    const next = 'https://api.rawg.io/api/games?key=abc123secret&page=2&updated=2024-05-01%2C2024-05-01';
    expect(redactText(next)).toBe('https://api.rawg.io/api/games?key=[REDACTED]&page=2&updated=2024-05-01%2C2024-05-01');
  });

  it('masks registered secrets anywhere, raw or URL-encoded', () => {
    registerSecret('s3cr3t/with+chars');
    expect(redactText('token s3cr3t/with+chars here')).toBe('token [REDACTED] here');
    expect(redactText(`url ${encodeURIComponent('s3cr3t/with+chars')}`)).toBe('url [REDACTED]');
  });

  it('deep-redacts values and masks fields named like secrets', () => {
    registerSecret('k-123456');
    const out = redactValue({ a: ['x k-123456 y'], password: 'hunter22', nested: { apiKey: 'zzz', n: 3 } });
    expect(out).toEqual({ a: ['x [REDACTED] y'], password: '[REDACTED]', nested: { apiKey: '[REDACTED]', n: 3 } });
  });

  it('errors redact their message, hint and context at construction', () => {
    registerSecret('topsecretkey');
    const error = new GmpError('HTTP_STATUS', 'failed GET ?key=topsecretkey', {
      context: { url: 'http://x/?key=topsecretkey' },
      hint: 'topsecretkey is wrong',
    });
    const text = JSON.stringify(error.toJSON()) + error.message + String(error.hint);
    expect(text).not.toContain('topsecretkey');
    expect(new ConfigError('x').code).toBe('CONFIG_INVALID');
  });

  it('strips the key parameter from URLs we keep', () => {
    expect(stripKeyParam('http://h/api/games?page=2&key=abc')).toBe('http://h/api/games?page=2');
  });
});
