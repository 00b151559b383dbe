/**
 * The one CORS definition of the REST API. The http events' preflight (OPTIONS) methods and the
 * gateway responses (errors API Gateway answers itself: 401/403 from the authorizer, 400 from the
 * request validator) are both built from it, so a browser sees the same headers on every answer.
 */

export type HttpCors = {
  origin: string
  headers: string[]
  allowCredentials: boolean
}

export const corsAllowedOrigin = '*'

export const corsAllowedHeaders: readonly string[] = [
  'Content-Type',
  'Authorization',
  'X-Amz-Date',
  'X-Api-Key',
  'X-Amz-Security-Token',
  'X-Amz-User-Agent',
]

/**
 * The methods the API serves, for the gateway responses, which are not tied to a path; osls derives
 * each path's preflight methods from its http events itself.
 */
export const corsAllowedMethods: readonly string[] = ['OPTIONS', 'GET', 'POST', 'DELETE']

export const cors: HttpCors = {
  origin: corsAllowedOrigin,
  headers: [...corsAllowedHeaders],
  allowCredentials: true,
}
