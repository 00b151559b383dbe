// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} are osls variables, resolved by osls and by the local cloud

/** Bucket names as the functions see them, so the buckets, their policies and the IAM statements agree. */
export const imagesBucketName = '${self:provider.environment.IMAGES_BUCKET}'
export const thumbnailsBucketName = '${self:provider.environment.THUMBNAILS_BUCKET}'
