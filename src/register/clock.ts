/**
 * Today's date for the register: deadlines are counted and "after today" is judged in the agency's
 * time zone, which for every Chinese administrative body is China Standard Time. `NIANBAO_TZ`
 * overrides the zone; `NIANBAO_TODAY=YYYY-MM-DD` fixes the date (training, demonstrations, tests).
 */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const formats = new Map<string, Intl.DateTimeFormat>();

/** YYYY-MM-DD of `d` in the time zone */
export function dateIn(d: Date, timeZone: string): string {
  // a DateTimeFormat costs far more to make than to use: one per zone
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, f);
  }
  const parts = f.formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** today in the configured zone, or NIANBAO_TODAY when it is set to a valid date */
export function registerToday(env: NodeJS.ProcessEnv = process.env, now: Date = new Date()): string {
  const fixed = env.NIANBAO_TODAY?.trim();
  if (fixed) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(fixed);
    const t = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
    if (!t || t.toISOString().slice(0, 10) !== fixed) {
      throw new Error(`NIANBAO_TODAY=“${fixed}”不是 YYYY-MM-DD 格式的真实日期 / NIANBAO_TODAY is not a real YYYY-MM-DD date`);
    }
    return fixed;
  }
  return dateIn(now, env.NIANBAO_TZ || DEFAULT_TIME_ZONE);
}
