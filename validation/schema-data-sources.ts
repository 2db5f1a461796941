import { SharedDataKind } from '../config';

/**
 * Where every file of the pinned upstream data (`sharedDataDir()`: Kubernetes schemas, operator CRDs, Polaris specs)
 * comes from: a public repository, a commit, a path, and the file's git blob id. `npm run schema-data` fetches them
 * by commit and refuses any file whose bytes do not hash to its blob id; the test suite checks the list against the
 * data it validates with. The list holds no upstream content, only where to get it.
 */
export interface SchemaDataFile {
  /** Which folder of the shared data the file belongs in. */
  readonly kind: SharedDataKind;
  /** Path below that folder. */
  readonly file: string;
  /** `owner/name` on GitHub. */
  readonly repository: string;
  readonly commit: string;
  /** Path in the repository at that commit. */
  readonly path: string;
  /** `git hash-object` of the file: SHA-1 of `blob <size>\0<bytes>`. */
  readonly gitBlob: string;
}

/** kubectl-validate's built-in schemas: upstream Kubernetes `api/openapi-spec/v3`, stored unchanged per minor. */
const KUBECTL_VALIDATE = {
  repository: 'kubernetes-sigs/kubectl-validate',
  commit: 'a97ccfaca20b164819afdae780392496f6ed6bbd',
};
const SPARK_OPERATOR = { repository: 'kubeflow/spark-operator', commit: '43afb8bbd32463037d8fb6e414e252c69081882b' };
const PROMETHEUS_OPERATOR = {
  repository: 'prometheus-operator/prometheus-operator',
  commit: 'f8fafd475f3d132e239432ae6172de60a6cb6516',
};
const POLARIS = { repository: 'apache/polaris', commit: '4ac2f059d1cce149453d0a5f1ff1dff980ec97cc' };

const kubernetesV3 = (minor: string, file: string, gitBlob: string): SchemaDataFile => ({
  kind: 'schemas',
  file: `k8s-v${minor}/openapi-v3/${file}`,
  ...KUBECTL_VALIDATE,
  path: `pkg/openapiclient/builtins/${minor}/${file}`,
  gitBlob,
});
const sparkOperatorCrd = (file: string, gitBlob: string): SchemaDataFile => ({
  kind: 'crds',
  file,
  ...SPARK_OPERATOR,
  path: `charts/spark-operator-chart/crds/${file}`,
  gitBlob,
});
const prometheusOperatorCrd = (file: string, gitBlob: string): SchemaDataFile => ({
  kind: 'crds',
  file,
  ...PROMETHEUS_OPERATOR,
  path: `example/prometheus-operator-crd/${file}`,
  gitBlob,
});
const polarisSpec = (file: string, gitBlob: string): SchemaDataFile => ({
  kind: 'specs',
  file,
  ...POLARIS,
  path: `spec/${file}`,
  gitBlob,
});

