import { type GroupUseCases, groupUseCases } from '#core/groups/group-use-cases.ts'
import { clock, groups, ids } from './common.ts'

export { cors } from './common.ts'
export const groupApi: GroupUseCases = groupUseCases({ groups, clock, ids })
