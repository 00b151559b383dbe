import { defaultProvider } from '@aws-sdk/credential-provider-node'
import { Client } from '@opensearch-project/opensearch'
import { AwsSigv4Signer, type AwsSigv4SignerOptions } from '@opensearch-project/opensearch/aws'

export interface SignedOpenSearchClientOptions {
  /** The domain endpoint, `https://search-…es.amazonaws.com`. */
  node: string
  region: string
  /** Where credentials come from; the default chain (in Lambda: the function's role) unless told. */
  getCredentials?: AwsSigv4SignerOptions['getCredentials']
}

/**
 * An OpenSearch client whose requests are signed with SigV4 for Amazon OpenSearch Service (`es`), as
 * the domain's access policy requires. Build it once per cold start: the signer caches the
 * credentials and renews them shortly before they expire.
 */
export function createSignedOpenSearchClient(options: SignedOpenSearchClientOptions): Client {
  const getCredentials = options.getCredentials ?? defaultProvider()
  return new Client({
    ...AwsSigv4Signer({ region: options.region, service: 'es', getCredentials }),
    node: options.node,
  })
}
