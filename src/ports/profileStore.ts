/** Persistence of profiles and account status (filled in with the profile use cases). */
export interface ProfileStore {
  readonly _placeholder?: never;
}
