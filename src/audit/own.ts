/**
 * A copy of a string that holds nothing else alive. Strings cut from a parsed document are
 * slices of its text (V8 sliced strings): a kept workload name would keep the whole release
 * manifest in memory (measured: 80 MB live at 2000 releases, 15 MB without).
 */
export function own(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}
