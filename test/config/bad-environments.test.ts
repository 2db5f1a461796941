import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError, environmentNames, environmentsDir } from '../../config';
import { CHART_ORDER, renderEnvironments } from '../../stacks/k8s';
import { runScript } from '../helpers/run-script';
import { BAD_ENVIRONMENTS } from './bad-environments';

// Every case is a file of its own, named c001.yaml... in a folder outside the package, as a consumer would keep it.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-environments-'));
const cases = Object.entries(BAD_ENVIRONMENTS).map(([title, c], i) => {
  const name = `c${String(i + 1).padStart(3, '0')}`;
  const base = c.base ?? 'dev';
  const shipped = fs.readFileSync(path.join(environmentsDir(), `${base}.yaml`), 'utf8');
  const text = shipped.replace(`\nname: ${base}\n`, `\nname: ${name}\n`);
  const from = c.from === `name: ${base}` ? `name: ${name}` : c.from;
  if (!text.includes(from)) throw new Error(`${title}: ${JSON.stringify(from)} is not in ${base}.yaml`);
  const file = path.join(dir, `${name}.yaml`);
  fs.writeFileSync(file, text.replace(from, c.to));
  return { title, name, file, line: `${file}:${c.expected}` };
});

describe('a bad environment gets one line: file, line, key, the value as written, the expected form', () => {
  test.each(cases)('$title', ({ name, line }) => {
    let error: unknown;
    try {
      renderEnvironments([name], { dir });
    } catch (e) {
      error = e;
    }
    // A ConfigError is printed as its message: no stack trace.
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([line]);
  });

  test('npm run synth reports every problem of every file at once, without a stack trace, and writes nothing', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bad-synth-')), 'dist');
    const result = runScript('scripts/synth.ts', ['--out', out], { DATAPLANE_ENVIRONMENTS_DIR: dir });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^error: configuration: ${cases.length} problems\n`));
    for (const { line } of cases) expect(result.stderr).toContain(`\n  - ${line}\n`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('environments a consumer keeps', () => {
  const own = fs.mkdtempSync(path.join(os.tmpdir(), 'own-environments-'));
  const dev = fs.readFileSync(path.join(environmentsDir(), 'dev.yaml'), 'utf8');
  fs.writeFileSync(path.join(own, 'teamb.yaml'), dev.replace('\nname: dev\n', '\nname: teamb\n'));

  test('any <name>.yaml is an environment, not only dev, staging and prod', () => {
    expect(environmentNames({ dir: own })).toEqual(['teamb']);
    const [{ env, charts }] = renderEnvironments(['teamb'], { dir: own });
    expect(env.name).toBe('teamb');
    expect(charts.map((c) => c.name)).toEqual([...CHART_ORDER]);
    expect(charts.every((c) => c.objects.length > 0)).toBe(true);
  });

  test("a tenant writes another tenant's namespace once the owner consents", () => {
    const consent = dev
      .replace('\nname: dev\n', '\nname: consent\n')
      .replace('analytics: { read: [trading], write: [analytics] }', 'analytics: { write: [analytics, trading] }')
      .replace('trading: { write: [trading] }', 'trading: { write: [trading], grantWrite: { trading: [analytics] } }');
    fs.writeFileSync(path.join(own, 'consent.yaml'), consent);
    const [{ env }] = renderEnvironments(['consent'], { dir: own });
    expect(env.services?.polaris?.catalogAccess?.analytics.write).toEqual(['analytics', 'trading']);
  });
});
