// Domain errors. Services throw these; the one error handler in app.ts maps them to responses.

export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFound extends AppError {
  constructor(message = 'We could not find that page.') {
    super(404, 'not_found', message);
  }
}

export class BadRequest extends AppError {
  constructor(message: string, code = 'bad_request') {
    super(400, code, message);
  }
}

export class Forbidden extends AppError {
  constructor(message = 'You are not allowed to do that.', code = 'forbidden') {
    super(403, code, message);
  }
}

export class Conflict extends AppError {
  constructor(message: string, code = 'conflict') {
    super(409, code, message);
  }
}

export class LetterClosed extends AppError {
  constructor(message = 'This letter is no longer collecting signatures.') {
    super(409, 'letter_closed', message);
  }
}

export class ValidationFailed extends AppError {
  constructor(fields: Record<string, string>, message = 'Please check the highlighted fields.') {
    super(422, 'validation_failed', message, fields);
  }
}

export class RateLimited extends AppError {
  constructor(message = 'Too many attempts. Please wait a minute and try again.') {
    super(429, 'rate_limited', message);
  }
}
