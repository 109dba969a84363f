/**
 * The tutorial's sensor readings, made deterministically so the test knows every answer:
 * event i comes from device 1 + (i * 7919) % 1000 with humidity 50.0–89.9 and temperature
 * 50.0–64.9 in steps of 0.1, one minute apart.
 */

export interface Outliers {
  lowHumidity: number;
  highHumidity: number;
  lowTemperature: number;
  highTemperature: number;
  regularHumidity: number;
  regularTemperature: number;
  /** Readings outside either range: device 42's query. */
  outOfRange: number;
}

interface Reading {
  readonly device: number;
  /** Tenths, to compare without float error. */
  readonly humidity: number;
  readonly temperature: number;
  readonly minute: number;
}

function reading(i: number): Reading {
  return {
    device: 1 + ((i * 7919) % 1000),
    humidity: 500 + ((i * 37) % 400),
    temperature: 500 + ((i * 53) % 150),
    minute: i,
  };
}

/** The COPY text of `count` events: device_id, payload, created_at. */
export function eventRows(count: number): string {
  const lines: string[] = [];
  const start = Date.UTC(2022, 11, 21, 13, 31);
  for (let i = 1; i <= count; i++) {
    const r = reading(i);
    const at = new Date(start - r.minute * 60_000).toISOString().replace("T", " ");
    lines.push(`${r.device}\t{"humidity": ${tenths(r.humidity)}, "temperature": ` +
      `${tenths(r.temperature)}}\t${at.replace("Z", "+00")}`);
  }
  return lines.join("\n") + "\n";
}

/** The outliers query's counts per device. */
export function expectedOutliers(count: number): Map<number, Outliers> {
  const out = new Map<number, Outliers>();
  for (let i = 1; i <= count; i++) {
    const r = reading(i);
    const o = out.get(r.device) ?? { lowHumidity: 0, highHumidity: 0, lowTemperature: 0,
      highTemperature: 0, regularHumidity: 0, regularTemperature: 0, outOfRange: 0 };
    if (r.humidity < 600) o.lowHumidity++;
    if (r.humidity > 700) o.highHumidity++;
    if (r.temperature < 550) o.lowTemperature++;
    if (r.temperature > 600) o.highTemperature++;
    const humidityOk = r.humidity >= 600 && r.humidity <= 700;
    const temperatureOk = r.temperature >= 550 && r.temperature <= 600;
    if (humidityOk) o.regularHumidity++;
    if (temperatureOk) o.regularTemperature++;
    if (!humidityOk || !temperatureOk) o.outOfRange++;
    out.set(r.device, o);
  }
  return out;
}

function tenths(n: number): string {
  return `${Math.floor(n / 10)}.${n % 10}`;
}
