/**
 * The profile's entity tag, kept at the edge: the handler turns `If-Match` into the versions it
 * accepts and puts the ETag on the answer, so the use case compares version numbers only.
 */

/** Strong ETag derived from the version: a new version always means a new ETag. */
export function profileETag(profile: { version: number }): string {
  return `"v${profile.version}"`;
}

const OUR_TAG = /^"v(\d+)"$/;

/**
 * RFC 9110 If-Match as the versions a write may start from: none sent, or `*` among the tags,
 * is `undefined` (no condition); otherwise the versions our tags name, weak ones by their opaque
 * part. A list of tags that are none of ours is `[]`, which no version satisfies (412).
 */
export function expectedVersionsOf(ifMatch: string | undefined): number[] | undefined {
  if (ifMatch === undefined) return undefined;
  const tags = ifMatch.split(",").map((tag) => tag.trim().replace(/^W\//, ""));
  if (tags.includes("*")) return undefined;
  return tags.flatMap((tag) => {
    const version = OUR_TAG.exec(tag)?.[1];
    return version === undefined ? [] : [Number(version)];
  });
}
