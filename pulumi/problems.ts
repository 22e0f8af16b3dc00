/** Invalid input, with every problem found (not just the first), for stack configuration and component arguments alike. */
export class InvalidInputError extends Error {
  constructor(
    /** What was invalid: "stack configuration", "ImageBucket arguments". */
    readonly subject: string,
    readonly problems: string[],
  ) {
    super(`Invalid ${subject}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidInputError';
  }
}
