export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'

export const S3_XML_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/'

const XML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => XML_ENTITIES[character] ?? character)
}

/** `<name>text</name>` with the text escaped; nothing when the text is undefined. */
export function xmlElement(name: string, text: string | number | boolean | undefined): string {
  return text === undefined ? '' : `<${name}>${escapeXml(String(text))}</${name}>`
}
