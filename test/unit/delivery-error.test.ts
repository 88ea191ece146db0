import { describe, expect, it } from 'vitest';
import { DeliveryError, isRecipientRefusal } from '../../src/mail/delivery-error.js';

describe('a refusal of the recipient', () => {
  it.each([
    [550, 'RCPT TO', true],
    [551, 'RCPT TO', true],
    [554, 'DATA', true],
    [552, 'DATA', true],
    [450, 'RCPT TO', false],
    [421, 'DATA', false],
    [550, 'MAIL FROM', false],
    [535, 'AUTH PLAIN', false],
    [554, 'CONN', false],
    [undefined, 'CONN', false],
    [undefined, undefined, false],
  ])('%s at %s: %s', (code, command, refused) => {
    expect(isRecipientRefusal(new DeliveryError('refused', code, command))).toBe(refused);
  });

  it('is read from any error that carries the SMTP reply', () => {
    expect(isRecipientRefusal(Object.assign(new Error('x'), { responseCode: 550, command: 'RCPT TO' }))).toBe(true);
    expect(isRecipientRefusal(new Error('ECONNREFUSED'))).toBe(false);
    expect(isRecipientRefusal(null)).toBe(false);
  });
});
