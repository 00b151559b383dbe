import { describe } from 'node:test'
import { InMemoryGroupRepository } from '#adapters/in-memory/in-memory-group-repository.ts'
import { groupRepositoryContract } from '#test/contracts/group-repository.contract.ts'

describe('InMemoryGroupRepository', () => {
  groupRepositoryContract(() => new InMemoryGroupRepository())
})
