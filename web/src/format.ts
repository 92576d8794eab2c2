/** Formatting shared by the pages. */

/** an ISO time as local YYYY-MM-DD HH:mm:ss */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** an ISO time as its local date YYYY-MM-DD */
export function formatDay(iso: string): string {
  return formatTime(iso).slice(0, 10);
}
