/** The SNS error codes the local SNS answers with, named as SNS names them. */
export type SnsErrorCode = 'NotFound' | 'InvalidParameter'

export class SnsError extends Error {
  readonly code: SnsErrorCode

  constructor(code: SnsErrorCode, message: string) {
    super(message)
    this.name = 'SnsError'
    this.code = code
  }
}
