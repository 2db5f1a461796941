import { FieldPath } from '../field-path';
import { perObject, toFindings } from '../finding';
import { annotationProblems, labelMapProblems } from '../labels';
import { asObject, valueAt } from '../object-access';
import { podTemplates } from '../pod-templates';

/** Labels and annotations of the object, of its pod templates and of a CronJob's job template. */
export const labelsAndAnnotations = perObject((target) => {
  const places: FieldPath[] = [
    ['metadata'],
    ...podTemplates(target.object)
      .filter((template) => template.path.length > 0)
      .map((template) => [...template.path, 'metadata']),
  ];
  if (target.object.kind === 'CronJob') places.push(['spec', 'jobTemplate', 'metadata']);
  return toFindings(
    target,
    places.flatMap((path) => {
      const metadata = asObject(valueAt(target.object, path));
      return [
        ...labelMapProblems(metadata?.labels, [...path, 'labels']),
        ...annotationProblems(metadata?.annotations, [...path, 'annotations']),
      ];
    }),
  );
});
