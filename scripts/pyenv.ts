import { parseCommand, runCli } from './cli';

const COMMAND = {
  name: 'npm run pyenv',
  summary:
    'Creates .local/venv with every Python package pinned in config/versions.ts (a no-op when the pins have not changed).',
  flags: {},
} as const;
import { ensurePythonEnv, ToolInstallError } from './toolchain/local-tools';

// `npm run pyenv`: the project's Python environment at .local/venv, with every package pinned in config/versions.ts.
runCli(() => {
  if (!parseCommand(COMMAND)) return;
  try {
    const python = ensurePythonEnv((line) => process.stdout.write(`pyenv: ${line}\n`));
    process.stdout.write(`pyenv: ready (${python})\n`);
  } catch (error) {
    if (!(error instanceof ToolInstallError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = 1;
  }
});
