import { describe, expect, it } from 'vitest';
import { emailKey, parseEmail } from '../../src/domain/email-key.js';

describe('emailKey: the same mailbox gives the same key', () => {
  const same: Array<[string, string]> = [
    ['Jane.Doe+letters@GoogleMail.com', 'janedoe@gmail.com'],
    ['jane.doe@gmail.com', 'janedoe@gmail.com'],
    ['J.A.N.E.D.O.E@gmail.com', 'janedoe@gmail.com'],
    ['janedoe@googlemail.com', 'janedoe@gmail.com'],
    ['  janedoe@gmail.com  ', 'janedoe@gmail.com'],
    ['JaneDoe@Example.ORG', 'janedoe@example.org'],
    ['jane+news@example.org', 'jane@example.org'],
    ['jane+a+b@example.org', 'jane@example.org'],
    ['x@BÜCHER.example', 'x@xn--bcher-kva.example'],
    ['x@bücher.example', 'x@xn--bcher-kva.example'],
    ['x@xn--bcher-kva.example', 'x@xn--bcher-kva.example'],
    ['a.b+c@gmail.com', 'ab@gmail.com'],
    ['someone@münchen.de', 'someone@xn--mnchen-3ya.de'],
    ['MAIL@EXAMPLE.CO.UK', 'mail@example.co.uk'],
    ['first.last@sub.example.com', 'first.last@sub.example.com'],
  ];
  it.each(same)('%s → %s', (input, key) => {
    expect(emailKey(input)).toBe(key);
  });
});

describe('emailKey: different mailboxes stay different', () => {
  const different: Array<[string, string]> = [
    ['a.b@example.org', 'ab@example.org'],
    ['jane@example.org', 'jane@example.com'],
    ['jane@gmail.com', 'jane@gmail.co'],
    ['jane.doe@outlook.com', 'janedoe@outlook.com'],
    ['x@bucher.example', 'x@bücher.example'],
  ];
  it.each(different)('%s ≢ %s', (a, b) => {
    expect(emailKey(a)).not.toBe(emailKey(b));
  });
});

describe('parseEmail rejects what is not an address', () => {
  const invalid = [
    '',
    'plainaddress',
    '@example.org',
    'jane@',
    'jane@localhost',
    'jane@@example.org',
    'jane doe@example.org',
    '.jane@example.org',
    'jane.@example.org',
    'ja..ne@example.org',
    'jane@-example.org',
    'jane@example..org',
    'jane@example.o',
    '<script>@example.org',
    `${'a'.repeat(65)}@example.org`,
    `jane@${'a'.repeat(250)}.org`,
    'jane@exa mple.org',
    'jane@example.org\u0000',
  ];
  it.each(invalid)('%j', (input) => {
    expect(parseEmail(input)).toBeNull();
  });

  it('keeps the address as typed for sending', () => {
    expect(parseEmail('  Jane.Doe+x@GoogleMail.com ')?.address).toBe('Jane.Doe+x@GoogleMail.com');
  });
});
