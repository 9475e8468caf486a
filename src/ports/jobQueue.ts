/** A queue of background jobs (SQS in AWS). Only the sign-up retry uses it today. */
export interface JobQueue<T = Record<string, unknown>> {
  enqueue(message: T): Promise<void>;
}

/** A sign-up whose profile could not be written in the trigger; the retry processor replays it. */
export interface SignUpJob {
  userId: string;
  email: string;
  correlationId: string;
  /** The pool's username (the trigger's userName), whose pending sign-up marker the write removes. */
  username?: string;
}
