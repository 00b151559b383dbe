/** An error as the person should read it: the API's own message when it sent one. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null
  return (
    <p className="error" role="alert">
      {error instanceof Error ? error.message : String(error)}
    </p>
  )
}
