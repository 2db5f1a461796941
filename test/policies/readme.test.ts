import * as fs from 'fs';
import * as path from 'path';
import { AWS_RULES, KUBERNETES_RULES } from '../../policies/index';

test('README.md lists every rule with its level', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  for (const rule of [...KUBERNETES_RULES, ...AWS_RULES]) {
    expect(readme).toMatch(new RegExp(`^\\| \`${rule.name}\` \\| [A-Za-z]+ \\| ${rule.enforcementLevel} \\|`, 'm'));
  }
});
