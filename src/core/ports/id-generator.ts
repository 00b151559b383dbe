/** Makes globally unique identifiers (UUID v4 in production). */
export interface IdGenerator {
  newId(): string
}
