import {
  ApiGatewayManagementApiClient,
  type ApiGatewayManagementApiClientConfig,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi'
import { type ClientTracer, captured } from '#adapters/aws/aws-clients.ts'
import type { ClientNotifier } from '#core/ports/client-notifier.ts'

export interface ManagementApiClientSettings {
  region: string
  /**
   * The WebSocket API stage's callback URL, `https://{api-id}.execute-api.{region}.amazonaws.com/{stage}`
   * (WEBSOCKET_MANAGEMENT_ENDPOINT), or the local cloud's. There is no default: each API and stage
   * has its own.
   */
  endpoint: string
  /** Defaults to the SDK's provider chain (on Lambda, the function's role). */
  credentials?: ApiGatewayManagementApiClientConfig['credentials']
  /** Traces every PostToConnection when given (see ClientTracer). */
  tracer?: ClientTracer | undefined
}

/**
 * Builds the API Gateway Management API client, once per cold start. It sits beside its adapter
 * instead of in `#adapters/aws/aws-clients.ts` only because that file was being changed by someone
 * else when this was written.
 */
export function createManagementApiClient(
  settings: ManagementApiClientSettings,
): ApiGatewayManagementApiClient {
  const client = new ApiGatewayManagementApiClient({
    region: settings.region,
    endpoint: settings.endpoint,
    ...(settings.credentials && { credentials: settings.credentials }),
  })
  return captured(client, settings.tracer)
}

/**
 * Pushes a message to a WebSocket client as one JSON text frame, through API Gateway's
 * `POST @connections/{connectionId}`. API Gateway answers 410 GoneException for a connection that has
 * closed, which is an expected outcome ('gone'), not a failure; anything else is thrown.
 */
export class ManagementApiClientNotifier implements ClientNotifier {
  readonly #client: ApiGatewayManagementApiClient

  constructor(client: ApiGatewayManagementApiClient) {
    this.#client = client
  }

  async send(connectionId: string, message: unknown): Promise<'sent' | 'gone'> {
    const json = JSON.stringify(message)
    if (json === undefined) throw new TypeError(`a ${typeof message} cannot be sent as JSON`)
    try {
      await this.#client.send(
        new PostToConnectionCommand({ ConnectionId: connectionId, Data: new TextEncoder().encode(json) }),
      )
      return 'sent'
    } catch (error) {
      if (error instanceof GoneException) return 'gone'
      throw error
    }
  }
}
