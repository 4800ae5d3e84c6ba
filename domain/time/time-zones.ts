/**
 * IANA time zones as known to the runtime's ICU data, including aliases such
 * as "US/Eastern" (Intl resolves them) but not fixed offsets like "+02:00":
 * a customer's billing day must follow the zone's DST rules.
 */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
