// No imports: the CDK construct reads it too, and the published package ships only what the construct loads.
/** The header CloudFront adds to every request it sends the API (the origin's custom header). */
export const ORIGIN_HEADER = 'x-origin-verify';
