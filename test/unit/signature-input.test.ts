// The public fields a signer sends are committed to in the letter's public log as JSON text:
// whatever the input, a field is either refused with a message or kept as text every JSON
// encoder writes alike (domain/log-entry.ts isPortableText).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPortableText } from '../../src/domain/log-entry.js';
import { translatorFor } from '../../src/i18n/translator.js';
import { parseSignatureInput, translateFieldErrors } from '../../src/signatures/signature-input.js';

const base = { name: 'Ada Lovelace', email: 'ada@example.org', public: true };

describe('public fields and the log', () => {
  it.each([
    ['a lone surrogate in the name', { name: 'Ada \ud83c' }, 'name'],
    ['a C1 control in the title', { title: 'Composer\u0085' }, 'title'],
    ['NUL in the organisation', { organisation: 'Org\u0000' }, 'organisation'],
    ['DEL in the name', { name: 'Ada\u007f' }, 'name'],
  ])('refuses %s with a message for that field', (_, fields, field) => {
    const parsed = parseSignatureInput({ ...base, ...fields });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      // A message key, worded where it is shown.
      expect(parsed.errors[field as keyof typeof parsed.errors]).toBe('site.sign.error.characters');
      const worded = translateFieldErrors(parsed.errors, translatorFor('en'));
      expect(worded[field as keyof typeof worded]).toMatch(/characters we cannot accept/);
    }
  });

  it.each([
    ['a tab', 'Ada\tLovelace', 'Ada Lovelace'],
    ['a line separator', 'Ada\u2028Lovelace', 'Ada Lovelace'],
    ['decomposed accents (kept as NFC)', 'Zoe\u0308', 'Zoë'],
  ])('keeps %s as the spacing or form every encoder writes alike', (_, name, kept) => {
    const parsed = parseSignatureInput({ ...base, name });
    expect(parsed.ok && parsed.value.name).toBe(kept);
  });

  it('never keeps a public field that JSON encoders would write differently', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), (name, title) => {
        const parsed = parseSignatureInput({ ...base, name: `A${name}`, title, organisation: title });
        if (!parsed.ok) return true;
        const { value } = parsed;
        return [value.name, value.title ?? '', value.organisation ?? ''].every(isPortableText);
      }),
      { numRuns: 2000 },
    );
  });
});
