import { runCli } from './cli';
import { ensurePythonEnv, ToolInstallError } from './toolchain/local-tools';

// `npm run pyenv`: the project's Python environment at .local/venv, with every package pinned in config/versions.ts.
runCli(() => {
  try {
    const python = ensurePythonEnv((line) => process.stdout.write(`pyenv: ${line}\n`));
    process.stdout.write(`pyenv: ready (${python})\n`);
  } catch (error) {
    if (!(error instanceof ToolInstallError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = 1;
  }
});
