// Why a message was not delivered, as far as the sender can tell, and what that means for the
// address. SMTP answers with a code: 5xx is permanent, 4xx temporary. A permanent refusal of
// the recipient (at RCPT TO, or of the message at DATA) says the address does not take our mail;
// a 5xx anywhere else (the greeting, AUTH, MAIL FROM) is about our relay or our account, and
// says nothing about the address.

/** A failed send, with the server's reply code and the command it answered, when there was one. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly responseCode?: number,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

const RECIPIENT_COMMANDS = new Set(['RCPT TO', 'DATA']);

/** Whether the recipient's server refused this address for good: no retry, no more updates. */
export function isRecipientRefusal(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { responseCode, command } = error as { responseCode?: unknown; command?: unknown };
  return (
    typeof responseCode === 'number' &&
    responseCode >= 500 &&
    responseCode <= 599 &&
    typeof command === 'string' &&
    RECIPIENT_COMMANDS.has(command)
  );
}
