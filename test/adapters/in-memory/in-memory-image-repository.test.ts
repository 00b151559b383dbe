import { describe } from 'node:test'
import { InMemoryImageRepository } from '#adapters/in-memory/in-memory-image-repository.ts'
import { imageRepositoryContract } from '#test/contracts/image-repository.contract.ts'

describe('InMemoryImageRepository', () => {
  imageRepositoryContract(() => new InMemoryImageRepository())
})
