/** A small dependency-free SVG chart: throughput and peak RSS against file size, one line per case. */
interface Point {
  size: number;
  case: string;
  mibPerSecond: number;
  peakRssMB: number;
}

const COLORS: Record<string, string> = {
  'sdk-multipart': '#555',
  'sdk-put-object': '#aaa',
  app: '#2f6fed',
  'multer-memory': '#c8372d',
  'multer-s3': '#1f8a4c',
};

export function renderChart(rows: Point[], machine: string): string {
  const sizes = [...new Set(rows.map((r) => r.size))].sort((a, b) => a - b);
  const cases = [...new Set(rows.map((r) => r.case))];
  const panel = (x0: number, title: string, value: (r: Point) => number, unit: string, logY: boolean) => {
    const w = 380;
    const h = 240;
    const max = Math.max(...rows.map(value)) * 1.1;
    const min = logY ? Math.max(1, Math.min(...rows.map(value)) / 1.5) : 0;
    const sx = (s: number) => x0 + 50 + (sizes.indexOf(s) / Math.max(1, sizes.length - 1)) * (w - 70);
    const sy = (v: number) =>
      logY ? 40 + h - ((Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))) * h : 40 + h - (v / max) * h;
    const ticks = logY
      ? [1, 10, 100, 1000, 10000].filter((t) => t >= min && t <= max)
      : [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(max * f));
    const parts = [
      `<text x="${x0 + w / 2}" y="24" text-anchor="middle" font-size="14" font-weight="600">${title}</text>`,
      `<line x1="${x0 + 50}" y1="${40 + h}" x2="${x0 + w - 20}" y2="${40 + h}" stroke="#999"/>`,
      `<line x1="${x0 + 50}" y1="40" x2="${x0 + 50}" y2="${40 + h}" stroke="#999"/>`,
      ...ticks.map(
        (t) =>
          `<text x="${x0 + 44}" y="${sy(t) + 4}" text-anchor="end" font-size="10">${t}</text><line x1="${x0 + 50}" y1="${sy(t)}" x2="${x0 + w - 20}" y2="${sy(t)}" stroke="#eee"/>`,
      ),
      ...sizes.map(
        (s) =>
          `<text x="${sx(s)}" y="${40 + h + 16}" text-anchor="middle" font-size="10">${s >= 1024 ? `${s / 1024} GiB` : `${s} MiB`}</text>`,
      ),
      `<text x="${x0 + 12}" y="${40 + h / 2}" font-size="10" transform="rotate(-90 ${x0 + 12} ${40 + h / 2})" text-anchor="middle">${unit}</text>`,
    ];
    for (const c of cases) {
      const pts = sizes
        .map((s) => rows.find((r) => r.case === c && r.size === s)!)
        .map((r) => `${sx(r.size).toFixed(1)},${sy(value(r)).toFixed(1)}`);
      parts.push(`<polyline fill="none" stroke="${COLORS[c] ?? '#000'}" stroke-width="2" points="${pts.join(' ')}"/>`);
      parts.push(...pts.map((p) => `<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="3" fill="${COLORS[c] ?? '#000'}"/>`));
    }
    return parts.join('\n');
  };
  const legend = cases.map(
    (c, i) =>
      `<rect x="${40 + i * 150}" y="318" width="12" height="12" fill="${COLORS[c] ?? '#000'}"/><text x="${58 + i * 150}" y="328" font-size="12">${c}</text>`,
  );
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="360" font-family="system-ui, sans-serif">',
    '<rect width="800" height="360" fill="#fff"/>',
    panel(0, 'Throughput (MiB/s)', (r) => r.mibPerSecond, 'MiB/s', false),
    panel(400, 'Peak RSS of the uploading process (MB, log)', (r) => r.peakRssMB, 'MB', true),
    ...legend,
    `<text x="400" y="352" text-anchor="middle" font-size="10" fill="#666">${machine.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
