import { request } from 'node:http'

/**
 * A function shaped like a REST handler for the console's cost benchmark: one HTTP call (the SDK's
 * DynamoDB query), one JSON log line, and a response body the size of GET /groups' answer.
 */
export async function handler(event: { url: string; body: string }) {
  const status = await new Promise<number>((resolve, reject) => {
    request(event.url, (response) => {
      response.resume()
      response.on('end', () => resolve(response.statusCode ?? 0))
    })
      .on('error', reject)
      .end()
  })
  console.log(JSON.stringify({ level: 'INFO', message: 'listed groups', status, correlation_id: 'bench' }))
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: event.body }
}
