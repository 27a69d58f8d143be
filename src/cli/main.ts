/**
 * canrelax-analyze — entry point. Builds the named subcommand from its declaration (one file each, cli/command.ts) and maps
 * every error to its exit code here, in one place:
 *   0 ok · 2 the command line is wrong · 1 the data are wrong (or an internal error, reported as such).
 * Output is never cut short by process.exit(): `run` resolves to the exit code and the caller sets
 * process.exitCode. A closed output pipe (`| head`) ends quietly with 0.
 */
import { Command, CommanderError } from 'commander';
import { CliError, oneLine } from '../errors';
import { PipeClosed } from '../io/output';
import { processStdout } from '../io/stdout';
import { VERSION } from '../version';
import { buildCommand, type AnyCommandSpec } from './command';
import { flagName } from './flag-name';
import { Context, Io, makeContext } from './context';

/**
 * The subcommands, in the order of the help listing, each loaded by a dynamic import of its module: a run loads
 * the command it names and what that command imports (in the bundle a module reached only by import() is
 * initialised on its first import, scripts/build.mjs), the help listing loads them all.
 */
const COMMAND_MODULES = {
  score: async () => (await import('./score')).scoreCommand,
  validate: async () => (await import('./validate')).validateCommand,
  simulate: async () => (await import('./simulate')).simulateCommand,
  correlate: async () => (await import('./correlate')).correlateCommand,
  model: async () => (await import('./model')).modelCommand,
  mediate: async () => (await import('./mediate')).mediateCommand,
  measure: async () => (await import('./measure')).measureCommand,
  describe: async () => (await import('./describe')).describeCommand,
  power: async () => (await import('./power')).powerCommand,
  robustness: async () => (await import('./robustness')).robustnessCommand,
  report: async () => (await import('./report')).reportCommand,
  init: async () => (await import('./init')).initCommand,
} satisfies Record<string, () => Promise<AnyCommandSpec>>;

export type CommandName = keyof typeof COMMAND_MODULES;

/** The subcommands' names, in the order of the help listing. */
export const COMMAND_NAMES = Object.keys(COMMAND_MODULES) as CommandName[];

const isCommandName = (name: string | undefined): name is CommandName => name !== undefined && Object.hasOwn(COMMAND_MODULES, name);

/** One subcommand's declaration, its module loaded. */
export function loadCommand(name: CommandName): Promise<AnyCommandSpec> {
  return COMMAND_MODULES[name]();
}

/** Every subcommand's declaration, in the order of the help listing. */
export function loadCommands(): Promise<AnyCommandSpec[]> {
  return Promise.all(COMMAND_NAMES.map(loadCommand));
}

function processIo(): Io {
  return {
    // process.stdin and process.stderr each set up a stream when first touched (2–3 ms): only runs reading `-`
    // touch stdin, only runs with something to say touch stderr. stdout is written without a stream when it
    // is not a terminal (io/stdout.ts).
    get stdin() {
      return process.stdin;
    },
    stdout: processStdout(),
    get stderr() {
      return process.stderr;
    },
    env: process.env,
  };
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let context = makeContext(io, {});
  const program = new Command('canrelax-analyze')
    .description('Score, check and re-analyse CanRelax-style trial exports: partial correlations exact to R.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: () => undefined,
      outputError: () => undefined,
    });
  // A run names its command first: load and declare only that one (each declaration builds dozens of options).
  // Help, a mistyped command or none at all get every command, for the listing and the suggestions.
  const specs = isCommandName(argv[0]) ? [await loadCommand(argv[0])] : await loadCommands();
  for (const spec of specs) {
    program.addCommand(buildCommand(spec, (flags) => (context = makeContext(io, flags))));
  }
  program.commands.forEach((command) => command.exitOverride().configureOutput(program.configureOutput()));

  // No command is a wrong command line: the help goes to stderr (not into a pipe) and the exit is 2.
  if (argv.length === 0) {
    io.stderr.write(program.helpInformation());
    return 2;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    return report(error, argv, context);
  }
}

function report(error: unknown, argv: string[], context: Context): number {
  if (error instanceof PipeClosed) return 0;
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
      return 0;
    }
    const command = error.code === 'commander.unknownCommand' ? '' : (argv.find((a) => !a.startsWith('-')) ?? '');
    const what = error.message.replace(/^error: /, '').replace(/\n+/g, ' ').trim().replace(/\.$/, '');
    context.stderr.write(`canrelax-analyze: ${oneLine(what)}, see canrelax-analyze ${oneLine(command ? `${command} ` : '')}--help\n`);
    return 2;
  }
  if (error instanceof CliError) {
    context.stderr.write(`canrelax-analyze: ${oneLine(error.shown(flagName))}\n`);
    if (context.debug && error.stack) context.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  context.stderr.write(
    `canrelax-analyze: internal error (${oneLine(message.split('\n')[0])}), please report it with the command and --debug output\n`,
  );
  if (context.debug && error instanceof Error && error.stack) context.stderr.write(`${error.stack}\n`);
  return 1;
}

/** Used by bin/canrelax-analyze: never process.exit() after writing, so piped output is complete. */
export async function run(argv: string[]): Promise<void> {
  const io = processIo();
  // Writes outside Output (help, tables) may also hit a closed pipe: end quietly.
  io.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exitCode = process.exitCode ?? 0;
  });
  process.exitCode = await main(argv, io);
}
