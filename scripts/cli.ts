/** What the command-line scripts share: how a bad invocation and a failure end. */

/** A mistake in how the script was called: the message, then the usage, exit code 2. */
export class UsageError extends Error {}

/**
 * Runs `main` with the arguments and sets the exit code: its result; 2 with the usage for a
 * UsageError or an argument node:util's parseArgs refused; 1 with the message for anything else.
 */
export async function runCli(name: string, usage: string, main: (args: string[]) => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`${name}: ${(error as Error).message}\n${usage}`);
      process.exitCode = 2;
    } else {
      console.error(`${name}: ${(error as Error).message}`);
      process.exitCode = 1;
    }
  }
}
