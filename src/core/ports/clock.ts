/** The time source of the domain; tests freeze it. */
export interface Clock {
  now(): Date
}
