import { type GroupUseCases, groupUseCases } from '#core/groups/group-use-cases.ts'
import { clock, groups, ids, images } from './common.ts'

export { cors } from './common.ts'
export const groupApi: GroupUseCases = groupUseCases({ groups, images, clock, ids })
