/** Who a verified bearer token speaks for. */
export interface VerifiedCaller {
  userId: string
}

/** Checks a bearer token; throws when it is not valid for this API. */
export interface TokenVerifier {
  verify(token: string): Promise<VerifiedCaller>
}
