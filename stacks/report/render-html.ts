/**
 * The report as one self-contained HTML page: inline CSS and SVG, no script, no font or image from anywhere, and a
 * Content-Security-Policy that forbids the browser to fetch anything. The headline figures come first and fit a
 * laptop screen's first view (1366x768); the timelines, the conflict list and the tables follow.
 */
import {
  formatCpu,
  formatDayMinute,
  formatMemory,
  formatWeekMinute,
  MINUTES_PER_DAY,
  PRICES,
  WEEKDAYS,
} from '../../config';
import { conflictCount, queueSharingLine, tableConflictLine } from './conflicts';
import { SPARK_PRICE_REFERENCE, usd } from './cost';
import { gib, num, percent } from './format';
import { ScheduledJob } from './jobs';
import { BATCH_BUDGET, Report, savingStatement, summaryText } from './report';
import { Run } from './timeline';

/** Escapes text for HTML content and quoted attribute values. */
export function esc(value: unknown): string {
  return String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const STYLE = `
* { box-sizing: border-box; }
body { font: 14px/1.4 system-ui, sans-serif; margin: 0 auto; padding: 12px 20px 32px; max-width: 1320px; color: #1d2330; background: #fff; }
h1 { font-size: 20px; margin: 0; } h2 { font-size: 17px; margin: 26px 0 8px; border-bottom: 1px solid #d5dae3; }
h3 { font-size: 12px; margin: 0 0 2px; text-transform: uppercase; letter-spacing: .04em; color: #5a6478; }
.sub { margin: 2px 0 10px; color: #5a6478; font-size: 13px; }
table { border-collapse: collapse; margin: 6px 0; } th, td { border: 1px solid #d5dae3; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f1f3f7; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; max-width: 100%; }
pre { background: #f6f7f9; padding: 10px; border: 1px solid #d5dae3; white-space: pre-wrap; font-size: 12px; }
.over { color: #a4161a; font-weight: 600; } .ok { color: #1b7f3b; font-weight: 600; } .muted { color: #5a6478; }
#headline { border: 1px solid #d5dae3; border-radius: 6px; padding: 10px 12px; background: #fafbfc; }
.cards { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 10px; }
.card { background: #fff; border: 1px solid #e3e6ec; border-radius: 6px; padding: 8px 10px; }
.card .big { font-size: 24px; font-weight: 700; margin: 0; font-variant-numeric: tabular-nums; }
.card .big small { font-size: 13px; font-weight: 400; color: #5a6478; } .card p { margin: 2px 0; font-size: 13px; }
#headline table { margin: 8px 0 0; width: 100%; font-size: 13px; } #headline .note { font-size: 12px; margin: 4px 0 0; }
svg { max-width: 100%; height: auto; display: block; }
svg text { font: 11px system-ui, sans-serif; fill: #1d2330; } svg .tenant { font-weight: 700; } svg .dim { fill: #5a6478; }
svg .grid { stroke: #e3e6ec; } svg .band { fill: #f6f7f9; }
svg .run { fill: #3a6fd8; } svg .run.conflict { fill: #d62828; }
svg .cell { fill: #e8eefb; stroke: #c9d4ee; } svg .cell.conflict { fill: #fde2e2; stroke: #d62828; stroke-width: 2; }
svg .bar { fill: #3a6fd8; } svg .bar.over { fill: #d62828; } svg .budget { stroke: #1d2330; stroke-width: 2; }
.legend span { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: -2px; }
ul.conflicts li { margin: 3px 0; }
details { margin: 10px 0; } summary { cursor: default; font-weight: 600; }
@media (max-width: 1000px) { .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
`;

/** SVG geometry: job names on the left, the plot on the right; the page scales it to its width. */
const LABEL_WIDTH = 220;
const PLOT_WIDTH = 1040;
const WIDTH = LABEL_WIDTH + PLOT_WIDTH + 10;
const ROW = 18;
const HEAD = 24;
/** Runs are at least this wide, so a two-minute offload stays visible on a 24-hour axis. */
const MIN_BAR = 2.5;
/** Tenants shown in the headline; the rest are in the tenants table. */
const HEADLINE_TENANTS = 6;

/** A tenant header (with its jobs' CPU-hours) or one job. */
type Lane = { tenant: string; job?: ScheduledJob };

/** Every tenant of the report, those without jobs too, each followed by its jobs. */
function lanes(report: Report): Lane[] {
  return report.tenants.flatMap((tenant) => [
    { tenant },
    ...report.jobs
      .filter((j) => j.tenant === tenant)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((job) => ({ tenant, job })),
  ]);
}

/** The runs of each job, and of each tenant, in week order. */
function runIndex(runs: readonly Run[]) {
  const byJob = new Map<ScheduledJob, Run[]>();
  const byTenant = new Map<string, Run[]>();
  const add = <K>(map: Map<K, Run[]>, key: K, run: Run) => {
    const list = map.get(key);
    if (list) list.push(run);
    else map.set(key, [run]);
  };
  for (const run of runs) {
    add(byJob, run.job, run);
    add(byTenant, run.job.tenant, run);
  }
  return { job: (j: ScheduledJob) => byJob.get(j) ?? [], tenant: (t: string) => byTenant.get(t) ?? [] };
}
type RunIndex = ReturnType<typeof runIndex>;

/** For each conflicting run, what it conflicts with, worded for a tooltip that names both jobs. */
function conflictNotes(report: Report): Map<number, string[]> {
  const notes = new Map<number, string[]>();
  const add = (run: Run, line: string) => notes.set(run.id, [...(notes.get(run.id) ?? []), line]);
  const span = (r: Run) => `${formatWeekMinute(r.start)}-${formatDayMinute(r.end % MINUTES_PER_DAY)}`;
  for (const c of report.conflicts.tables) {
    const on = c.tables.length === 1 ? c.tables[0] : `${c.tables.length} tables (${c.tables.join(', ')})`;
    for (const [a, b] of c.pairs) {
      add(a, `conflicts with ${b.job.name} ${span(b)} on ${on}`);
      add(b, `conflicts with ${a.job.name} ${span(a)} on ${on}`);
    }
  }
  for (const q of report.conflicts.queues.filter((x) => x.overMax)) {
    for (const run of report.runs.filter((r) => r.job.queue === q.queue && report.conflicts.runIds.has(r.id)))
      add(run, `queue ${q.queue} above its max with ${q.jobs.map((j) => j.name).join(', ')}`);
  }
  return notes;
}

function runTitle(run: Run, notes: Map<number, string[]>): string {
  const job = run.job;
  return [
    `${job.name} ${formatWeekMinute(run.start)}-${formatDayMinute(run.end % MINUTES_PER_DAY)} UTC, ${formatCpu(job.cpu)} CPU / ${gib(job.memory)}`,
    ...(notes.get(run.id) ?? []),
  ].join('; ');
}

function svg(id: string, height: number, label: string, parts: readonly string[]): string {
  return `<svg id="${esc(id)}" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${esc(label)}">${parts.join('')}</svg>`;
}

/** The lane labels: bold tenant headers, indented job names, a note for a tenant without jobs. */
function laneLabel(lane: Lane, y: number, hasJobs: boolean): string {
  if (lane.job) return `<text x="16" y="${y + 13}">${esc(lane.job.name)}</text>`;
  const none = hasJobs ? '' : `<tspan class="dim"> (no scheduled jobs)</tspan>`;
  return `<rect class="band" x="0" y="${y}" width="${WIDTH}" height="${ROW}"/><text class="tenant" x="4" y="${y + 13}">${esc(`tenant ${lane.tenant}`)}${none}</text>`;
}

/** The 24 hours of `day`: one bar per run starting that day (clipped at midnight), conflicting runs in red. */
function dayTimeline(report: Report, index: RunIndex, notes: Map<number, string[]>): string {
  const dayStart = report.timelineDay * MINUTES_PER_DAY;
  const rows = lanes(report);
  const height = HEAD + rows.length * ROW;
  const x = (minute: number) => LABEL_WIDTH + ((minute - dayStart) / MINUTES_PER_DAY) * PLOT_WIDTH;
  const parts: string[] = [];
  rows.forEach((lane, i) => {
    const y = HEAD + i * ROW;
    parts.push(
      laneLabel(
        lane,
        y,
        report.jobs.some((j) => j.tenant === lane.tenant),
      ),
    );
    const job = lane.job;
    if (!job) return;
    for (const run of index.job(job).filter((r) => r.start >= dayStart && r.start < dayStart + MINUTES_PER_DAY)) {
      const end = Math.min(run.end, dayStart + MINUTES_PER_DAY);
      const conflict = report.conflicts.runIds.has(run.id);
      parts.push(
        `<rect class="run${conflict ? ' conflict' : ''}" x="${num(x(run.start), 2)}" y="${y + 3}" width="${num(Math.max(MIN_BAR, x(end) - x(run.start)), 2)}" height="${ROW - 6}"><title>${esc(runTitle(run, notes))}</title></rect>`,
      );
    }
  });
  for (let h = 0; h < 24; h++) {
    const at = x(dayStart + h * 60);
    parts.push(`<line class="grid" x1="${num(at, 2)}" y1="16" x2="${num(at, 2)}" y2="${height}"/>`);
    if (h % 2 === 0) parts.push(`<text x="${num(at + 2, 2)}" y="12">${formatDayMinute(h * 60)}</text>`);
  }
  return svg('day-timeline', height, `runs on ${WEEKDAYS[report.timelineDay]}`, parts);
}

/** What one job does on one day, short enough for a week cell: `02:00, 20 min`, `hourly at :05, 2 min`, `48 runs`. */
export function dayCellText(starts: readonly number[], runtimeMinutes: number): string {
  if (starts.length === 0) return '';
  const minutes = [...new Set(starts.map((s) => s % 60))];
  const when =
    starts.length <= 2
      ? starts.map((s) => formatDayMinute(s % MINUTES_PER_DAY)).join(', ')
      : starts.length === 24 && minutes.length === 1
        ? `hourly at :${String(minutes[0]).padStart(2, '0')}`
        : `${starts.length} runs`;
  return `${when}, ${runtimeMinutes} min`;
}

/** One cell of the week grid: what it says, whether it holds a conflict, its tooltip. */
type WeekCell = { text: string; conflict: boolean; title: string; kind: 'job' | 'tenant' | 'total' };

/**
 * Consecutive days whose cells say the same on every row, as `[first, last]` day ranges: Monday to Friday of a
 * weekday schedule become one column.
 */
export function dayGroups(columns: readonly (readonly { text: string; conflict: boolean }[])[]): [number, number][] {
  const key = (d: number) => JSON.stringify(columns[d].map((c) => [c.text, c.conflict]));
  const groups: [number, number][] = [];
  columns.forEach((_, d) => {
    const last = groups[groups.length - 1];
    if (last && key(last[1]) === key(d)) last[1] = d;
    else groups.push([d, d]);
  });
  return groups;
}

/**
 * The week as a grid: a row per job saying what it runs each day (conflicting days outlined in red, the details in
 * the tooltip), each tenant's CPU-hours per day on its header row and the environment's at the bottom. Days that read
 * the same on every row share one column.
 */
function weekGrid(report: Report, index: RunIndex, notes: Map<number, string[]>): string {
  const rows = lanes(report);
  const height = HEAD + (rows.length + 1) * ROW + 4;
  const dayOf = (r: Run) => Math.floor(r.start / MINUTES_PER_DAY);
  const cpuHours = (runs: readonly Run[]) => runs.reduce((n, r) => n + (r.job.cpu * (r.end - r.start)) / 60, 0);
  const column = (d: number): WeekCell[] => [
    ...rows.map((lane): WeekCell => {
      const job = lane.job;
      if (!job) {
        const runs = index.tenant(lane.tenant);
        const text = runs.length === 0 ? '' : `${num(cpuHours(runs.filter((r) => dayOf(r) === d)), 2)} CPU-h`;
        return { text, conflict: false, title: '', kind: 'tenant' };
      }
      const runs = index.job(job).filter((r) => dayOf(r) === d);
      const text = dayCellText(
        runs.map((r) => r.start),
        job.runtimeMinutes,
      );
      const clashes = [...new Set(runs.flatMap((r) => notes.get(r.id) ?? []))];
      const title = [
        `${job.name}: ${text} (${runs.length} run${runs.length === 1 ? '' : 's'}, ${num(cpuHours(runs), 2)} CPU-h a day)`,
        ...clashes,
      ].join('; ');
      return { text, conflict: clashes.length > 0, title, kind: 'job' };
    }),
    { text: `${num(report.usage.byDay[d].cpuHours, 2)} CPU-h`, conflict: false, title: '', kind: 'total' },
  ];
  const columns = WEEKDAYS.map((_, d) => column(d));
  const groups = dayGroups(columns);
  const col = PLOT_WIDTH / groups.length;
  const parts: string[] = [];
  rows.forEach((lane, i) =>
    parts.push(
      laneLabel(
        lane,
        HEAD + i * ROW,
        report.jobs.some((j) => j.tenant === lane.tenant),
      ),
    ),
  );
  parts.push(`<text class="tenant" x="4" y="${HEAD + rows.length * ROW + 17}">all scheduled jobs</text>`);
  groups.forEach(([first, last], g) => {
    const left = LABEL_WIDTH + g * col;
    const mid = num(left + col / 2, 2);
    const days =
      first === last
        ? `${WEEKDAYS[first]} ${5 + first} Jan`
        : `${WEEKDAYS[first]} ${5 + first} - ${WEEKDAYS[last]} ${5 + last} Jan, each day`;
    parts.push(`<text class="tenant" x="${mid}" y="14" text-anchor="middle">${days}</text>`);
    parts.push(`<line class="grid" x1="${num(left, 2)}" y1="18" x2="${num(left, 2)}" y2="${height}"/>`);
    columns[first].forEach((cell, i) => {
      if (!cell.text) return;
      const y = HEAD + i * ROW + (cell.kind === 'total' ? 4 : 0);
      const text = `<text${cell.kind === 'job' ? '' : ` class="${cell.kind === 'tenant' ? 'dim' : 'tenant'}"`} x="${mid}" y="${y + 13}" text-anchor="middle">${esc(cell.text)}</text>`;
      if (cell.kind !== 'job') return void parts.push(text);
      const on =
        first === last
          ? WEEKDAYS[first]
          : `${WEEKDAYS[first]}-${WEEKDAYS[last]} (each day; times of ${WEEKDAYS[first]})`;
      parts.push(
        `<g><title>${esc(`${on}: ${cell.title}`)}</title><rect class="cell${cell.conflict ? ' conflict' : ''}" x="${num(left + 2, 2)}" y="${y + 1}" width="${num(col - 4, 2)}" height="${ROW - 2}" rx="3"/>${text}</g>`,
      );
    });
  });
  const right = num(LABEL_WIDTH + PLOT_WIDTH, 2);
  parts.push(`<line class="grid" x1="${right}" y1="18" x2="${right}" y2="${height}"/>`);
  return svg('week-grid', height, 'the reference week, per job and day', parts);
}

/**
 * Columns that repeat an earlier column are merged into it (`budget = quota`); a column with the same value on every
 * row is taken out and stated once (`time zone: UTC`). Tables of one row are left as they are.
 */
export function mergeColumns(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): { headers: string[]; rows: string[][]; kept: number[]; constant: [string, string][] } {
  const column = (i: number) => rows.map((r) => r[i]);
  const same = (i: number, j: number) => rows.every((r) => r[i] === r[j]);
  const constant: [string, string][] = [];
  const kept: number[] = [];
  const merged = new Map<number, string[]>();
  headers.forEach((header, i) => {
    if (rows.length < 2) return kept.push(i);
    if (new Set(column(i)).size === 1) return constant.push([header, rows[0][i]]);
    const into = kept.find((k) => same(k, i));
    if (into === undefined) return kept.push(i);
    merged.set(into, [...(merged.get(into) ?? []), header]);
  });
  return {
    headers: kept.map((k) => [headers[k], ...(merged.get(k) ?? [])].join(' = ')),
    rows: rows.map((r) => kept.map((k) => r[k])),
    kept,
    constant,
  };
}

/** A table whose repeated and constant columns are merged ({@link mergeColumns}); `numeric` columns align right. */
function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: ReadonlySet<number> = new Set(),
): string {
  const m = mergeColumns(headers, rows);
  const right = new Set(m.kept.map((k, i) => (numeric.has(k) ? i : -1)));
  const head = m.headers.map((h) => `<th>${esc(h)}</th>`).join('');
  const body = m.rows
    .map(
      (row) => `<tr>${row.map((cell, i) => `<td${right.has(i) ? ' class="n"' : ''}>${esc(cell)}</td>`).join('')}</tr>`,
    )
    .join('');
  const same =
    m.constant.length > 0
      ? `<p class="muted">Same on every row: ${m.constant.map(([h, v]) => `${esc(h)} <b>${esc(v || '-')}</b>`).join('; ')}.</p>`
      : '';
  return `${same}<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** `<span data-figure="name">value</span>`: the headline figures, marked so the tests can read them off the page. */
function figure(name: string, value: string): string {
  return `<span data-figure="${esc(name)}">${esc(value)}</span>`;
}

/** A horizontal bar of `value` against `budget` (the budget marked by a line), red when over. */
function budgetBar(value: number, budget: number): string {
  const scale = Math.max(value, budget) * 1.1 || 1;
  const w = 240;
  const over = value > budget;
  return `<svg width="${w}" height="12" viewBox="0 0 ${w} 12" role="img" aria-label="${esc(`${num(value, 2)} of ${budget}`)}"><rect x="0" y="2" width="${w}" height="8" fill="#eef1f6"/><rect class="bar${over ? ' over' : ''}" x="0" y="2" width="${num((value / scale) * w, 2)}" height="8"/><line class="budget" x1="${num((budget / scale) * w, 2)}" y1="0" x2="${num((budget / scale) * w, 2)}" y2="12"/></svg>`;
}

/** Always-on cost, batch against the ADR budget, conflicts, commitments, and each tenant's cost. */
function headline(report: Report): string {
  const b = report.budget;
  const tier1 = b.tier1CpuHoursPerDay;
  const c = report.commitments;
  const count = conflictCount(report.conflicts);
  const shared = report.conflicts.queues.filter((q) => !q.overMax).length;
  const within = b.overBudget.length === 0;
  const sys = report.usage.systemNodes;
  const node = PRICES.ec2[SPARK_PRICE_REFERENCE];
  const tenants = [...report.tenantCosts].sort((x, y) => y.monthly - x.monthly || x.tenant.localeCompare(y.tenant));
  const shown = tenants.slice(0, HEADLINE_TENANTS);
  const cards = [
    `<div class="card"><h3>Always on</h3><p class="big">${figure('always-on-monthly', usd(report.cost.monthly))}<small>/month</small></p>` +
      `<p>${esc(
        report.cost.lines
          .filter((l) => l.monthly > 0)
          .map((l) => (l.item === 'system nodes' ? `${sys.nodes} x ${sys.instanceType} system nodes` : l.item))
          .join(', '),
      )}</p>` +
      `<p class="muted">${esc(report.cost.region)} on-demand prices of ${esc(report.cost.pricesTakenOn)}</p></div>`,
    `<div class="card"><h3>Batch vs ADR-006 budget</h3><p class="big">${figure('batch-cpu-hours', num(b.cpuHoursPerDay, 2))}<small> of ${BATCH_BUDGET.totalCpuHoursPerDay} CPU-h/day</small></p>` +
      budgetBar(b.cpuHoursPerDay, BATCH_BUDGET.totalCpuHoursPerDay) +
      `<p>tier 1 (offload) ${figure('tier1-cpu-hours', num(tier1, 2))} of ${BATCH_BUDGET.tier1CpuHoursPerDay}: ` +
      `<span class="${within ? 'ok' : 'over'}">${within ? 'within budget' : 'over budget'}</span></p></div>`,
    `<div class="card"><h3>Conflicts</h3><p class="big ${count === 0 ? 'ok' : 'over'}">${figure('conflicts', String(count))}</p>` +
      `<p>same table at the same time${report.conflicts.queues.some((q) => q.overMax) ? ', or a queue above its max' : ''}</p>` +
      `<p class="muted">${shared} tenant queue${shared === 1 ? '' : 's'} shared by design (not conflicts)</p></div>`,
    `<div class="card"><h3>Commitments</h3><p class="big ${c.overCommitted.length === 0 ? 'ok' : 'over'}">${c.overCommitted.length === 0 ? 'fits' : 'over-committed'}</p>` +
      `<p>quotas ${esc(formatCpu(c.totalQuota.cpu))} CPU, guarantees ${esc(formatCpu(c.totalGuaranteed.cpu))} CPU of ${esc(formatCpu(c.capacity.cpu))} CPU Spark capacity</p></div>`,
  ];
  const rows = shown
    .map(
      (t) =>
        `<tr data-tenant="${esc(t.tenant)}"><td>${esc(t.tenant)}</td><td class="n">${t.jobs}</td><td class="n">${num(t.cpuHoursPerDay, 2)}</td>` +
        `<td class="n">${usd(t.batchMonthly)}</td><td class="n">${usd(t.interactiveMonthly)}</td><td class="n"><b>${figure(`tenant-monthly:${t.tenant}`, usd(t.monthly))}</b></td></tr>`,
    )
    .join('');
  const more =
    tenants.length > shown.length
      ? `<tr><td colspan="6" class="muted">${tenants.length - shown.length} more tenants in the tenants table below</td></tr>`
      : '';
  return (
    `<section id="headline" aria-label="headline figures"><div class="cards">${cards.join('')}</div>` +
    `<table><thead><tr><th>tenant</th><th>scheduled jobs</th><th>CPU-h/day</th><th>batch $/month</th><th>idle Spark Connect $/month</th><th>tenant $/month</th></tr></thead><tbody>${rows}${more}</tbody></table>` +
    `<p class="note muted">Tenant figures: Spark node-hours at on-demand ${SPARK_PRICE_REFERENCE} ($${node.hour}/h for ${node.cpu} CPU / ${node.memoryGiB} GiB; executors on spot cost less); ` +
    `the always-on platform is shared and not split between tenants.</p></section>`
  );
}

/** The one list of conflicts, then the queues shared by design (listed, not painted). */
function conflictSection(report: Report): string {
  const overMax = report.conflicts.queues.filter((q) => q.overMax);
  const shared = report.conflicts.queues.filter((q) => !q.overMax);
  const items = [
    ...report.conflicts.tables.map((c) => {
      const [a, b] = c.pairs[0];
      const title = `${a.job.name} ${formatWeekMinute(a.start)}-${formatDayMinute(a.end % MINUTES_PER_DAY)} and ${b.job.name} ${formatWeekMinute(b.start)}-${formatDayMinute(b.end % MINUTES_PER_DAY)}`;
      return `<li class="over" title="${esc(title)}">${esc(tableConflictLine(c))}</li>`;
    }),
    ...overMax.map((q) => `<li class="over">${esc(queueSharingLine(q))}</li>`),
  ];
  return [
    items.length === 0
      ? '<p class="ok">No conflicts: no two runs touch the same table at the same time, and no queue is asked for more than its max.</p>'
      : `<ul class="conflicts">${items.join('')}</ul>`,
    shared.length > 0
      ? `<p class="muted">Shared by design, not conflicts: a tenant's jobs share its YuniKorn queue, which runs them within the tenant's budget.</p><ul class="muted">${shared.map((q) => `<li>${esc(queueSharingLine(q))}</li>`).join('')}</ul>`
      : '',
  ].join('');
}

export function renderHtml(report: Report): string {
  const u = report.usage;
  const c = report.commitments;
  const notes = conflictNotes(report);
  const index = runIndex(report.runs);
  const res = (r?: { cpu: number; memory: number }) =>
    r ? `${formatCpu(r.cpu)} CPU / ${formatMemory(r.memory)}` : '-';

  const sections = [
    `<h1>${esc(`Data plane report: ${report.env}`)}</h1>`,
    `<p class="sub">From the objects <code>npm run synth</code> writes for <b>${esc(report.env)}</b>: ${report.jobs.length} scheduled jobs of ${report.tenants.length} tenants, ${report.runs.length} runs in the reference week Mon 5 to Sun 11 January 2026 (UTC).</p>`,
    headline(report),

    `<h2>Timeline: ${esc(WEEKDAYS[report.timelineDay])}, 24 hours (the day with the most runs)</h2>`,
    `<p class="legend">One bar per run, lasting the job's declared expected runtime; hover a bar for its times and what it conflicts with.<span style="background:#3a6fd8"></span>run<span style="background:#d62828"></span>conflict (same table at the same time)</p>`,
    dayTimeline(report, index, notes),
    `<h2>The week</h2>`,
    `<p class="legend">What each job runs per day; a day with a conflict is outlined in red (hover for both jobs).</p>`,
    weekGrid(report, index, notes),

    `<h2>Conflicts</h2>`,
    conflictSection(report),

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
          num(u.peak.cpu, 2),
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
      ['always-on cost', 'detail', '$/month'],
      report.cost.lines.map((l) => [l.item, l.detail, usd(l.monthly)]),
      new Set([2]),
    ),
    `<p>ADR-006 budget: tier 1 at most ${BATCH_BUDGET.tier1CpuHoursPerDay} CPU-h/day, all scheduled batch at most ` +
      `${BATCH_BUDGET.totalCpuHoursPerDay}: ${report.budget.overBudget.length === 0 ? 'within' : 'over budget'}.</p>`,
    table(
      ['batch tier', 'job', 'CPU-h/day'],
      report.budget.tiers.flatMap((t) => [
        [`tier ${t.tier}`, 'all', num(t.cpuHoursPerDay, 2)],
        ...t.jobs.map((j) => ['', j.name, num(j.cpuHoursPerDay, 2)]),
      ]),
      new Set([2]),
    ),
    ...report.budget.overBudget.map((line) => `<p class="over">${esc(line)}</p>`),

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
        String(index.job(j).length),
      ]),
      new Set([5, 7, 11]),
    ),
    report.notInWeek.length > 0
      ? `<p>No run in the reference week: ${esc(report.notInWeek.map((j) => j.name).join(', '))}.</p>`
      : '',

    `<h2>Tenants: budgets, guarantees and cost</h2>`,
    `<p>Spark capacity declared (<code>capacity.spark</code>): ${esc(res(c.capacity))}; tenant quotas add up to ${esc(res(c.totalQuota))}, queue guarantees to ${esc(res(c.totalGuaranteed))}. ` +
      (c.overCommitted.length === 0
        ? '<span class="ok">Everything fits.</span>'
        : '<span class="over">Over-committed:</span>') +
      `</p>`,
    c.overCommitted.length > 0
      ? `<ul>${c.overCommitted.map((line) => `<li class="over">${esc(line)}</li>`).join('')}</ul>`
      : '',
    table(
      ['tenant', 'budget', 'quota', 'queue guaranteed', 'queue max', 'scheduled jobs', '$/month'],
      c.tenants.map((t) => {
        const cost = report.tenantCosts.find((x) => x.tenant === t.tenant);
        return [
          t.tenant,
          res(t.budget),
          res(t.quota),
          res(t.guaranteed),
          res(t.max),
          String(cost?.jobs ?? 0),
          cost ? usd(cost.monthly) : '-',
        ];
      }),
      new Set([5, 6]),
    ),

    `<details><summary>Pinned versions (${report.versions.length})</summary>`,
    table(
      ['component', 'key', 'value'],
      report.versions.map((v) => [v.component, v.key, v.value]),
    ),
    `</details>`,
    `<details><summary>The summary <code>npm run report</code> prints</summary><pre>${esc(summaryText(report))}</pre></details>`,
    `<p class="muted">Spark pod memory is memory + overhead: the job's <code>memoryOverhead</code>, else max(384 MiB, ${percent(0.1)} of memory) for JVM jobs and ${percent(0.4)} for Python/R jobs. Executors with dynamic allocation are counted at <code>maxExecutors</code>. Each run lasts the minutes its <code>dataplane.io/expected-runtime-minutes</code> annotation declares.</p>`,
  ];
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${esc(`Data plane report: ${report.env}`)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    ...sections.filter(Boolean),
    '</body></html>',
    '',
  ].join('\n');
}
