import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { EC2Client } from '@aws-sdk/client-ec2'
import { Ec2InstanceFleet } from '#adapters/ec2/ec2-instance-fleet.ts'
import { recordedEc2 } from './recorded-ec2.ts'

// The real SDK client against recorded EC2 responses on loopback, with made-up credentials.

const optInTag = { key: 'chaos-monkey', value: 'opt-in' }
const describeFilters = {
  'Filter.1.Name': 'tag:chaos-monkey',
  'Filter.1.Value.1': 'opt-in',
  'Filter.2.Name': 'instance-state-name',
  'Filter.2.Value.1': 'running',
}
const tagsOf = (name: string) => ({ Name: name, 'chaos-monkey': 'opt-in' })

let ec2: Awaited<ReturnType<typeof recordedEc2>>
let fleet: Ec2InstanceFleet

before(async () => {
  ec2 = await recordedEc2()
})
after(() => ec2.close())
beforeEach(() => {
  ec2.requests.length = 0
  fleet = new Ec2InstanceFleet(
    new EC2Client({
      region: 'us-east-1',
      endpoint: ec2.endpoint,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-real-secret' },
    }),
  )
})

describe('the EC2 instance fleet', () => {
  it('lists the running instances with the tag, every page, filtered by EC2', async () => {
    ec2.reply(
      { status: 200, fixture: 'describe-instances-page-1.xml' },
      { status: 200, fixture: 'describe-instances-page-2.xml' },
    )

    const instances = await fleet.listTaggedInstances(optInTag)

    assert.deepEqual(instances, [
      { instanceId: 'i-0a1b2c3d4e5f60701', state: 'running', tags: tagsOf('web-1') },
      { instanceId: 'i-0a1b2c3d4e5f60702', state: 'running', tags: tagsOf('web-2') },
      { instanceId: 'i-0b9c8d7e6f5a40703', state: 'running', tags: tagsOf('worker-1') },
      { instanceId: 'i-0c2d4e6f8a0b10704', state: 'running', tags: tagsOf('worker-2') },
    ])
    assert.deepEqual(ec2.requests, [
      { Action: 'DescribeInstances', Version: '2016-11-15', ...describeFilters, MaxResults: '1000' },
      {
        Action: 'DescribeInstances',
        Version: '2016-11-15',
        ...describeFilters,
        MaxResults: '1000',
        NextToken: 'eyJ2IjoiMiIsImMiOiJ3b3JrZXItcGFnZS0yIn0=',
      },
    ])
  })

  it('asks for the tag it is given', async () => {
    ec2.reply({ status: 200, fixture: 'describe-instances-empty.xml' })

    const instances = await fleet.listTaggedInstances({ key: 'team:chaos', value: 'yes please' })

    assert.deepEqual(instances, [])
    assert.equal(ec2.requests[0]?.['Filter.1.Name'], 'tag:team:chaos')
    assert.equal(ec2.requests[0]?.['Filter.1.Value.1'], 'yes please')
  })

  it('terminates one instance by id', async () => {
    ec2.reply({ status: 200, fixture: 'terminate-instances.xml' })

    await fleet.terminate('i-0a1b2c3d4e5f60702')

    assert.deepEqual(ec2.requests, [
      { Action: 'TerminateInstances', Version: '2016-11-15', 'InstanceId.1': 'i-0a1b2c3d4e5f60702' },
    ])
  })

  it("passes EC2's errors on, with EC2's message", async () => {
    ec2.reply(
      { status: 403, fixture: 'describe-unauthorized.xml' },
      { status: 403, fixture: 'terminate-unauthorized.xml' },
    )

    await assert.rejects(fleet.listTaggedInstances(optInTag), {
      name: 'UnauthorizedOperation',
      message: /not authorized to perform: ec2:DescribeInstances/,
    })
    await assert.rejects(fleet.terminate('i-0a1b2c3d4e5f60702'), {
      name: 'UnauthorizedOperation',
      message: /not authorized to perform: ec2:TerminateInstances/,
    })
  })
})
