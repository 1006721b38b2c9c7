import { BarChart3 } from 'lucide-react';
import { useMemo, useState, type FormEvent } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, LabelList, Legend, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { CHART_PAGES_MAX, chartPagesSchema, JOB_PAGE_SIZE, STATUS_CLASSES, type ActivityCharts, type ChartBucket, type StatusClass } from '../../../../common/activity.js';
import { Field } from '../../components/Field.js';
import { sentence } from '../../lib/errors.js';
import { formatDateTime } from '../../lib/format.js';
import { useActivity } from '../../stores/activity.js';
import { useChartColors, type ChartColors } from './chart-colors.js';
import { JobProgress } from './JobProgress.js';
import { STATUS_CLASS_LABELS } from './labels.js';

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;

/** Charts of the filtered log, computed in main from up to N pages of 100 (newest first). */
export function ChartsPanel() {
  const job = useActivity((s) => s.chartJob);
  const charts = useActivity((s) => s.charts);
  const error = useActivity((s) => s.chartsError);
  const chartPages = useActivity((s) => s.chartPages);
  const [typed, setTyped] = useState(String(chartPages));
  const check = chartPagesSchema.safeParse(/^\d+$/.test(typed.trim()) ? Number(typed) : Number.NaN);
  const problem = check.success ? undefined : sentence(`Pages ${check.error.issues[0]?.message}`);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!check.success || job) return;
    useActivity.getState().setChartPages(check.data);
    void useActivity.getState().buildCharts();
  }

  return (
    <div className="charts-panel">
      <form className="card charts-controls" onSubmit={submit} noValidate aria-label="Build charts">
        <Field label="Pages to read" error={problem} hint={`1 to ${CHART_PAGES_MAX} pages of ${JOB_PAGE_SIZE} calls, newest first, with the filters above.`}>
          <input className="narrow" inputMode="numeric" autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />
        </Field>
        <button type="submit" className="button primary" disabled={!check.success || job !== undefined}>
          <BarChart3 size={16} aria-hidden="true" /> {charts ? 'Rebuild charts' : 'Build charts'}
        </button>
      </form>
      {job && <JobProgress label="Reading the log for the charts" job={job} onCancel={() => void useActivity.getState().cancel('chart')} />}
      {error && (
        <p className="notice error-notice" role="alert">
          The charts could not be built: {error.message}
        </p>
      )}
      {charts ? (
        <Charts charts={charts} />
      ) : (
        !job &&
        !error && (
          <div className="card empty-state">
            <span className="empty-icon">
              <BarChart3 size={26} aria-hidden="true" />
            </span>
            <h2>See the log at a glance</h2>
            <p className="muted">Requests over time by status, the busiest paths and the mix of methods, for the filters above. Choose how many pages to read, then build the charts.</p>
          </div>
        )
      )}
    </div>
  );
}

const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const hourFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });

function bucketLabel(iso: string, bucket: ChartBucket): string {
  const time = Date.parse(iso);
  if (bucket === 'hour') return hourFormat.format(time);
  if (bucket === 'day') return dayFormat.format(time);
  return `Week of ${dayFormat.format(time)}`;
}

function Charts({ charts }: { charts: ActivityCharts }) {
  const colors = useChartColors();
  const percent = (n: number) => (charts.recordsRead ? `${Math.round((n / charts.recordsRead) * 100)}%` : '0%');
  const scope = charts.complete
    ? `All ${plural(charts.recordsRead, 'matching call')}`
    : `The newest ${plural(charts.recordsRead, 'call')} of ${charts.totalMatching.toLocaleString()} matching (${plural(charts.pagesRead, 'page')})`;
  const range = charts.range ? `, ${formatDateTime(charts.range.from)} to ${formatDateTime(charts.range.to)}` : '';
  const errors = charts.statusClasses['4xx'] + charts.statusClasses['5xx'];

  return (
    <div className="charts">
      {charts.status === 'cancelled' && (
        <p className="notice warning" role="status">
          Cancelled after {plural(charts.pagesRead, 'page')} of {charts.pagesPlanned}: the charts show the {plural(charts.recordsRead, 'call')} read until then.
        </p>
      )}
      <p className="charts-scope" role="status">
        <strong>{scope}</strong>
        {range}. {charts.recordsRead > 0 && `${percent(errors)} failed (status 400 or above).`}
        {!charts.complete && charts.status === 'done' && <span className="muted"> Read more pages to cover older calls.</span>}
      </p>
      {charts.recordsRead === 0 ? (
        <div className="card empty-state" role="status">
          <h2>No calls to chart</h2>
          <p className="muted">No activity matches these filters — widen the dates or clear the filters.</p>
        </div>
      ) : (
        <>
          <Timeline charts={charts} colors={colors} />
          <div className="charts-row">
            <BusiestPaths charts={charts} colors={colors} />
            <MethodMix charts={charts} colors={colors} />
          </div>
        </>
      )}
    </div>
  );
}

