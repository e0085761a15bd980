import { describe, expect, it } from 'vitest';
import { envSchema } from './config-schema.js';
import { PLAIN_ENV, plainEnv } from './plain-env.js';

// The fast check stands in for zod on an environment written as expected: whatever it accepts, zod
// must accept and parse to the same value; anything else goes to zod, which says what is wrong.

const names = Object.keys(PLAIN_ENV) as (keyof typeof PLAIN_ENV)[];

// Values of every shape, and for each variable its bounds, choices and default, just in and out.
const COMMON = ['', ' ', 'x', ' x ', 'x y', '0', '-0', '1', '5', ' 5 ', '1.5', '-1', '1e3', '0x10', 'Infinity', 'NaN', '9007199254740993', '0'.repeat(400) + '1', '1'.repeat(400)];
const TEXTS = ['./.gmp', '/data/gmp', ' /data/gmp ', 'a-16-character-k', 'short-key', 'us-east-1', 'gmp_reader', 'GMP_Reader', 'gmp-reader', 'gmp_lake', 'lake$1', '1lake', 'x'.repeat(70)];
const URLS = [
  'https://api.rawg.io/api',
  'http://127.0.0.1:8081/api',
  'HTTP://Example.com',
  ' https://example.com ',
  'https://exa\tmple.com',
  'https:example.com',
  'https:/example.com',
  'ftp://example.com',
  'example.com',
  'http://',
  'https://user:pa ss@example.com',
  'http://[::1]:9000',
  'redis://localhost:6379',
  'rediss://:secret@cache:6380/2',
  ' redis://h ',
  'file:///tmp/x',
  's3://bucket/prefix',
  'postgres://gmp@db:5432/gmp',
];
const ARNS = ['arn:aws:iam::123456789012:role/gmp-snowflake', 'arn:aws-cn:iam::123456789012:role/a/b', 'arn:aws:iam::12345:role/x', ' arn:aws:iam::123456789012:role/x '];

function valuesFor(name: keyof typeof PLAIN_ENV): string[] {
  const spec = PLAIN_ENV[name];
  const own: string[] = [];
  if (spec.default !== undefined) own.push(String(spec.default));
  if (spec.kind === 'number') {
    for (const n of [spec.min, spec.max].filter((b) => b !== undefined)) own.push(String(n - 1), String(n), String(n + 1), `${n}.5`, `${n - 0.5}`);
  }
  if (spec.kind === 'choice') for (const v of spec.values) own.push(v, v.toUpperCase(), ` ${v}`);
  return [...own, ...COMMON, ...TEXTS, ...URLS, ...ARNS];
}

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function expectSameAsZod(env: Record<string, string>): boolean {
  const plain = plainEnv(env);
  if (plain === undefined) return false;
  const parsed = envSchema().safeParse(env);
  expect(parsed.success, JSON.stringify(env)).toBe(true);
  expect(plain, JSON.stringify(env)).toStrictEqual(parsed.data);
  return true;
}

describe('plainEnv', () => {
  it('knows every variable of envSchema(), in its order, with its default', () => {
    const shape = envSchema().shape;
    expect(names).toEqual(Object.keys(shape));
    for (const name of names) {
      const field = shape[name] as unknown as { type: string; _zod: { def: { defaultValue?: unknown } } };
      const spec = PLAIN_ENV[name];
      expect([name, field.type]).toEqual([name, spec.default === undefined ? 'optional' : 'default']);
      if (spec.default !== undefined) expect([name, field._zod.def.defaultValue]).toEqual([name, spec.default]);
    }
  });

  it('accepts a value only when envSchema() does, with the same parse', () => {
    let accepted = 0;
    let tried = 0;
    for (const name of names) {
      for (const value of valuesFor(name)) {
        if (value === '') continue; // loadConfig drops empty values before validating
        tried++;
        if (expectSameAsZod({ [name]: value })) accepted++;
      }
    }
    expect(accepted).toBeGreaterThan(tried / 10);
  });

  it('accepts whole environments only when envSchema() does', () => {
    const random = prng(5);
    let accepted = 0;
    for (let i = 0; i < 1500; i++) {
      const env: Record<string, string> = {};
      for (let k = 1 + Math.floor(random() * 6); k > 0; k--) {
        const name = names[Math.floor(random() * names.length)]!;
        const values = valuesFor(name).filter((v) => v !== '');
        // Mostly each variable's own values, so that many environments are valid.
        env[name] = random() < 0.8 ? values[Math.floor(random() * Math.min(values.length, 12))]! : values[Math.floor(random() * values.length)]!;
      }
      if (expectSameAsZod(env)) accepted++;
    }
    expect(accepted).toBeGreaterThan(100);
  });

  it('takes the environments gmp is run with, without zod', () => {
    const environments: Record<string, string>[] = [
      {},
      { GMP_HOME: '/tmp/gmp-home' },
      {
        RAWG_API_KEY: 'k3y',
        RAWG_BASE_URL: 'http://sandbox:8081/api',
        RAWG_REQUESTS_PER_SECOND: '2.5',
        RAWG_CONCURRENCY: '8',
        GMP_HOME: '/data',
        GMP_LAKE_URL: 's3://gmp-lake/prod',
        GMP_STATE_URL: 'postgres://gmp:secret@db:5432/gmp',
        GMP_WAREHOUSE_URL: 'snowflake://xy12345.eu-west-1/GAME_MARKET?warehouse=TRANSFORMING&role=GMP_ROLE',
        SNOWFLAKE_USER: 'gmp_svc',
        SNOWFLAKE_PASSWORD: ' pass word ',
        SNOWFLAKE_STORAGE_AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/gmp-snowflake',
        AWS_ENDPOINT_URL_S3: 'http://minio:9000',
        AWS_REGION: 'eu-west-1',
        AWS_S3_FORCE_PATH_STYLE: 'true',
        GMP_HOT_URL: 'redis://cache:6379/0',
        GMP_LOG_LEVEL: 'debug',
        OPENLINEAGE_URL: 'https://marquez.example.com',
      },
    ];
    for (const env of environments) expect(expectSameAsZod(env), JSON.stringify(env)).toBe(true);
  });
});
