import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One EC2 Query API request as it reached the wire: its form parameters. */
export type Ec2Request = Record<string, string>

/** A status and a recorded EC2 XML body: a file of test/fixtures/ec2. */
export interface Ec2Reply {
  status: number
  fixture: string
}

const fixtures = new URL('../../fixtures/ec2/', import.meta.url)

/**
 * A loopback server that answers, in order, the recorded EC2 responses it is given and keeps the
 * form parameters of every request (EC2's Query protocol: `Action=...&Filter.1.Name=...`). A request
 * beyond the script gets a 599, which fails the test that made it.
 */
export async function recordedEc2() {
  const requests: Ec2Request[] = []
  const script: Ec2Reply[] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', async () => {
      requests.push(Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))))
      const reply = script.shift()
      const body =
        reply === undefined
          ? '<Response>unexpected request</Response>'
          : await readFile(new URL(reply.fixture, fixtures))
      response.writeHead(reply?.status ?? 599, {
        'content-type': 'text/xml;charset=UTF-8',
        'content-length': Buffer.byteLength(body),
      })
      response.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    reply: (...replies: Ec2Reply[]) => script.push(...replies),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
