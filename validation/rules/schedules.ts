import { cronScheduleError, loadLocationError } from '../../config';
import { invalid, perObject, Problem, toFindings } from '../finding';
import { asObject, JsonObject } from '../object-access';

/** Each `/`-separated part of a CronJob time zone (`validTimeZoneCharacters` in the batch validation). */
const TIME_ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

/**
 * Schedules as their controllers parse them (robfig/cron `ParseStandard`, see config/cron.ts) and time zones as they load.
 * CronJob adds the batch API's rules: no TZ in the schedule, and an explicit IANA zone. The Spark Operator accepts
 * whatever the parser and `time.LoadLocation` accept, including `@every` (also valid for CronJob) and `Local`.
 */
export const schedules = perObject((target) => {
  const spec = asObject(target.object.spec);
  if (spec === undefined) return [];
  if (target.object.kind === 'CronJob')
    return toFindings(target, [...scheduleProblems(spec, true), ...cronJobTimeZoneProblems(spec)]);
  if (target.object.kind === 'ScheduledSparkApplication') {
    const zone = spec.timeZone;
    const zoneError = typeof zone === 'string' ? loadLocationError(zone) : undefined;
    return toFindings(target, [
      ...scheduleProblems(spec, false),
      ...(zoneError ? invalid(['spec', 'timeZone'], zone, [zoneError]) : []),
    ]);
  }
  return [];
});

function scheduleProblems(spec: JsonObject, forbidTimeZone: boolean): Problem[] {
  const schedule = spec.schedule;
  if (typeof schedule !== 'string') return [];
  const messages: string[] = [];
  const parseError = cronScheduleError(schedule);
  if (parseError !== undefined) messages.push(parseError);
  if (forbidTimeZone && schedule.includes('TZ'))
    messages.push('cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
  return invalid(['spec', 'schedule'], schedule, messages);
}

/** `validateTimeZone` of the batch API (Kubernetes 1.28). */
function cronJobTimeZoneProblems(spec: JsonObject): Problem[] {
  const zone = spec.timeZone;
  if (typeof zone !== 'string') return [];
  const at = ['spec', 'timeZone'];
  if (zone === '') return invalid(at, zone, ['timeZone must be nil or non-empty string']);
  const malformed = zone
    .split('/')
    .some((part) => part === '.' || part === '..' || part.startsWith('-') || !TIME_ZONE_PART.test(part));
  if (malformed) return invalid(at, zone, [`unknown time zone ${zone}`]);
  const messages: string[] = [];
  if (zone.toLowerCase() === 'local')
    messages.push('timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones');
  const loadError = loadLocationError(zone);
  if (loadError !== undefined) messages.push(loadError);
  return invalid(at, zone, messages);
}
