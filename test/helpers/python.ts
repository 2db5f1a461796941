import { ensurePythonEnv } from '../../scripts/toolchain/local-tools';

/** The project's venv interpreter (`npm run pyenv`), installed on first use so a fresh clone needs no extra step. */
export function pythonBin(): string {
  return ensurePythonEnv();
}
