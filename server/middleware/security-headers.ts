import type { MiddlewareHandler } from 'hono';

/**
 * Headers every answer carries: a Content-Security-Policy with no external origin (every script,
 * style and font is this server's), no framing, no MIME sniffing, no referrer to other sites.
 */
/** The one remote origin a page may load from, and only images: RAWG's CDN for game covers. */
export const REMOTE_IMAGES = 'https://media.rawg.io';

/** Whether this visitor turned remote cover images on. */
export function remoteImagesOn(cookieHeader: string | undefined): boolean {
  return /(?:^|;\s*)gmp_images=on(?:;|$)/.test(cookieHeader ?? '');
}

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    // Remote images only for a visitor who turned them on (the gmp_images cookie), and only RAWG's CDN.
    const images = remoteImagesOn(c.req.header('cookie')) ? ` ${REMOTE_IMAGES}` : '';
    c.header('Content-Security-Policy', `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:${images}; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'same-origin');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
  };
}
