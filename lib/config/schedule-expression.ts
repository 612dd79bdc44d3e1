/** A value that keeps its rule, or why it does not. */
type Parsed<T> = { readonly value: T } | { readonly problem: string };

/** The `rate(...)` units EventBridge Scheduler takes: the singular for 1, the plural otherwise. */
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const CRON = /^cron\((.*)\)$/;

/**
 * The cron grammar EventBridge Scheduler shares with EventBridge rules (six fields, `?` in
 * exactly one of day-of-month and day-of-week, `L`, `W`, `#`, names, years 1970-2199), as
 * cron-validate's `aws-cloud-watch` preset checks it. Loaded only when a cron expression is
 * configured: it costs a tenth of a second.
 */
function cronProblem(fields: string): string | undefined {
  const validate = (require('cron-validate') as typeof import('cron-validate')).default;
  const result = validate(fields, { preset: 'aws-cloud-watch' });
  if (result.isValid()) return undefined;
  return result
    .getError()
    .map((error) => error.replace(/ \(Input cron: '.*'\)$/, ''))
    .filter((error, i, all) => all.indexOf(error) === i)
    .join('; ');
}

/**
 * An EventBridge Scheduler expression: `cron(<6 fields>)`, `rate(<value> <unit>)` or
 * `at(<yyyy-mm-ddThh:mm:ss>)`, each checked as Scheduler defines it.
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */
export function scheduleExpression(raw: unknown): Parsed<string> {
  const example = 'such as "cron(0 3 * * ? *)", "rate(1 day)" or "at(2027-01-31T09:00:00)"';
  if (typeof raw !== 'string') return { problem: `"expression" must be a schedule expression ${example}, got ${JSON.stringify(raw)}` };
  const cron = CRON.exec(raw);
  if (cron) {
    const problem = cronProblem(cron[1]);
    return problem ? { problem: `"expression" ${JSON.stringify(raw)} is not a cron expression as EventBridge Scheduler reads one (minutes hours day-of-month month day-of-week year, "?" in one day field): ${problem}` } : { value: raw };
  }
  const rate = RATE.exec(raw);
  if (rate) {
    const value = Number(rate[1]);
    const singular = rate[2].endsWith('s') ? rate[2].slice(0, -1) : rate[2];
    if (value < 1) return { problem: `"expression" ${JSON.stringify(raw)}: a rate must be at least 1` };
    const unit = value === 1 ? singular : `${singular}s`;
    return unit === rate[2] ? { value: raw } : { problem: `"expression" ${JSON.stringify(raw)}: write "rate(${value} ${unit})", the unit ${value === 1 ? 'singular for 1' : 'plural for more than 1'}` };
  }
  const at = AT.exec(raw);
  if (at) {
    const [year, month, day, hour, minute, second] = at.slice(1).map(Number);
    const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
    const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second;
    return real ? { value: raw } : { problem: `"expression" ${JSON.stringify(raw)} is not a real date and time` };
  }
  return { problem: `"expression" must be a schedule expression ${example}, got ${JSON.stringify(raw)}` };
}
