// Example answers for the docs page. Typed by the API's own DTOs (and checked against the zod
// schemas in a test), so the examples people copy cannot drift from what the API sends.
import type { LetterCountDto, LetterDetailDto, LetterSummaryDto, PublicSignatureDto, TimeseriesDto } from './schemas.js';

export interface DocsExamples {
  letters: { data: LetterSummaryDto[]; next_cursor: string | null };
  letter: LetterDetailDto;
  count: LetterCountDto;
  signatures: { data: PublicSignatureDto[]; next_cursor: string | null };
  timeseries: TimeseriesDto;
  error: { error: { code: string; message: string } };
}

export function docsExamples(base: string, slug: string, verifierKey: string): DocsExamples {
  const url = `${base}/letters/${slug}`;
  const updated = '2026-06-02T09:41:12.345Z';
  return {
    letters: {
      data: [
        {
          slug,
          title: 'Fair pay for session musicians',
          status: 'published',
          signature_count: 12873,
          goal: 20000,
          url,
          published_at: '2026-05-28T08:00:00.000Z',
          closes_at: '2026-07-01T00:00:00.000Z',
          updated_at: updated,
        },
      ],
      next_cursor: 'bGV0dGVyc3wxNzc5OTU1MjAwMDAwfDQ.Vr3c2Yk0xQJ9nL1a',
    },
    letter: {
      slug,
      title: 'Fair pay for session musicians',
      summary: 'Session musicians ask the labels for a minimum rate and royalties on streams.',
      addressee: 'The record labels',
      status: 'published',
      collective: { slug: 'session-players', name: 'Session Players United' },
      signature_count: 12873,
      goal: 20000,
      published_at: '2026-05-28T08:00:00.000Z',
      closes_at: '2026-07-01T00:00:00.000Z',
      updated_at: updated,
      url,
      notable_signatories: [
        { name: 'Ada Bright', description: 'Composer', verified: true },
        { name: 'Sam Okafor', description: 'Producer', verified: false },
      ],
      signatures_by_country: { GB: 8421, IE: 1302, US: 977 },
      log: {
        origin: `${new URL(base).host}/letters/${slug}`,
        verifier_key: verifierKey,
        checkpoint_url: `${url}/log/checkpoint`,
        size: 13410,
      },
    },
    count: { slug, signature_count: 12873, updated_at: updated, checkpoint: { size: 13410, count: 12871 } },
    signatures: {
      data: [
        {
          name: 'Maria Lopez',
          title: 'Cellist',
          organisation: 'City Chamber Orchestra',
          country: 'ES',
          signed_at: '2026-06-02T09:41:12.345Z',
          log: { sig: 'Xq3Bf0hT2kVn8sLw5yPe1A', salt: 'k4Qz1m8Vx2Tn7Rb0Lc5Hyw==' },
        },
        {
          name: 'Tom Reed',
          title: null,
          organisation: null,
          country: 'GB',
          signed_at: '2026-06-02T09:40:58.102Z',
          log: { sig: 'b7Yw2Nq9Dk1Fs6Jh0Ta4Ug', salt: 'P0sL9xQ2vB7nW4kT1mZ8cA==' },
        },
      ],
      next_cursor: 'c2lnbmF0dXJlc3w0fDE3ODA0MDMyNTgxMDJ8OTkx.2f1QmXk7r0aTzW4c',
    },
    timeseries: {
      slug,
      interval: 'day',
      signature_count: 12873,
      updated_at: updated,
      buckets: [
        { start: '2026-05-28T00:00:00.000Z', count: 9120, cumulative: 9120 },
        { start: '2026-05-29T00:00:00.000Z', count: 2011, cumulative: 11131 },
        { start: '2026-06-02T00:00:00.000Z', count: 1742, cumulative: 12873 },
      ],
    },
    error: { error: { code: 'not_found', message: 'There is no open letter at this address.' } },
  };
}
