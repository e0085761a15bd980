import { describe, expect, it } from 'vitest';
import { sanitizeDescription } from './game-profile.js';

describe('sanitizeDescription', () => {
  it('keeps text structure and http(s) links, and drops scripts, handlers, styles, frames and images', async () => {
    const out = await sanitizeDescription(
      `<h1>Title</h1><p>Hi <b>there</b><script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a>` +
        `<a href="https://www.rockstargames.com/V/" onclick="steal()">site</a><style>p{}</style><iframe src="https://e.example"></iframe></p>`,
    );
    expect(out).toBe('<h3>Title</h3><p>Hi <b>there</b><a rel="nofollow noopener noreferrer">x</a><a href="https://www.rockstargames.com/V/" rel="nofollow noopener noreferrer">site</a></p>');
  });
});
