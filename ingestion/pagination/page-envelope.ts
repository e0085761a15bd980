import { z } from 'zod';

/** RAWG's list envelope (Django REST Framework page-number pagination). Extra keys are kept. */
export const PAGE_ENVELOPE = z.looseObject({
  count: z.number().int().nonnegative(),
  next: z.string().nullable(),
  previous: z.string().nullable().optional(),
  results: z.array(z.unknown()),
});

export type PageEnvelope = z.infer<typeof PAGE_ENVELOPE>;

/** Throws a readable error when `body` is not a list envelope (used as the client's validator). */
export function assertPageEnvelope(body: unknown): void {
  const parsed = PAGE_ENVELOPE.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`not a list page (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'})`);
  }
}
