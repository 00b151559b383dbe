import { cors, corsAllowedHeaders, corsAllowedMethods, corsAllowedOrigin } from '../cors.ts'
import type { CfnResources } from './types.ts'

/** API Gateway wants static header values as quoted literals: `'value'`. */
const literal = (value: string) => `'${value}'`

/**
 * Errors API Gateway answers without calling a function (authorizer 401/403, validator 400,
 * throttling, integration 5xx) carry no CORS headers by default, so a browser hides them behind a
 * CORS error. These add the same headers as `infra/cors.ts`.
 */
const gatewayResponse = (responseType: 'DEFAULT_4XX' | 'DEFAULT_5XX') => ({
  Type: 'AWS::ApiGateway::GatewayResponse',
  Properties: {
    RestApiId: { Ref: 'ApiGatewayRestApi' },
    ResponseType: responseType,
    ResponseParameters: {
      'gatewayresponse.header.Access-Control-Allow-Origin': literal(corsAllowedOrigin),
      'gatewayresponse.header.Access-Control-Allow-Headers': literal(corsAllowedHeaders.join(',')),
      'gatewayresponse.header.Access-Control-Allow-Methods': literal(corsAllowedMethods.join(',')),
      'gatewayresponse.header.Access-Control-Allow-Credentials': literal(String(cors.allowCredentials)),
    },
  },
})

export const gatewayResponses: CfnResources = {
  GatewayResponseDefault4XX: gatewayResponse('DEFAULT_4XX'),
  GatewayResponseDefault5XX: gatewayResponse('DEFAULT_5XX'),
}
