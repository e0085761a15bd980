import type { z } from '@hono/zod-openapi';

/** A JSON response of a route's OpenAPI description: its schema and what it means. */
export const json = <S extends z.ZodType>(schema: S, description: string) => ({ content: { 'application/json': { schema } }, description });
