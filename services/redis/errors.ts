/**
 * No Redis can be found or started. Its message tells an operator what to do, so `main.ts` prints it
 * as is and exits; the stack is the message alone because it is a set-up problem, not a bug.
 */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}
