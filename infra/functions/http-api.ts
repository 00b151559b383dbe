import { cors } from '../cors.ts'
import { httpApiRoleLogicalIds } from '../resources/http-api-roles.ts'
import { createGroupRequestSchema } from '../schemas/create-group-request.ts'
import { createImageRequestSchema } from '../schemas/create-image-request.ts'
import { tokenAuthorizer } from './authorizer.ts'
import type { FunctionDefinition, Functions } from './types.ts'

type Route = {
  method: 'GET' | 'POST' | 'DELETE'
  path: string
  /** Requires a bearer token, checked by the TOKEN authorizer before the function runs. */
  authorized?: boolean
  /** JSON Schema (draft-04) API Gateway checks the `application/json` body against. */
  bodySchema?: Record<string, unknown>
}

const httpFunction = (handler: string, route: Route): FunctionDefinition => ({
  handler,
  events: [
    {
      http: {
        method: route.method,
        path: route.path,
        cors,
        ...(route.authorized && { authorizer: tokenAuthorizer }),
        ...(route.bodySchema && { request: { schemas: { 'application/json': route.bodySchema } } }),
      },
    },
  ],
})

export const httpApiFunctions: Functions = {
  GetGroups: {
    ...httpFunction('src/handlers/http/groups/get-groups.handler', { method: 'GET', path: 'groups' }),
    role: httpApiRoleLogicalIds.GetGroups,
  },
  CreateGroup: {
    ...httpFunction('src/handlers/http/groups/create-group.handler', {
      method: 'POST',
      path: 'groups',
      authorized: true,
      bodySchema: createGroupRequestSchema,
    }),
    role: httpApiRoleLogicalIds.CreateGroup,
  },
  GetGroup: {
    ...httpFunction('src/handlers/http/groups/get-group.handler', {
      method: 'GET',
      path: 'groups/{groupId}',
    }),
    role: httpApiRoleLogicalIds.GetGroup,
  },
  DeleteGroup: {
    ...httpFunction('src/handlers/http/groups/delete-group.handler', {
      method: 'DELETE',
      path: 'groups/{groupId}',
      authorized: true,
    }),
    role: httpApiRoleLogicalIds.DeleteGroup,
  },
  GetGroupImages: {
    ...httpFunction('src/handlers/http/images/get-group-images.handler', {
      method: 'GET',
      path: 'groups/{groupId}/images',
    }),
    role: httpApiRoleLogicalIds.GetGroupImages,
  },
  CreateImage: {
    ...httpFunction('src/handlers/http/images/create-image.handler', {
      method: 'POST',
      path: 'groups/{groupId}/images',
      authorized: true,
      bodySchema: createImageRequestSchema,
    }),
    role: httpApiRoleLogicalIds.CreateImage,
  },
  GetImage: {
    ...httpFunction('src/handlers/http/images/get-image.handler', {
      method: 'GET',
      path: 'images/{imageId}',
    }),
    role: httpApiRoleLogicalIds.GetImage,
  },
  DeleteImage: {
    ...httpFunction('src/handlers/http/images/delete-image.handler', {
      method: 'DELETE',
      path: 'images/{imageId}',
      authorized: true,
    }),
    role: httpApiRoleLogicalIds.DeleteImage,
  },
}
