import type { JobQueue } from "../src/ports/jobQueue.js";

/**
 * The sign-up retry queue on one machine (no SQS locally): jobs are kept and logged so a failed
 * profile write is visible; `drain` hands them to whoever replays them.
 */
export class MemoryJobQueue<T extends object> implements JobQueue<T> {
  private readonly jobs: T[] = [];

  constructor(private readonly name: string) {}

  async enqueue(message: T): Promise<void> {
    this.jobs.push(message);
    process.stdout.write(`${JSON.stringify({ level: "WARN", message: "Job queued", queue: this.name, job: message })}\n`);
  }

  drain(): T[] {
    return this.jobs.splice(0, this.jobs.length);
  }
}
