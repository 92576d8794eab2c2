/**
 * 信息处理费 under 《政府信息公开信息处理费管理办法》(国办函〔2020〕109号, spec §3.6).
 *
 * Two methods, one per application (第三条), both progressive on the excess (超额累进):
 * - 按件 (`perApplication`, 第四条): per applicant per calendar month, cumulative —
 *   1–10 free, 11–30 100 元/件, then bands of 10 applications each 100 元/件 higher
 *   (31–40 200, 41–50 300, …). The band arithmetic above 30 is the spec's reading [M].
 * - 按量 (`perPage`, 第五条): per application — ≤30 pages free, 31–100 10 元/页,
 *   101–200 20 元/页, ≥201 40 元/页.
 *
 * Amounts are whole yuan (every rate is an integer). Pure: no I/O.
 */
import { NianbaoError } from '../model/errors.js';

export type FeeInput =
  | {
      method: 'perApplication';
      /** applications by the same applicant already counted this calendar month (before this one) */
      priorThisMonth: number;
      /** the units this application counts as after splitting under 一事一申请 (第四条), default 1 */
      units?: number;
    }
  | {
      method: 'perPage';
      /** pages of this application */
      pages: number;
    };

export interface FeeBand {
  /** first and last unit of the band (1-based); `to` null = open-ended */
  from: number;
  to: number | null;
  /** 元 per unit in this band */
  rate: number;
  /** units of this application that fall in the band */
  quantity: number;
  amount: number;
}

export interface FeeResult {
  method: FeeInput['method'];
  /** total in 元 */
  amount: number;
  /** the bands this application touches, in order, with their share */
  bands: FeeBand[];
  /** Chinese, one line per band plus the basis */
  explanation: string[];
}

export class FeeError extends NianbaoError {
  constructor(zh: string, en: string) {
    super('bad-fee', zh, en);
    this.name = 'FeeError';
  }
}

/** 按件 rate of the n-th application of the month (1-based) */
export function perApplicationRate(ordinal: number): number {
  if (ordinal <= 10) return 0;
  if (ordinal <= 30) return 100;
  return 100 * (Math.floor((ordinal - 31) / 10) + 2);
}

/** 按量 rate of the n-th page (1-based) */
export function perPageRate(page: number): number {
  if (page <= 30) return 0;
  if (page <= 100) return 10;
  if (page <= 200) return 20;
  return 40;
}

/** band [from, to] of the n-th unit under a method */
function bandOf(method: FeeInput['method'], k: number): [number, number | null] {
  if (method === 'perPage') {
    if (k <= 30) return [1, 30];
    if (k <= 100) return [31, 100];
    if (k <= 200) return [101, 200];
    return [201, null];
  }
  if (k <= 10) return [1, 10];
  if (k <= 30) return [11, 30];
  const lo = 31 + Math.floor((k - 31) / 10) * 10;
  return [lo, lo + 9];
}

function checkCount(value: number, min: number, zh: string, en: string): void {
  if (!Number.isInteger(value) || value < min) {
    throw new FeeError(`${zh}必须是不小于 ${min} 的整数（现为 ${value}）。`, `${en} must be an integer of at least ${min} (got ${value}).`);
  }
}

const BASIS = {
  perApplication:
    '依据：国办函〔2020〕109号第四条，按件计收：同一申请人一个自然月内累计申请 10 件以下（含）不收费，11–30 件（含）100 元/件，30 件以上以 10 件为一档，每增加一档收费标准提高 100 元/件；超额累进。',
  perPage:
    '依据：国办函〔2020〕109号第五条，按量计收：同一申请 30 页以下（含）不收费，31–100 页（含）10 元/页，101–200 页（含）20 元/页，200 页以上 40 元/页；超额累进。',
} as const;

/** the fee of one application, with its band breakdown */
export function computeFee(input: FeeInput): FeeResult {
  let first: number;
  let last: number;
  if (input.method === 'perApplication') {
    checkCount(input.priorThisMonth, 0, '本月此前已申请件数', 'priorThisMonth');
    const units = input.units ?? 1;
    checkCount(units, 1, '件数', 'units');
    first = input.priorThisMonth + 1;
    last = input.priorThisMonth + units;
  } else if (input.method === 'perPage') {
    checkCount(input.pages, 0, '页数', 'pages');
    first = 1;
    last = input.pages;
  } else {
    throw new FeeError('收费方式只能是按件（perApplication）或按量（perPage）。', 'The fee method must be perApplication or perPage.');
  }
  const rate = input.method === 'perPage' ? perPageRate : perApplicationRate;
  const unit = input.method === 'perPage' ? '页' : '件';
  const bands: FeeBand[] = [];
  let k = first;
  while (k <= last) {
    const [from, to] = bandOf(input.method, k);
    const end = to === null ? last : Math.min(to, last);
    const quantity = end - k + 1;
    const r = rate(k);
    bands.push({ from, to, rate: r, quantity, amount: quantity * r });
    k = end + 1;
  }
  const amount = bands.reduce((s, b) => s + b.amount, 0);
  const explanation: string[] = [BASIS[input.method]];
  if (input.method === 'perApplication') {
    explanation.push(`本申请为该申请人本自然月第 ${first}${last > first ? `–${last}` : ''} 件（此前已有 ${input.priorThisMonth} 件）。`);
  } else {
    explanation.push(`本申请共 ${input.pages} 页。`);
  }
  for (const b of bands) {
    const range = b.to === null ? `${b.from} ${unit}以上` : `${b.from}–${b.to} ${unit}`;
    explanation.push(`${range}档：${b.quantity} ${unit} × ${b.rate} 元 = ${b.amount} 元`);
  }
  explanation.push(`合计：${amount} 元。`);
  return { method: input.method, amount, bands, explanation };
}
