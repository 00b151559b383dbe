import { SnsError } from './sns-error.ts'

/** A message attribute as `PublishCommand` takes it. */
export interface SnsMessageAttributeValue {
  DataType: string
  StringValue?: string
  BinaryValue?: Uint8Array
}

export interface PublishInput {
  topicArn: string
  message: string
  subject?: string
  messageAttributes?: Record<string, SnsMessageAttributeValue>
}

/** A message attribute as SNS hands it to Lambda: binary values in base64. */
export interface SnsEnvelopeAttribute {
  Type: string
  Value: string
}

/** SNS's limit on a message, its attributes included. */
const MAX_MESSAGE_BYTES = 256 * 1024
const MAX_ATTRIBUTES = 10
const DATA_TYPE = /^(String|Number|Binary|String\.Array)(\.[\w.-]+)?$/
const ATTRIBUTE_NAME = /^[\w.-]{1,256}$/

/** Checks a publish request as SNS does, with SNS's error code, and returns its attributes as Lambda sees them. */
export function validatePublishInput(input: PublishInput): Record<string, SnsEnvelopeAttribute> {
  if (typeof input.message !== 'string' || input.message.length === 0) {
    throw new SnsError('InvalidParameter', 'Invalid parameter: Empty message')
  }
  if (input.subject !== undefined) validateSubject(input.subject)
  const entries = Object.entries(input.messageAttributes ?? {})
  if (entries.length > MAX_ATTRIBUTES) {
    throw new SnsError(
      'InvalidParameter',
      `Invalid parameter: more than ${MAX_ATTRIBUTES} message attributes`,
    )
  }
  let bytes = Buffer.byteLength(input.message)
  const attributes: Record<string, SnsEnvelopeAttribute> = {}
  for (const [name, attribute] of entries) {
    validateAttributeName(name)
    const value = attributeValue(name, attribute)
    bytes += Buffer.byteLength(name) + Buffer.byteLength(attribute.DataType) + Buffer.byteLength(value)
    attributes[name] = { Type: attribute.DataType, Value: value }
  }
  if (bytes > MAX_MESSAGE_BYTES) {
    throw new SnsError('InvalidParameter', 'Invalid parameter: Message too long')
  }
  return attributes
}

function validateSubject(subject: string): void {
  // SNS: ASCII, no line breaks or control characters, 1-100 characters.
  if (subject.length === 0 || subject.length > 100 || !/^[\x20-\x7e]+$/.test(subject)) {
    throw new SnsError('InvalidParameter', 'Invalid parameter: Subject')
  }
}

function validateAttributeName(name: string): void {
  const reserved = /^(aws|amazon)\./i.test(name)
  if (
    !ATTRIBUTE_NAME.test(name) ||
    name.startsWith('.') ||
    name.endsWith('.') ||
    name.includes('..') ||
    reserved
  ) {
    throw new SnsError('InvalidParameter', `Invalid parameter: message attribute name "${name}"`)
  }
}

function attributeValue(name: string, attribute: SnsMessageAttributeValue): string {
  const invalid = (why: string) =>
    new SnsError('InvalidParameter', `Invalid parameter: message attribute ${name} ${why}`)
  const type = DATA_TYPE.exec(attribute.DataType ?? '')?.[1]
  if (type === undefined) throw invalid(`has DataType ${JSON.stringify(attribute.DataType)}`)
  if (type === 'Binary') {
    if (!(attribute.BinaryValue instanceof Uint8Array)) throw invalid('must have a BinaryValue')
    return Buffer.from(attribute.BinaryValue).toString('base64')
  }
  const value = attribute.StringValue
  if (typeof value !== 'string' || value.length === 0) throw invalid('must have a non-empty StringValue')
  if (type === 'Number' && !Number.isFinite(Number(value))) throw invalid(`is not a number: "${value}"`)
  if (type === 'String.Array' && !isJsonArray(value)) throw invalid('must be a JSON array')
  return value
}

function isJsonArray(value: string): boolean {
  try {
    return Array.isArray(JSON.parse(value))
  } catch {
    return false
  }
}
