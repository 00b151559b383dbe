import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { loadChaosConfig } from '#config/chaos-config.ts'

describe("the chaos monkey's configuration", () => {
  it('defaults to dry-run and the chaos-monkey=opt-in tag', () => {
    assert.deepEqual(loadChaosConfig({ CHAOS_FLEET: 'ec2', AWS_REGION: 'eu-west-1' }), {
      mode: 'dry-run',
      tagKey: 'chaos-monkey',
      tagValue: 'opt-in',
      fleet: 'ec2',
      region: 'eu-west-1',
      ec2Endpoint: undefined,
    })
  })

  it('reads the mode, the tag and the local fleet file', () => {
    assert.deepEqual(
      loadChaosConfig({
        CHAOS_FLEET: 'local',
        CHAOS_FLEET_FILE: '/data/chaos-fleet.json',
        CHAOS_MODE: 'terminate',
        CHAOS_TAG_KEY: 'team:chaos',
        CHAOS_TAG_VALUE: 'yes',
      }),
      {
        mode: 'terminate',
        tagKey: 'team:chaos',
        tagValue: 'yes',
        fleet: 'local',
        fleetFile: '/data/chaos-fleet.json',
      },
    )
  })

  it('names every problem at once', () => {
    assert.throws(() => loadChaosConfig({ CHAOS_FLEET: 'gcp', CHAOS_MODE: 'chaos' }), {
      message:
        'Invalid chaos monkey configuration: CHAOS_MODE must be one of dry-run, terminate, got "chaos"; ' +
        'CHAOS_FLEET must be one of ec2, local, got "gcp"; AWS_REGION is required',
    })
    assert.throws(() => loadChaosConfig({ CHAOS_FLEET: 'local' }), /CHAOS_FLEET_FILE is required/)
    assert.throws(
      () => loadChaosConfig({ CHAOS_FLEET: 'ec2', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_EC2: 'nope' }),
      /AWS_ENDPOINT_URL_EC2 must be a URL/,
    )
  })
})
