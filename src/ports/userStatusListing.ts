/** The statuses the admin listing covers: the ones the sparse status index (GSI2) holds. */
export type ListedStatus = "suspended" | "deleted";

/** One account of the admin listing (GET /admin/users?status=): what the status index projects. */
export interface ListedUser {
  userId: string;
  email: string;
  status: ListedStatus;
  updatedAt: string;
  /** Deleted accounts only: when the purge erases them. */
  purgeAt?: string;
}

/** Where a page of the listing ends: the index's sort key (updatedAt or purgeAt) and the userId. */
export interface ListingPosition {
  sortKey: string;
  userId: string;
}

/** The accounts of one status, newest first (suspended: by updatedAt; deleted: by purgeAt). */
export interface UserStatusListing {
  page(status: ListedStatus, options: { limit: number; after?: ListingPosition }): Promise<{ items: ListedUser[]; next?: ListingPosition }>;
}
