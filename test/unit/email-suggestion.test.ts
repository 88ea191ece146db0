import { describe, expect, it } from 'vitest';
import { suggestEmail } from '../../src/domain/email-suggestion.js';

describe('suggestEmail: likely domain typos', () => {
  it.each([
    ['lena@gmial.com', 'lena@gmail.com'],
    ['lena@gmail.con', 'lena@gmail.com'],
    ['x@hotnail.com', 'x@hotmail.com'],
    ['x@outlok.com', 'x@outlook.com'],
    ['x@iclod.com', 'x@icloud.com'],
    // The mailbox is kept as typed: case, dots and quotes untouched.
    ['Lena.X@Gmial.com', 'Lena.X@gmail.com'],
    ['  lena@gmial.com ', 'lena@gmail.com'],
  ])('%s → %s', (typed, expected) => {
    expect(suggestEmail(typed)).toBe(expected);
  });

  it.each([
    'lena@gmail.com',
    'LENA@GMAIL.COM',
    'x@example.org',
    'x@web.de',
    'x@uni-bonn.de',
    'x@mycompany.co.uk',
    'x@proton.me',
    'not an address',
    '@gmial.com',
    'lena@',
    '',
  ])('leaves %s alone', (typed) => {
    expect(suggestEmail(typed)).toBeNull();
  });
});
