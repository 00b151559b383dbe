/**
 * The one error model of the domain. Every failure a caller can act on is a DomainError with a
 * stable `code`; the edge (HTTP, WebSocket, stream consumers) maps codes to its own answers.
 */
export type DomainErrorCode = 'INVALID_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN'

export class DomainError extends Error {
  readonly code: DomainErrorCode

  constructor(code: DomainErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
    this.code = code
  }
}

export class InvalidInputError extends DomainError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_INPUT', message, options)
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string) {
    super('NOT_FOUND', message)
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFLICT', message, options)
  }
}

/** The caller is known but may not do this, e.g. delete what another user created. */
export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super('FORBIDDEN', message)
  }
}
