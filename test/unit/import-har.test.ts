// HAR recordings (Okta and Graph API exports saved from a browser): the responses a format reads, whether the body
// was stored as text or base64, with error pages and other hosts left out.
import { describe, expect, it } from 'vitest';
import { harResponses } from '../../shared/import/formats/common';

const entry = (url: string, text: string, encoding?: string) => ({
  request: { url },
  response: { content: { text, ...(encoding ? { encoding } : {}) } },
});

describe('harResponses', () => {
  it('reads JSON bodies as text and as base64, keeps only the wanted URLs, skips non-JSON bodies', () => {
    const har = {
      log: {
        entries: [
          entry('https://graph.microsoft.com/v1.0/users', '{"value":[{"id":"u1"}]}'),
          entry('https://graph.microsoft.com/v1.0/groups', Buffer.from('{"value":[{"id":"g1"}]}').toString('base64'), 'base64'),
          entry('https://graph.microsoft.com/v1.0/me', '<html>error</html>'),
          entry('https://example.com/v1.0/users', '{"value":[]}'),
        ],
      },
    };
    const found = harResponses(har, (url) => url.startsWith('https://graph.microsoft.com/'));
    expect(found).toEqual([
      { url: 'https://graph.microsoft.com/v1.0/users', body: { value: [{ id: 'u1' }] } },
      { url: 'https://graph.microsoft.com/v1.0/groups', body: { value: [{ id: 'g1' }] } },
    ]);
  });

  it('is null for JSON that is not a HAR, and empty for a HAR without wanted responses', () => {
    expect(harResponses({ value: [] }, () => true)).toBeNull();
    expect(harResponses({ log: { entries: [entry('https://x/', '{}')] } }, () => false)).toEqual([]);
  });
});
