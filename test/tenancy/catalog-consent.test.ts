import * as fs from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { environmentsDir, parseEnvironment } from '../../config';
import { WRITE_PRIVILEGES } from '../../jobs/polaris-provisioner/plan';
import { renderEnvironment } from '../../stacks/k8s';

// The owner's consent (#12's `grantWrite`), seen on the synthesized Polaris provisioning plan: the grant the
// provisioner makes exists exactly when the owner of the namespace consents.
describe("writing into another tenant's catalog namespace", () => {
  const file = path.join(environmentsDir(), 'dev.yaml');
  const withAccess = (access: unknown) => {
    const doc = parseDocument(fs.readFileSync(file, 'utf8'));
    doc.setIn(['services', 'polaris', 'catalogAccess'], access);
    return doc.toString();
  };
  const plan = (text: string) => {
    const objects = renderEnvironment(parseEnvironment(text, file)).flatMap((chart) => [...chart.objects]) as any[];
    const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'polaris-provisioner-plan');
    return JSON.parse(configMap.data['plan.json']);
  };

  test('without the owner consenting it is a configuration error naming both tenants', () => {
    const text = withAccess({ trading: { write: ['trading'] }, analytics: { write: ['analytics', 'trading'] } });
    expect(() => parseEnvironment(text, file)).toThrow(/tenant 'analytics'[\s\S]*belongs to tenant 'trading'/);
  });

  test("with the owner's grantWrite the synthesized plan grants the writer write privileges there, and only then", () => {
    const consented = plan(
      withAccess({
        trading: { write: ['trading'], grantWrite: { trading: ['analytics'] } },
        analytics: { write: ['analytics', 'trading'] },
      }),
    );
    const analytics = consented.tenants.find((t: any) => t.principal === 'analytics-spark');
    expect(analytics.grants).toContainEqual({ namespace: 'trading', privileges: WRITE_PRIVILEGES });
    const shipped = plan(fs.readFileSync(file, 'utf8')).tenants.find((t: any) => t.principal === 'analytics-spark');
    expect(shipped.grants).not.toContainEqual({ namespace: 'trading', privileges: WRITE_PRIVILEGES });
  });
});