function tooltipStyle(colors: ChartColors) {
  return {
    contentStyle: { background: colors.surface, border: `1px solid ${colors.border}`, borderRadius: 8, color: colors.text, fontSize: 13 },
    labelStyle: { color: colors.text, fontWeight: 600 },
    itemStyle: { color: colors.text },
  };
}

function Timeline({ charts, colors }: { charts: ActivityCharts; colors: ChartColors }) {
  const data = useMemo(() => charts.timeline.map((b) => ({ ...b, label: bucketLabel(b.start, charts.bucket) })), [charts]);
  // Only the classes that occur, so the legend lists what the bars show.
  const series = STATUS_CLASSES.filter((c) => charts.statusClasses[c] > 0);
  const unit = charts.bucket;
  const busiest = data.reduce((best, b) => (total(b) > total(best) ? b : best), data[0]!);
  const ticks = niceTicks(total(busiest));
  return (
    <figure className="card chart-card">
      <figcaption>
        <h3>Requests over time</h3>
        <p className="muted small">
          Per {unit}, stacked by status class. Busiest {unit}: {busiest.label} with {plural(total(busiest), 'call')}.
        </p>
      </figcaption>
      <div className="chart-box" aria-hidden="true">
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -8 }} accessibilityLayer={false}>
            <CartesianGrid stroke={colors.grid} vertical={false} />
            <XAxis dataKey="label" tick={{ fill: colors.muted, fontSize: 12 }} stroke={colors.border} tickLine={false} minTickGap={18} />
            <YAxis allowDecimals={false} domain={[0, ticks.at(-1)!]} ticks={ticks} tick={{ fill: colors.muted, fontSize: 12 }} stroke={colors.border} tickLine={false} axisLine={false} width={44} />
            <Tooltip {...tooltipStyle(colors)} cursor={{ fill: colors.cursor }} />
            <Legend wrapperStyle={{ fontSize: 13, color: colors.text }} iconType="square" />
            {series.map((cls, i) => (
              <Bar key={cls} dataKey={cls} name={STATUS_CLASS_LABELS[cls]} stackId="status" fill={colors.status[cls]} isAnimationActive={false} radius={i === series.length - 1 ? [3, 3, 0, 0] : 0} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="sr-only">
        <caption>Requests per {unit} by status class</caption>
        <thead>
          <tr>
            <th scope="col">{unit}</th>
            {series.map((cls) => (
              <th key={cls} scope="col">
                {STATUS_CLASS_LABELS[cls]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data
            .filter((b) => total(b) > 0)
            .map((b) => (
              <tr key={b.start}>
                <th scope="row">{b.label}</th>
                {series.map((cls) => (
                  <td key={cls}>{b[cls]}</td>
                ))}
              </tr>
            ))}
        </tbody>
      </table>
    </figure>
  );
}

/** Whole-number ticks in steps of 1, 2 or 5 × 10ⁿ, about four of them, with a little room above the tallest bar. */
function niceTicks(max: number): number[] {
  const raw = Math.max(1, max * 1.08) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!);
  const top = Math.ceil(Math.max(1, max * 1.08) / step) * step;
  return Array.from({ length: top / step + 1 }, (_, i) => i * step);
}

const total = (b: Record<StatusClass, number>) => b['2xx'] + b['3xx'] + b['4xx'] + b['5xx'] + b.other;
const shorten = (path: string, max = 40) => (path.length <= max ? path : `…${path.slice(path.length - max + 1)}`);

function BusiestPaths({ charts, colors }: { charts: ActivityCharts; colors: ChartColors }) {
  const data = charts.paths.map((p) => ({ ...p, ok: p.count - p.errors }));
  const top = charts.paths[0];
  // Room for the longest label, in the axis's monospace font (about 0.6 em a character).
  const axisWidth = Math.min(320, Math.max(80, ...data.map((p) => shorten(p.path).length * 7.4 + 14)));
  return (
    <figure className="card chart-card">
      <figcaption>
        <h3>Busiest paths</h3>
        <p className="muted small">
          Top {data.length}, ids shown as <code>:id</code>.{top && ` Busiest: ${top.path} (${plural(top.count, 'call')}).`}
          {charts.otherPaths > 0 && ` Other paths: ${plural(charts.otherPaths, 'call')}.`}
        </p>
      </figcaption>
      <div className="chart-box" aria-hidden="true">
        <ResponsiveContainer width="100%" height={Math.max(160, data.length * 30 + 56)}>
          <BarChart data={data} layout="vertical" margin={{ top: 0, right: 36, bottom: 0, left: 0 }} barCategoryGap={6} accessibilityLayer={false}>
            <CartesianGrid stroke={colors.grid} horizontal={false} />
            <XAxis type="number" allowDecimals={false} tick={{ fill: colors.muted, fontSize: 12 }} stroke={colors.border} tickLine={false} />
            <YAxis
              type="category"
              dataKey="path"
              width={axisWidth}
              tick={{ fill: colors.text, fontSize: 12, fontFamily: 'ui-monospace, monospace' }}
              tickFormatter={(p: string) => shorten(p)}
              stroke={colors.border}
              tickLine={false}
              interval={0}
            />
            <Tooltip {...tooltipStyle(colors)} cursor={{ fill: colors.cursor }} />
            <Legend wrapperStyle={{ fontSize: 13, color: colors.text }} iconType="square" />
            <Bar dataKey="ok" name="Below 400" stackId="p" fill={colors.pathOk} isAnimationActive={false} />
            <Bar dataKey="errors" name="Errors (400+)" stackId="p" fill={colors.pathErrors} isAnimationActive={false}>
              <LabelList dataKey="count" position="right" fill={colors.text} fontSize={12} />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="sr-only">
        <caption>Busiest paths</caption>
        <thead>
          <tr>
            <th scope="col">Path</th>
            <th scope="col">Calls</th>
            <th scope="col">Errors</th>
          </tr>
        </thead>
        <tbody>
          {charts.paths.map((p) => (
            <tr key={p.path}>
              <th scope="row">{p.path}</th>
              <td>{p.count}</td>
              <td>{p.errors}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

function MethodMix({ charts, colors }: { charts: ActivityCharts; colors: ChartColors }) {
  const sum = charts.methods.reduce((s, m) => s + m.count, 0);
  const share = (n: number) => `${Math.round((n / Math.max(1, sum)) * 100)}%`;
  const colorOf = (method: string) => colors.methods[method] ?? colors.methods.other!;
  return (
    <figure className="card chart-card">
      <figcaption>
        <h3>Method mix</h3>
        <p className="muted small">{charts.methods.map((m) => `${m.method} ${share(m.count)}`).join(', ')}.</p>
      </figcaption>
      <div className="chart-box" aria-hidden="true">
        <ResponsiveContainer width="100%" height={Math.max(160, Math.min(charts.paths.length, 10) * 30 + 56)}>
          <PieChart accessibilityLayer={false}>
            <Pie rootTabIndex={-1} data={charts.methods} dataKey="count" nameKey="method" innerRadius="52%" outerRadius="82%" paddingAngle={1} stroke={colors.surface} isAnimationActive={false}>
              {charts.methods.map((m) => (
                <Cell key={m.method} fill={colorOf(m.method)} />
              ))}
            </Pie>
            <Tooltip {...tooltipStyle(colors)} />
            <Legend
              layout="vertical"
              align="right"
              verticalAlign="middle"
              iconType="circle"
              wrapperStyle={{ fontSize: 13, color: colors.text }}
              formatter={(value: string) => {
                const m = charts.methods.find((x) => x.method === value);
                return m ? `${value}  ${m.count.toLocaleString()} · ${share(m.count)}` : value;
              }}
            />
          </PieChart>
        </ResponsiveContainer>
      </div>
      <table className="sr-only">
        <caption>Calls by method</caption>
        <thead>
          <tr>
            <th scope="col">Method</th>
            <th scope="col">Calls</th>
            <th scope="col">Share</th>
          </tr>
        </thead>
        <tbody>
          {charts.methods.map((m) => (
            <tr key={m.method}>
              <th scope="row">{m.method}</th>
              <td>{m.count}</td>
              <td>{share(m.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
