import { MANIFEST_CHECKS, validateObjects, formatFinding } from '../../validation';
import { kubernetesPolicyCheck } from '../../validation/rules/kubernetes-policies';
import { SYNTHESIZED_LABEL } from '../../policies/index';

const labels = { [SYNTHESIZED_LABEL.key]: SYNTHESIZED_LABEL.value };
const cronJob = (spec: object) => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'offload', namespace: 'default', labels },
  spec: {
    schedule: '0 2 * * *',
    jobTemplate: {
      spec: {
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [
              {
                name: 'run',
                image: 'acme/offload:1.0.0',
                resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '1Gi' } },
              },
            ],
          },
        },
      },
    },
    ...spec,
  },
});

test('npm run validate runs the mandatory Kubernetes rules over synthesized objects', () => {
  expect(MANIFEST_CHECKS).toContain(kubernetesPolicyCheck);
  const lines = validateObjects(
    [{ name: 'workloads', objects: [cronJob({ concurrencyPolicy: 'Forbid', timeZone: 'Etc/UTC' })] }],
    'test',
  ).findings.map(formatFinding);
  expect(lines).toEqual([
    'test/workloads.k8s.yaml: CronJob default/offload: has spec.startingDeadlineSeconds unset. Fix: set spec.startingDeadlineSeconds to at least 60 (policy cronjob-schedule)',
  ]);
  const compliant = cronJob({ concurrencyPolicy: 'Forbid', timeZone: 'Etc/UTC', startingDeadlineSeconds: 300 });
  expect(validateObjects([{ name: 'workloads', objects: [compliant] }], 'test').findings).toEqual([]);
});

test('the policy check leaves hand-written manifests (without the synthesized label) to the API server rules', () => {
  const handWritten = { ...cronJob({}), metadata: { name: 'offload', namespace: 'default' } };
  expect(
    kubernetesPolicyCheck([{ file: 'x.yaml', document: 1, object: handWritten }], { environment: 'test' } as never),
  ).toEqual([]);
});
