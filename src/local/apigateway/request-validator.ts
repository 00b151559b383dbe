import type { ValidateFunction } from 'ajv'
import AjvDraft04 from 'ajv-draft-04'

// A CommonJS module: under Node's ESM interop the class is the module's `default` export's `default`.
const Ajv = AjvDraft04.default

/** API Gateway's request body validation: the route's draft-04 model, compiled once per schema. */
export class RequestValidator {
  readonly #ajv = new Ajv({ allErrors: false, strict: false })
  readonly #compiled = new WeakMap<object, ValidateFunction>()

  /** True when `body` (the raw request body) is JSON that the schema accepts. */
  validBody(schema: object, body: string | undefined): boolean {
    if (body === undefined || body.length === 0) return false
    let parsed: unknown
    try {
      parsed = JSON.parse(body)
    } catch {
      return false
    }
    let validate = this.#compiled.get(schema)
    if (validate === undefined) {
      validate = this.#ajv.compile(schema)
      this.#compiled.set(schema, validate)
    }
    return validate(parsed) === true
  }
}
