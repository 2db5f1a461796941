/**
 * The report as one self-contained HTML page: inline CSS and SVG, no script, no font or image from anywhere, and a
 * Content-Security-Policy that forbids the browser to fetch anything.
 */
import {
  formatCpu,
  formatDayMinute,
  formatMemory,
  formatWeekMinute,
  MINUTES_PER_DAY,
  MINUTES_PER_WEEK,
  WEEKDAYS,
} from '../../config';
import { ScheduledJob } from './jobs';
import { gib, num, overlapLine, percent, Report, savingStatement, summaryText } from './report';
import { Run } from './timeline';

/** Escapes text for HTML content and quoted attribute values. */
export function esc(value: unknown): string {
  return String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; color: #1d2330; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #d5dae3; }
table { border-collapse: collapse; margin: 6px 0; } th, td { border: 1px solid #d5dae3; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f1f3f7; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
pre { background: #f6f7f9; padding: 10px; border: 1px solid #d5dae3; white-space: pre-wrap; }
.over { color: #a4161a; font-weight: 600; } .ok { color: #1b7f3b; font-weight: 600; }
svg text { font: 11px system-ui, sans-serif; fill: #1d2330; }
svg .grid { stroke: #e3e6ec; } svg .tenant { font-weight: 700; }
svg .run { fill: #3a6fd8; } svg .run.overlap { fill: #d62828; }
.legend span { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: -2px; }
`;

const LABEL_WIDTH = 300;
const PLOT_WIDTH = 960;
const ROW = 18;

type Lane = { tenant: string; job?: ScheduledJob };

/** One lane per job, grouped under a header lane per tenant. */
function lanes(jobs: readonly ScheduledJob[]): Lane[] {
  const tenants = [...new Set(jobs.map((j) => j.tenant))].sort();
  return tenants.flatMap((tenant) => [
    { tenant },
    ...jobs
      .filter((j) => j.tenant === tenant)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((job) => ({ tenant, job })),
  ]);
}

/**
 * A timeline of `runs` over `[from, from + span)` minutes of the week; one bar per run, clipped at the window's end
 * (a run that starts before the window belongs to the previous day's timeline).
 */
function timeline(
  id: string,
  report: Report,
  runs: readonly Run[],
  from: number,
  span: number,
  ticks: readonly { at: number; label: string }[],
): string {
  const rows = lanes(report.jobs);
  const height = 24 + rows.length * ROW;
  const x = (minute: number) => LABEL_WIDTH + ((minute - from) / span) * PLOT_WIDTH;
  const parts: string[] = [];
  for (const tick of ticks) {
    parts.push(`<line class="grid" x1="${x(tick.at)}" y1="16" x2="${x(tick.at)}" y2="${height}"/>`);
    parts.push(`<text x="${x(tick.at) + 2}" y="12">${esc(tick.label)}</text>`);
  }
  rows.forEach((lane, i) => {
    const y = 24 + i * ROW;
    if (!lane.job) {
      parts.push(`<text class="tenant" x="4" y="${y + 13}">${esc(`tenant ${lane.tenant}`)}</text>`);
      return;
    }
    const job = lane.job;
    parts.push(`<text x="16" y="${y + 13}">${esc(job.name)}</text>`);
    for (const run of runs.filter((r) => r.job === job)) {
      const end = Math.min(run.end, from + span);
      const overlap = report.overlappingRuns.has(run.id);
      const title = `${job.name} ${formatWeekMinute(run.start)}-${formatWeekMinute(run.end)} UTC, ${formatCpu(job.cpu)} CPU / ${gib(job.memory)}${overlap ? ', overlaps' : ''}`;
      parts.push(
        `<rect class="run${overlap ? ' overlap' : ''}" x="${num(x(run.start), 2)}" y="${y + 3}" width="${num(Math.max(1, x(end) - x(run.start)), 2)}" height="${ROW - 6}"><title>${esc(title)}</title></rect>`,
      );
    }
  });
  const width = LABEL_WIDTH + PLOT_WIDTH + 10;
  return `<svg id="${esc(id)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">${parts.join('')}</svg>`;
}

function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: ReadonlySet<number> = new Set(),
): string {
  const head = headers.map((h) => `<th>${esc(h)}</th>`).join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${row.map((cell, i) => `<td${numeric.has(i) ? ' class="n"' : ''}>${esc(cell)}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

export function renderHtml(report: Report): string {
  const u = report.usage;
  const c = report.commitments;
  const dayStart = report.timelineDay * MINUTES_PER_DAY;
  const dayRuns = report.runs.filter((r) => r.start >= dayStart && r.start < dayStart + MINUTES_PER_DAY);
  const hourTicks = Array.from({ length: 24 }, (_, h) => ({ at: dayStart + h * 60, label: formatDayMinute(h * 60) }));
  const dayTicks = WEEKDAYS.map((day, d) => ({ at: d * MINUTES_PER_DAY, label: day }));
  const res = (r?: { cpu: number; memory: number }) =>
    r ? `${formatCpu(r.cpu)} CPU / ${formatMemory(r.memory)}` : '-';

  const sections = [
    `<h1>${esc(`Data plane report: ${report.env}`)}</h1>`,
    `<p>Computed from the objects <code>npm run synth</code> writes for <b>${esc(report.env)}</b>. Schedules are expanded over the reference week Monday 2026-01-05 to Sunday 2026-01-11 (times in UTC).</p>`,
    `<pre>${esc(summaryText(report))}</pre>`,

    `<h2>Timeline: ${esc(WEEKDAYS[report.timelineDay])} (24 hours, the day with the most runs)</h2>`,
    `<p class="legend">One bar per run, lasting the job's declared expected runtime.<span style="background:#3a6fd8"></span>run<span style="background:#d62828"></span>overlaps another run on the same table or tenant queue</p>`,
    timeline('day-timeline', report, dayRuns, dayStart, MINUTES_PER_DAY, hourTicks),
    `<h2>Timeline: the week</h2>`,
    timeline('week-timeline', report, report.runs, 0, MINUTES_PER_WEEK, dayTicks),

    `<h2>Overlaps</h2>`,
    report.overlaps.length === 0
      ? '<p class="ok">No two runs intersect on the same table or tenant queue.</p>'
      : `<ul>${report.overlaps.map((o) => `<li class="over">${esc(overlapLine(o))}</li>`).join('')}</ul>`,

    `<h2>Always on versus scheduled</h2>`,
    `<p><b>${esc(savingStatement(u))}</b>.</p>`,
    table(
      ['what', 'CPU', 'memory', 'CPU-h/day', 'GiB-h/day'],
      [
        [
          `system nodes: ${u.systemNodes.nodes} x ${u.systemNodes.instanceType} (minimum size, always on)`,
          formatCpu(u.systemNodes.cpu),
          gib(u.systemNodes.memory),
          num(u.systemNodes.cpu * 24),
          num((u.systemNodes.memory / 2 ** 30) * 24),
        ],
        ...[...u.services, ...u.interactive].map((s) => [
          `service ${s.namespace}/${s.name} (${s.source}, ${s.replicas} replica${s.replicas === 1 ? '' : 's'})`,
          num(s.cpu * s.replicas, 3),
          gib(s.memory * s.replicas),
          num(s.cpu * s.replicas * 24),
          num(((s.memory * s.replicas) / 2 ** 30) * 24),
        ]),
        [
          'Spark at peak, if always on',
          formatCpu(u.peak.cpu),
          gib(u.peak.memory),
          num(u.alwaysOnSparkPerDay.cpuHours),
          num(u.alwaysOnSparkPerDay.memoryGiBHours),
        ],
        [
          `scheduled jobs, batch-only (busy ~${num(u.busyHoursPerDay)} h/day)`,
          '',
          '',
          num(u.perDay.cpuHours),
          num(u.perDay.memoryGiBHours),
        ],
      ],
      new Set([1, 2, 3, 4]),
    ),
    table(
      ['day', 'CPU-h', 'GiB-h'],
      u.byDay.map((d, i) => [WEEKDAYS[i], num(d.cpuHours), num(d.memoryGiBHours)]),
      new Set([1, 2]),
    ),

    `<h2>Scheduled jobs</h2>`,
    table(
      [
        'tenant',
        'job',
        'kind',
        'schedule',
        'time zone',
        'runtime (min)',
        'pods',
        'CPU',
        'memory',
        'queue',
        'tables',
        'runs/week',
      ],
      report.jobs.map((j) => [
        j.tenant,
        j.name,
        j.kind,
        j.schedule,
        j.timeZone,
        String(j.runtimeMinutes),
        j.pods
          .map((p) => `${p.count} x ${p.role} ${formatCpu(p.cpu)} CPU / ${formatMemory(Math.round(p.memory))}`)
          .join(', '),
        formatCpu(j.cpu),
        gib(j.memory),
        j.queue,
        j.tables.join(', ') || '-',
        String(report.runs.filter((r) => r.job === j).length),
      ]),
      new Set([5, 7, 11]),
    ),
    report.notInWeek.length > 0
      ? `<p>No run in the reference week: ${esc(report.notInWeek.map((j) => j.name).join(', '))}.</p>`
      : '',

    `<h2>Budgets and guarantees against capacity</h2>`,
    `<p>Spark capacity declared (<code>capacity.spark</code>): ${esc(res(c.capacity))}. ` +
      (c.overCommitted.length === 0
        ? '<span class="ok">Everything fits.</span>'
        : '<span class="over">Over-committed:</span>') +
      `</p>`,
    c.overCommitted.length > 0
      ? `<ul>${c.overCommitted.map((line) => `<li class="over">${esc(line)}</li>`).join('')}</ul>`
      : '',
    table(
      ['tenant', 'budget', 'quota', 'queue guaranteed', 'queue max'],
      [
        ...c.tenants.map((t) => [t.tenant, res(t.budget), res(t.quota), res(t.guaranteed), res(t.max)]),
        ['total', '', res(c.totalQuota), res(c.totalGuaranteed), ''],
      ],
    ),

    `<h2>Pinned versions</h2>`,
    table(
      ['component', 'key', 'value'],
      report.versions.map((v) => [v.component, v.key, v.value]),
    ),
    `<p>Spark pod memory is memory + overhead: the job's <code>memoryOverhead</code>, else max(384 MiB, ${percent(0.1)} of memory) for JVM jobs and ${percent(0.4)} for Python/R jobs. Executors with dynamic allocation are counted at <code>maxExecutors</code>. Each run lasts the minutes its <code>dataplane.io/expected-runtime-minutes</code> annotation declares.</p>`,
  ];
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${esc(`Data plane report: ${report.env}`)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    ...sections.filter(Boolean),
    '</body></html>',
    '',
  ].join('\n');
}
