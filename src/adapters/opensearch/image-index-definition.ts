import type { API } from '@opensearch-project/opensearch'
import { WORD_SEPARATOR_PATTERN } from '#core/search/search-text.ts'

/** The fields searched, with the MiniSearch adapter's boosts (see FIELD_BOOSTS there for why). */
export const SEARCHED_FIELDS = ['title^3', 'groupName^2', 'description']

/** The analyzer of every searched field: the tokenizing and normalization of search-text.ts. */
const TEXT = { type: 'text', analyzer: 'udagram_text' } as const

/**
 * The images index, created by the adapter when missing.
 *   - One shard: term statistics (and so scores) are then exact rather than per shard, and an image
 *     catalogue stays far below the ~50 GB where a second shard starts to pay.
 *   - `gc_deletes` 1 h instead of 60 s: how long a deletion's version is remembered, i.e. how late an
 *     older write of a deleted image may arrive and still be refused (a redelivered stream batch).
 *   - `dynamic: strict`: a document with a field the mapping does not know fails loudly instead of
 *     growing the mapping.
 *   - `image` is the image as the API returns it: kept in `_source`, not indexed.
 */
export const IMAGE_INDEX_DEFINITION = {
  settings: {
    index: { number_of_shards: 1, gc_deletes: '1h' },
    analysis: {
      tokenizer: { udagram_words: { type: 'pattern', pattern: WORD_SEPARATOR_PATTERN } },
      filter: { udagram_english_stop: { type: 'stop', stopwords: '_english_' } },
      analyzer: {
        udagram_text: {
          type: 'custom',
          tokenizer: 'udagram_words',
          filter: ['lowercase', 'asciifolding', 'udagram_english_stop'],
        },
      },
    },
  },
  mappings: {
    dynamic: 'strict',
    properties: {
      imageId: { type: 'keyword' },
      groupId: { type: 'keyword' },
      title: TEXT,
      groupName: TEXT,
      description: TEXT,
      image: { type: 'object', enabled: false },
    },
  },
} satisfies API.Indices_Create_RequestBody