/** Every file, Kubernetes 1.28 v2 (served by a real v1.28.0 kube-apiserver, with enums) first. */
export const SCHEMA_DATA_FILES: readonly SchemaDataFile[] = [
  {
    kind: 'schemas',
    file: 'k8s-v1.28/openapi-v2/kube-apiserver-v1.28.0-swagger.json',
    repository: 'tommy351/kubernetes-openapi-spec',
    commit: '917d6fce9c560bb6a99316f98d3d46c869d0e307',
    path: 'openapi/1.28.0.json',
    gitBlob: '7778456da15ea33bfd4920b0aabcb59a59b13f75',
  },
  prometheusOperatorCrd('monitoring.coreos.com_podmonitors.yaml', '5c1bde3d4a5f3131fd6c148ab933193b867173f2'),
  prometheusOperatorCrd('monitoring.coreos.com_prometheusrules.yaml', 'b423c3225b18489ca7bbc5091f38f7003c4bf3fc'),
  prometheusOperatorCrd('monitoring.coreos.com_servicemonitors.yaml', 'f5736255990a0e152851fadb55f84d6fd0f91d87'),
  sparkOperatorCrd('sparkoperator.k8s.io_scheduledsparkapplications.yaml', '7bc36f2e85eead90036f5a3febfa9ab6483d0fa2'),
  sparkOperatorCrd('sparkoperator.k8s.io_sparkapplications.yaml', '7154872c1039b466a6ddeb9df9ec60efc4d386a9'),
  sparkOperatorCrd('sparkoperator.k8s.io_sparkconnects.yaml', '3f12bd5dd940e54e0f6d2dfe8f28fd47c53d833f'),
  kubernetesV3('1.28', 'api/v1.json', 'e034bf109115c83f3458a647b5a2837e0f3e0120'),
  kubernetesV3('1.28', 'apis/admissionregistration.k8s.io/v1.json', 'fdc6e9dfcf8c005997119422faeae86540d96663'),
  kubernetesV3('1.28', 'apis/apiextensions.k8s.io/v1.json', '740f8772e156ee83b73f7a0295c1975f9fa9e195'),
  kubernetesV3('1.28', 'apis/apps/v1.json', '73367edc7f8c3ebfb6148f07d1c08eb4955f0e84'),
  kubernetesV3('1.28', 'apis/autoscaling/v2.json', '2c3c50f511b19c0b3361e8aca34d02f8ed1f2424'),
  kubernetesV3('1.28', 'apis/batch/v1.json', '00e5a8d4441f1b2dbcf8c98da7eefc77b4125f56'),
  kubernetesV3('1.28', 'apis/networking.k8s.io/v1.json', '4de6cc6470abb8bff56afc29e41de4e93ba9b82f'),
  kubernetesV3('1.28', 'apis/policy/v1.json', '485e5e833e03266efa7e46c4e3e4cfb9b01c413d'),
  kubernetesV3('1.28', 'apis/rbac.authorization.k8s.io/v1.json', 'd2e279f4c92be165949bf95e1aed3754913730ec'),
  kubernetesV3('1.28', 'apis/scheduling.k8s.io/v1.json', '252beb291793572c313345e4e648ea8ee80ce9fc'),
  kubernetesV3('1.34', 'api/v1.json', 'e97c10daeafabbc388a32f668dfed59a05993901'),
  kubernetesV3('1.34', 'apis/admissionregistration.k8s.io/v1.json', '8052dfe74be3e99dac4641aa7a205dc69ef0241b'),
  kubernetesV3('1.34', 'apis/apiextensions.k8s.io/v1.json', '515e9554b12207c9a9354e384f218257844b8fda'),
  kubernetesV3('1.34', 'apis/apps/v1.json', '4224213dd3981ccd01f12a14999e663a166642be'),
  kubernetesV3('1.34', 'apis/autoscaling/v2.json', '011a562d396f07329d15b49ba8a6b386edba85cb'),
  kubernetesV3('1.34', 'apis/batch/v1.json', 'fb22cbf0f978ead419f67dd5eda30e702a405d17'),
  kubernetesV3('1.34', 'apis/networking.k8s.io/v1.json', '6ff4af4efeee01dc2eb23cc761f8bcb6d3ea1eb2'),
  kubernetesV3('1.34', 'apis/policy/v1.json', '66d04974584213cd5310953e71e002f7947ef99e'),
  kubernetesV3('1.34', 'apis/rbac.authorization.k8s.io/v1.json', 'c30bb6c3262cb04c361f3286b706848309ea6349'),
  kubernetesV3('1.34', 'apis/scheduling.k8s.io/v1.json', 'a731c1571b16e01eab45b88fe83f15d682931d42'),
  kubernetesV3('1.35', 'api/v1.json', '8125c8ce3fc0332d0d9357588d940830c37fdd57'),
  kubernetesV3('1.35', 'apis/admissionregistration.k8s.io/v1.json', 'cb411913639585d4c5d368befcaad8099844ae89'),
  kubernetesV3('1.35', 'apis/apiextensions.k8s.io/v1.json', '8f7af3a53f3361f14621fc99a53fe98385970d17'),
  kubernetesV3('1.35', 'apis/apps/v1.json', '15df0b3735ed8e8c3ecc360ad8353611ecfaf925'),
  kubernetesV3('1.35', 'apis/autoscaling/v2.json', 'da9e7ef04f965016e97cbaf7b886ba06577e0a7e'),
  kubernetesV3('1.35', 'apis/batch/v1.json', '2df1e47230b57ab60039d48e64c17b2ffb170aee'),
  kubernetesV3('1.35', 'apis/networking.k8s.io/v1.json', 'cc4bdb4a2fb5e5384526e4a2769fecc4e545ee2b'),
  kubernetesV3('1.35', 'apis/policy/v1.json', 'bd1134c93f57aef334859baf6cd97bed2eb7b863'),
  kubernetesV3('1.35', 'apis/rbac.authorization.k8s.io/v1.json', '525506b471ed4c9d3e70e8ed50fd9a7a2a2cb1ba'),
  kubernetesV3('1.35', 'apis/scheduling.k8s.io/v1.json', '207485422ff51baec8fd1c5f41f5264272da2e2f'),
  polarisSpec('generated/bundled-polaris-catalog-service.yaml', '273021001761d7676da2aadc8e720be2ed3729ba'),
  polarisSpec('iceberg-rest-catalog-open-api.yaml', '11730dc9f21896d8c3c978f90e0f9ed776dcba69'),
  polarisSpec('polaris-catalog-apis/generic-tables-api.yaml', '62c1803f2170abaf3f39c14fa84f472ae1c95a86'),
  polarisSpec('polaris-catalog-apis/notifications-api.yaml', 'ec40bfc0886de1c7f2b7bd07ee47532ad06ade60'),
  polarisSpec('polaris-catalog-apis/oauth-tokens-api.yaml', 'a57f8607b5004e45a834eb7a1b4e4055383bc103'),
  polarisSpec('polaris-catalog-apis/policy-apis.yaml', '9aa15620cf2e69693b3aebcbd750001f9eefc6fe'),
  polarisSpec('polaris-catalog-apis/semantic-models-api.yaml', 'af4fc199de53fe352eb8876f3b8f632a32a5c306'),
  polarisSpec('polaris-catalog-service.yaml', 'a94a0ecc3a4a5bf868c2c62789e685e856f3528b'),
  polarisSpec('polaris-management-service.yml', 'b8352bf6e9cbe490f32b09f25491ebda1bd68437'),
];
