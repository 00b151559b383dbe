import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { routeSelector } from '#local/apigateway/websocket/route-selection.ts'
import { WebSocketRouteTable, websocketRoutesFrom } from '#local/apigateway/websocket/websocket-routes.ts'
import type { LocalFunctionDefinition } from '#local/serverless/service-definition.ts'

function definition(
  name: string,
  events: LocalFunctionDefinition['events'] = [],
): [string, LocalFunctionDefinition] {
  return [
    name,
    {
      name,
      modulePath: '/nowhere.ts',
      exportName: 'handler',
      environment: {},
      timeoutSeconds: 6,
      memorySize: 128,
      events,
    },
  ]
}

describe('websocket routes from serverless.ts', () => {
  it('reads the shorthand, route responses and the $connect authorizer', () => {
    const routes = websocketRoutesFrom(
      new Map([
        definition('Auth'),
        definition('Connect', [
          {
            websocket: {
              route: '$connect',
              authorizer: {
                name: 'Auth',
                identitySource: ['route.request.header.Authorization', 'route.request.querystring.token'],
              },
            },
          },
        ]),
        definition('Default', [{ websocket: '$default' }]),
        definition('Send', [{ websocket: { route: 'send', routeResponseSelectionExpression: '$default' } }]),
      ]),
    )
    assert.deepEqual(routes, [
      {
        routeKey: '$connect',
        functionName: 'Connect',
        returnsResponse: false,
        authorizer: {
          functionName: 'Auth',
          identitySources: [
            { kind: 'header', name: 'authorization' },
            { kind: 'querystring', name: 'token' },
          ],
        },
      },
      { routeKey: '$default', functionName: 'Default', returnsResponse: false, authorizer: undefined },
      { routeKey: 'send', functionName: 'Send', returnsResponse: true, authorizer: undefined },
    ])
  })

  it('takes the identity source osls defaults to when the authorizer names none', () => {
    const [connect] = websocketRoutesFrom(
      new Map([
        definition('Auth'),
        definition('Connect', [{ websocket: { route: '$connect', authorizer: 'Auth' } }]),
      ]),
    )
    assert.deepEqual(connect?.authorizer?.identitySources, [{ kind: 'header', name: 'auth' }])
  })

  it('refuses what API Gateway or the local cloud cannot serve', () => {
    const cases: [string, LocalFunctionDefinition['events']][] = [
      ['an authorizer off $connect', [{ websocket: { route: 'send', authorizer: 'Auth' } }]],
      ['an unknown authorizer', [{ websocket: { route: '$connect', authorizer: 'Missing' } }]],
      [
        'an unsupported identity source',
        [
          {
            websocket: {
              route: '$connect',
              authorizer: { name: 'Auth', identitySource: ['stageVariables.x'] },
            },
          },
        ],
      ],
      ['a route on two functions', [{ websocket: 'send' }, { websocket: 'send' }]],
    ]
    for (const [what, events] of cases) {
      assert.throws(
        () => websocketRoutesFrom(new Map([definition('Auth'), definition('Fn', events)])),
        Error,
        what,
      )
    }
  })

  it('sends a message to its custom route, else to $default, never to $connect or $disconnect', () => {
    const table = new WebSocketRouteTable(
      websocketRoutesFrom(
        new Map([
          definition('Connect', [{ websocket: '$connect' }]),
          definition('Default', [{ websocket: '$default' }]),
          definition('Send', [{ websocket: 'send' }]),
        ]),
      ),
    )
    assert.equal(table.forMessage('send')?.functionName, 'Send')
    assert.equal(table.forMessage('other')?.functionName, 'Default')
    assert.equal(table.forMessage('$connect')?.functionName, 'Default')
    assert.equal(table.forMessage(undefined)?.functionName, 'Default')
    assert.equal(new WebSocketRouteTable([]).forMessage('send'), undefined)
  })
})

describe('route selection expressions', () => {
  it('evaluates $request.body.<path> on JSON messages, in either spelling', () => {
    assert.equal(routeSelector()('{"action":"send"}'), 'send')
    // biome-ignore lint/suspicious/noTemplateCurlyInString: API Gateway's own ${...} spelling, not a template
    assert.equal(routeSelector('${request.body.action}')('{"action":"send"}'), 'send')
    assert.equal(routeSelector('$request.body.meta.type')('{"meta":{"type":"ping"}}'), 'ping')
  })

  it('selects nothing for text that is not JSON, a missing path or a value that is not a string', () => {
    const select = routeSelector('$request.body.action')
    for (const message of ['not json', '{}', '{"action":1}', '{"action":null}', '[]', '"action"']) {
      assert.equal(select(message), undefined, message)
    }
  })

  it('refuses expressions WebSocket APIs do not support', () => {
    for (const expression of ['$request.header.x', 'action', '${request.body.action', '$request.body.']) {
      assert.throws(() => routeSelector(expression), /not supported/, expression)
    }
  })
})
