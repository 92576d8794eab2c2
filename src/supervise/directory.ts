/**
 * The directory of bodies that must report, indexed for matching a report to its body.
 *
 * {@link DirectoryIndex} is built once from `Body[]` in time linear in the directory (times the
 * depth of the tree, at most a handful of tiers) and answers:
 *
 * - `match(name, hints)`: the bodies a report's name (or file name, or credit code) points at,
 *   best first, at most 5, each with a confidence 0–1 and a reason in Chinese. The rules:
 *   - the exact name → 1 (名称完全一致);
 *   - a valid 统一社会信用代码 in the hints belonging to a body → 1 (统一社会信用代码一致); when the
 *     name points elsewhere that body gets 0.8 and the name's candidates at most 0.85;
 *   - a current alias → 0.97 (别名);
 *   - a former name → 0.95 when it was used until the report's year or later (or no year is
 *     given), 0.75 when used after its `until` year (曾用名（至2023年）);
 *   - the name with region prefixes of the body's ancestors added (江苏省淮安市洪泽区人民政府 for
 *     洪泽区人民政府 under 淮安市人民政府 under 江苏省人民政府; the province may also be one the
 *     directory does not hold, checked against the region codes) → 0.95 (含上级区划前缀); the
 *     directory's name with such a prefix and the report's without (洪泽区教育局 for 淮安市洪泽区教育局)
 *     → 0.95 (省略上级区划前缀); the report's name without even the body's own region (教育局 for
 *     洪泽区教育局) → 0.85 (省略本级区划名称), and not at all when the report's name gives other regions
 *     instead (淮安市教育局 is not 洪泽区教育局);
 *   - two or more bodies matched at 0.85 or more by the rules above → each at most 0.6
 *     (同名机关不止一个), unless the credit code, or a region code in the hints equal to the region
 *     code of exactly one of them (its own or its nearest ancestor's), singles one out;
 *   - a near name (Dice similarity of character bigrams ≥ 0.8, one character inserted, deleted or
 *     replaced, or one name contained in the other) → 0.5–0.85 by similarity (名称相近（相似度0.86）);
 *   - no name: the file name, cleaned of its extension, years and words such as
 *     政府信息公开工作年度报告, is matched by the same rules, at most 0.85 (按文件名);
 *   - a body not required to report in `year` (activeFrom/activeUntil) → at most 0.6;
 *   - a region code in the hints that neither contains nor lies in the body's → at most 0.7
 *     (行政区划代码不一致).
 *   Near-name search uses a bigram → keys inverted index, visiting the rarest bigrams of the query
 *   first and at most {@link NEAR_BUDGET} postings, so a query costs a bounded amount of work
 *   whatever the size of the directory (`lastMatchWork` counts it).
 * - `ancestors`, `subtree`, `childrenOf`: the tree, in time proportional to the answer.
 */
import { similarity } from '../util/normalize.js';
import { PROVINCES, regionContains, validateCreditCode, validateRegionCode } from './codes.js';
import type { Body, MatchCandidate } from './types.js';

/** the list kept under `key` in `map`, created empty when there is none */
function listIn<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) {
    list = [];
    map.set(key, list);
  }
  return list;
}

/**
 * the most substring look-ups, and the most postings, one near-name search looks at (and twice as
 * many keys verified): the work of a query is bounded whatever the size of the directory
 */
export const NEAR_BUDGET = 2000;
/** at most this many candidates are returned */
const MAX_CANDIDATES = 5;
/** names longer than this are cut before matching (titles pasted as names) */
const MAX_QUERY = 64;

/** `(本级)`-like qualifiers written after a name in directories and reports */
const TRAILING_QUALIFIER = /\((?:机关本级|部门本级|本级机关|本级|本部|机关)\)$/;

/**
 * A name in the form used for comparing names:
 * - Unicode NFKC (full-width letters, digits and brackets become ASCII: （ → (, ［ → [);
 * - every whitespace character removed (also U+3000, no-break and zero-width spaces, BOM);
 * - all brackets made round: 〔〕【】[] → ();
 * - a trailing qualifier “(本级)”, “(本部)”, “(机关)”, “(机关本级)”, “(部门本级)”, “(本级机关)” removed.
 * Letters keep their case; other punctuation is kept.
 */
export function normaliseName(s: string): string {
  let t = s.normalize('NFKC');
  t = t.replace(/[\s\u00a0\u3000\u200b-\u200d\u2060\ufeff]+/g, '');
  t = t.replace(/[[〔【]/g, '(').replace(/[\]〕】]/g, ')');
  for (let i = 0; i < 3 && TRAILING_QUALIFIER.test(t); i++) t = t.replace(TRAILING_QUALIFIER, '');
  return t;
}

/** suffixes that make a region's name the name of its government, longest first */
const GOVERNMENT_SUFFIXES = ['人民政府', '街道办事处', '管理委员会', '行政公署', '办事处', '管委会'];

/**
 * The name of a government's region: its normalised name without 人民政府 / 街道办事处 /
 * 管理委员会 / 管委会 / 行政公署 / 办事处 (淮安市人民政府 → 淮安市, 清江浦区人民政府 → 清江浦区,
 * 淮安经济技术开发区管委会 → 淮安经济技术开发区). A government whose name has none of these (清河街道)
 * is its own region name. Null for a department and for a national body (国务院 has no region).
 */
export function regionNameOf(body: Pick<Body, 'name' | 'kind' | 'tier'>): string | null {
  if (body.kind !== 'government' || body.tier === 'national') return null;
  const n = normaliseName(body.name);
  for (const suffix of GOVERNMENT_SUFFIXES) {
    if (n.endsWith(suffix) && n.length > suffix.length) return n.slice(0, -suffix.length);
  }
  return n.length > 0 ? n : null;
}

/** shorter forms a region is also written with: 江苏省 → 江苏, 淮安市 → 淮安, 广西壮族自治区 → 广西 */
function shortForms(region: string): string[] {
  const out: string[] = [];
  const m = /^(.{2,}?)(?:壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省|市)$/.exec(region);
  if (m && m[1] !== region) out.push(m[1]);
  return out;
}

/** the built-in province names (full and short) → their two-digit prefix */
const PROVINCE_NAMES: Map<string, string> = (() => {
  const m = new Map<string, string>();
  for (const [code, name] of Object.entries(PROVINCES)) {
    m.set(name, code);
    for (const s of shortForms(name)) m.set(s, code);
  }
  return m;
})();

const EMPTY: ReadonlySet<string> = new Set<string>();

/** how a key was derived from a body's name or alias */
interface KeyEntry {
  bodyId: number;
  kind: 'name' | 'alias' | 'former';
  until: number | null;
  /** the alias as written (for the reason) */
  source: string;
  /** the directory's form had ancestor region prefixes removed to give this key */
  stripped: boolean;
  /** the key no longer names the body's own region (教育局 from 洪泽区教育局) */
  bare: boolean;
}

/** a key for near-name search */
interface NearKey {
  key: string;
  entry: KeyEntry;
}

export interface MatchHints {
  creditCode?: string | null;
  regionCode?: string | null;
  year?: number | null;
  fileName?: string | null;
}

interface Candidate {
  bodyId: number;
  confidence: number;
  reason: string;
  /** matched by name, alias or region prefixes (not a near name, not the file name) */
  byKey: boolean;
}

function bigrams(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length - 1; i++) out.push(s.slice(i, i + 2));
  return out;
}

/** one character inserted, deleted or replaced (not equal) */
function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  if (a.length === b.length) {
    let diff = 0;
    for (let i = 0; i < a.length && diff < 2; i++) if (a[i] !== b[i]) diff++;
    return diff === 1;
  }
  const [s, l] = a.length < b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < s.length && s[i] === l[i]) i++;
  return s.slice(i) === l.slice(i + 1);
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

const FILE_NAME_WORDS =
  /政府信息公开工作年度报告|政府信息公开年度报告|政府信息公开工作报告|信息公开工作年度报告|信息公开年度报告|政务公开工作年度报告|工作年度报告|年度报告|年报|工作报告|报告/g;

/**
 * The body's name in a report's file name: the directory and extension dropped, years
 * (2023年, 2023年度, (2023), 2023) and 政府信息公开工作年度报告-like words removed, and separators
 * (_ - · . spaces, 关于, 的) around them trimmed. '' when nothing is left.
 */
export function nameFromFileName(fileName: string): string {
  let t = fileName.replace(/^.*[\\/]/, '').replace(/\.[A-Za-z0-9]{1,5}$/, '');
  t = normaliseName(t);
  t = t.replace(FILE_NAME_WORDS, '');
  t = t.replace(/(?:19|20)\d{2}\s*年?度?/g, '');
  t = t.replace(/\(\)/g, '');
  t = t.replace(/^[-_.·、,，:：]+|[-_.·、,，:：]+$/g, '');
  t = t.replace(/^关于/, '').replace(/的$/, '');
  return t;
}

export class DirectoryIndex {
  private readonly bodies = new Map<number, Body>();
  private readonly children = new Map<number, number[]>();
  private readonly roots: number[] = [];
  private readonly keys = new Map<string, KeyEntry[]>();
  /** the keys added, per body and kind (each once) */
  private readonly keyIds = new Set<string>();
  private readonly byCredit = new Map<string, number>();
  /** region names (and short forms) of the directory's governments */
  private readonly regionNames = new Set<string>();
  /** per body: the region names (and short forms) of its ancestor governments */
  private readonly ancestorRegions = new Map<number, ReadonlySet<string>>();
  /** per government: the ancestor regions of its children (one set shared by them) */
  private readonly childRegions = new Map<number, ReadonlySet<string>>();
  /** per body: its own region's names (a government's; a department's nearest government's) */
  private readonly ownRegions = new Map<number, ReadonlySet<string>>();
  /** per body: the nearest region code (its own or its nearest ancestor's) */
  private readonly effectiveRegion = new Map<number, string | null>();
  private readonly nearKeys: NearKey[] = [];
  private readonly nearGrams = new Map<string, number[]>();
  private readonly nearExact = new Map<string, number[]>();
  private longestRegionName = 0;
  /** postings visited and keys verified by the last `match` (for tests: bounded) */
  lastMatchWork = 0;

  constructor(bodies: readonly Body[]) {
    for (const b of bodies) this.bodies.set(b.id, b);
    for (const b of bodies) {
      if (b.parentId !== null && this.bodies.has(b.parentId) && b.parentId !== b.id) {
        const list = listIn(this.children, b.parentId);
        list.push(b.id);
      } else this.roots.push(b.id);
      const code = b.creditCode ? validateCreditCode(b.creditCode) : null;
      if (code?.ok && !this.byCredit.has(code.normalised)) this.byCredit.set(code.normalised, b.id);
    }
    for (const b of bodies) this.regionsOf(b.id);
    for (const b of bodies) this.addKeys(b);
  }

  /** number of bodies */
  get size(): number {
    return this.bodies.size;
  }

  get(id: number): Body | undefined {
    return this.bodies.get(id);
  }

  /** the ids of the body's children, in directory order */
  childrenOf(id: number): number[] {
    return [...(this.children.get(id) ?? [])];
  }

  /** the ids of the bodies without a parent in the directory, in directory order */
  rootIds(): number[] {
    return [...this.roots];
  }

  /** the ids of the body's ancestors, its parent first and the root last ([] for a root or an unknown id) */
  ancestors(bodyId: number): number[] {
    const out: number[] = [];
    const seen = new Set<number>([bodyId]);
    let p = this.bodies.get(bodyId)?.parentId ?? null;
    while (p !== null && this.bodies.has(p) && !seen.has(p)) {
      out.push(p);
      seen.add(p);
      p = this.bodies.get(p)!.parentId;
    }
    return out;
  }

  /** the ids of the body and all its descendants, the body first, depth first in directory order */
  subtree(bodyId: number): number[] {
    if (!this.bodies.has(bodyId)) return [];
    const out: number[] = [];
    const seen = new Set<number>();
    const stack = [bodyId];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(id);
      const kids = this.children.get(id);
      if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
    }
    return out;
  }

  /**
   * Fills ancestorRegions, ownRegions and effectiveRegion of `id` (and of its ancestors), memoised;
   * a cycle in the parent links is cut where it closes.
   */
  /** the ancestor regions of `p`'s children: p's own and p's region name (shared by all the children) */
  private regionsBelow(p: Body): ReadonlySet<string> {
    const cached = this.childRegions.get(p.id);
    if (cached) return cached;
    const above = this.ancestorRegions.get(p.id) ?? EMPTY;
    const pr = regionNameOf(p);
    const regions = pr ? new Set([...above, pr, ...shortForms(pr)]) : above;
    this.childRegions.set(p.id, regions);
    return regions;
  }

  private regionsOf(id: number): ReadonlySet<string> {
    const done = this.ancestorRegions.get(id);
    if (done) return done;
    // walk up to the first ancestor already computed (or the root), then fill downwards
    const chain: number[] = [];
    const onChain = new Set<number>();
    let cur: number | null = id;
    while (cur !== null && this.bodies.has(cur) && !this.ancestorRegions.has(cur) && !onChain.has(cur)) {
      chain.push(cur);
      onChain.add(cur);
      cur = this.bodies.get(cur)!.parentId;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const b = this.bodies.get(chain[i])!;
      // the parent: the next on the chain, or the ancestor computed before; none at a root or where a cycle closes
      const p = i + 1 < chain.length ? this.bodies.get(chain[i + 1]) : cur !== null && !onChain.has(cur) ? this.bodies.get(cur) : undefined;
      let regions = EMPTY;
      let own = EMPTY;
      let effective: string | null = b.regionCode && validateRegionCode(b.regionCode).ok ? b.regionCode.trim() : null;
      if (p && this.ancestorRegions.has(p.id)) {
        regions = this.regionsBelow(p);
        own = this.ownRegions.get(p.id) ?? EMPTY;
        if (effective === null) effective = this.effectiveRegion.get(p.id) ?? null;
      }
      const mine = regionNameOf(b);
      if (mine) {
        own = new Set([mine, ...shortForms(mine)]);
        for (const r of own) {
          this.regionNames.add(r);
          this.longestRegionName = Math.max(this.longestRegionName, r.length);
        }
      } else if (b.kind === 'government') own = EMPTY;
      this.ancestorRegions.set(b.id, regions);
      this.ownRegions.set(b.id, own);
      this.effectiveRegion.set(b.id, effective);
    }
    return this.ancestorRegions.get(id) ?? EMPTY;
  }

  private addKey(key: string, entry: KeyEntry): void {
    if (key.length === 0) return;
    const id = `${entry.bodyId}|${entry.kind}|${entry.bare}|${entry.stripped}|${key}`;
    if (this.keyIds.has(id)) return;
    this.keyIds.add(id);
    listIn(this.keys, key).push(entry);
    if (entry.bare) return;
    // near-name index: names, aliases and their prefixed or unprefixed forms, not the bare ones
    const index = this.nearKeys.length;
    this.nearKeys.push({ key, entry });
    const exact = listIn(this.nearExact, key);
    exact.push(index);
    for (const g of new Set(bigrams(key))) {
      const posting = listIn(this.nearGrams, g);
      posting.push(index);
    }
  }

  private addKeys(b: Body): void {
    const ancestors = this.ancestorRegions.get(b.id) ?? EMPTY;
    const own = b.kind === 'government' ? EMPTY : (this.ownRegions.get(b.id) ?? EMPTY);
    const forms: { name: string; kind: KeyEntry['kind']; until: number | null }[] = [
      { name: b.name, kind: 'name', until: null },
      ...b.aliases.map((a) => ({ name: a.name, kind: a.kind, until: a.until ?? null })),
    ];
    for (const f of forms) {
      let cur = normaliseName(f.name);
      const entry = (stripped: boolean, bare: boolean): KeyEntry => ({
        bodyId: b.id,
        kind: f.kind,
        until: f.until,
        source: f.name,
        stripped,
        bare,
      });
      this.addKey(cur, entry(false, false));
      let bare = false;
      // strip ancestors' region names from the front, longest first, as long as something is left
      for (let guard = 0; guard < 8; guard++) {
        let cut = 0;
        for (let len = Math.min(this.longestRegionName, cur.length - 2); len >= 2; len--) {
          if (ancestors.has(cur.slice(0, len))) {
            cut = len;
            break;
          }
        }
        if (cut === 0) break;
        if (own.has(cur.slice(0, cut))) bare = true;
        cur = cur.slice(cut);
        this.addKey(cur, entry(true, bare));
      }
    }
  }

  /** is `region` (a name stripped from the front of a report's name) one of the body's ancestors' regions? */
  private consistent(bodyId: number, regions: readonly string[]): boolean {
    const ancestors = this.ancestorRegions.get(bodyId);
    for (const r of regions) {
      if (ancestors?.has(r)) continue;
      if (this.regionNames.has(r)) return false;
      // a province the directory does not hold: its code must agree with the body's region code
      const province = PROVINCE_NAMES.get(r);
      if (!province) return false;
      const effective = this.effectiveRegion.get(bodyId);
      if (effective && !effective.startsWith(province)) return false;
    }
    return true;
  }

  /**
   * The ways of reading `q` as region names followed by a remainder: the remainder and the region
   * names removed, at most 32 readings.
   */
  private readings(q: string): { rest: string; regions: string[] }[] {
    const out: { rest: string; regions: string[] }[] = [];
    const queue: { pos: number; regions: string[] }[] = [{ pos: 0, regions: [] }];
    const maxLen = Math.max(this.longestRegionName, 8);
    while (queue.length > 0 && out.length < 32) {
      const s = queue.shift()!;
      out.push({ rest: q.slice(s.pos), regions: s.regions });
      for (let len = 2; len <= maxLen && s.pos + len < q.length - 1; len++) {
        const prefix = q.slice(s.pos, s.pos + len);
        if (this.regionNames.has(prefix) || PROVINCE_NAMES.has(prefix)) queue.push({ pos: s.pos + len, regions: [...s.regions, prefix] });
      }
    }
    return out;
  }

  /** candidates from the name, aliases and region prefixes (per body, the best) */
  private keyMatches(q: string, year: number | null): Map<number, Candidate> {
    const out = new Map<number, Candidate>();
    for (const { rest, regions } of this.readings(q)) {
      const entries = this.keys.get(rest);
      if (!entries) continue;
      for (const e of entries) {
        if (regions.length > 0 && !this.consistent(e.bodyId, regions)) continue;
        let confidence: number;
        let reason: string;
        if (e.kind === 'name') {
          confidence = 1;
          reason = '名称完全一致';
        } else if (e.kind === 'alias') {
          confidence = 0.97;
          reason = `别名（${e.source}）`;
        } else {
          const late = year !== null && e.until !== null && year > e.until;
          confidence = late ? 0.75 : 0.95;
          reason = e.until !== null ? `曾用名（至${e.until}年）` : '曾用名';
          if (late) reason += `，${year}年已不再使用`;
        }
        const own = this.ownRegions.get(e.bodyId);
        const bare = e.bare && !regions.some((r) => own?.has(r));
        // a name that gives regions but not the body's own (淮安市教育局 for 洪泽区教育局) is another body's
        if (bare && regions.length > 0) continue;
        if (bare) {
          confidence = Math.min(confidence, 0.85);
          reason = e.kind === 'name' ? '省略本级区划名称' : `${reason}，省略本级区划名称`;
        } else if (regions.length > 0 || e.stripped) {
          confidence = Math.min(confidence, 0.95);
          const how = regions.length > 0 ? '含上级区划前缀' : '省略上级区划前缀';
          reason = e.kind === 'name' ? how : `${reason}，${how}`;
        }
        const prev = out.get(e.bodyId);
        if (!prev || prev.confidence < confidence) out.set(e.bodyId, { bodyId: e.bodyId, confidence, reason, byKey: true });
      }
    }
    return out;
  }

  /** near names: bounded search through the bigram index, rarest bigrams first */
  private nearMatches(q: string, out: Map<number, Candidate>): void {
    if (q.length < 2) return;
    const seen = new Set<number>();
    // names contained in the query: a bounded number of substring look-ups
    let lookups = 0;
    const minSub = Math.max(3, Math.ceil(q.length / 2));
    for (let len = q.length - 1; len >= minSub && lookups < NEAR_BUDGET; len--) {
      for (let i = 0; i + len <= q.length && lookups < NEAR_BUDGET; i++) {
        lookups++;
        for (const index of this.nearExact.get(q.slice(i, i + len)) ?? []) {
          if (++lookups > NEAR_BUDGET) break;
          seen.add(index);
        }
      }
    }
    const grams = [...new Set(bigrams(q))].sort((a, b) => (this.nearGrams.get(a)?.length ?? 0) - (this.nearGrams.get(b)?.length ?? 0));
    // a key with Dice ≥ 0.8 shares ≥ 2/3 of the query's bigrams, one a character away all but 2,
    // one containing the query all: it is in the postings of one of the rarest `prefix` bigrams
    const prefix = Math.min(grams.length, Math.max(3, grams.length - Math.ceil((2 * grams.length) / 3) + 1));
    let postings = 0;
    outer: for (let g = 0; g < prefix; g++) {
      for (const index of this.nearGrams.get(grams[g]) ?? []) {
        if (++postings > NEAR_BUDGET) break outer;
        seen.add(index);
      }
    }
    let verified = 0;
    for (const index of seen) {
      if (++verified > 2 * NEAR_BUDGET) break;
      const { key, entry } = this.nearKeys[index];
      if (key === q) continue;
      const dice = similarity(q, key);
      let score = dice >= 0.8 ? dice : 0;
      if (oneEditApart(q, key)) score = Math.max(score, dice, 1 - 1 / Math.max(q.length, key.length));
      const [short, long] = q.length < key.length ? [q, key] : [key, q];
      if (short.length >= 3 && long.includes(short)) score = Math.max(score, dice, short.length / long.length);
      if (score < 0.5) continue;
      const confidence = round2(Math.min(0.85, Math.max(0.5, 0.5 + (score - 0.5) * 0.7)));
      const prev = out.get(entry.bodyId);
      if (!prev || prev.confidence < confidence) {
        out.set(entry.bodyId, { bodyId: entry.bodyId, confidence, reason: `名称相近（相似度${score.toFixed(2)}）`, byKey: false });
      }
    }
    this.lastMatchWork += lookups + postings + verified;
  }

  private matchName(q: string, year: number | null): Map<number, Candidate> {
    const found = this.keyMatches(q, year);
    let best = 0;
    for (const c of found.values()) best = Math.max(best, c.confidence);
    if (best < 0.9) this.nearMatches(q, found);
    return found;
  }

  private isActive(b: Body, year: number): boolean {
    return (b.activeFrom === null || b.activeFrom <= year) && (b.activeUntil === null || b.activeUntil >= year);
  }

  /**
   * How the body's region code (its own or its nearest ancestor's) relates to `code`: 'same' (equal,
   * 12-digit forms of a 6-digit code too), 'related' (one contains the other), 'other', or null when
   * the body has none
   */
  private regionRelation(bodyId: number, code: string): 'same' | 'related' | 'other' | null {
    const effective = this.effectiveRegion.get(bodyId);
    if (!effective) return null;
    const a = regionContains(effective, code);
    const b = regionContains(code, effective);
    if (a && b) return 'same';
    return a || b ? 'related' : 'other';
  }

  /**
   * The bodies `name` (a report's agency name) may be, best first, at most 5. See the module's
   * comment for the rules. `hints.year` is the report's year; `hints.fileName` is used when
   * `name` is null or blank.
   */
  match(name: string | null, hints: MatchHints = {}): MatchCandidate[] {
    this.lastMatchWork = 0;
    const year = hints.year ?? null;
    const q = name === null ? '' : normaliseName(name).slice(0, MAX_QUERY);
    let cands: Map<number, Candidate>;
    if (q.length > 0) cands = this.matchName(q, year);
    else {
      cands = new Map();
      const fromFile = hints.fileName ? nameFromFileName(hints.fileName).slice(0, MAX_QUERY) : '';
      if (fromFile.length > 0) {
        for (const c of this.matchName(fromFile, year).values()) {
          cands.set(c.bodyId, { ...c, confidence: Math.min(c.confidence, 0.85), reason: `按文件名：${c.reason}` });
        }
      }
    }

    // the credit code
    const credit = hints.creditCode ? validateCreditCode(hints.creditCode) : null;
    const creditBody = credit?.ok ? this.byCredit.get(credit.normalised) : undefined;
    if (creditBody !== undefined) {
      const byName = cands.get(creditBody);
      const nameAgrees = q.length === 0 || (byName?.byKey === true && byName.confidence >= 0.85);
      if (nameAgrees) {
        cands.set(creditBody, {
          bodyId: creditBody,
          confidence: 1,
          reason: byName ? `统一社会信用代码一致；${byName.reason}` : '统一社会信用代码一致',
          byKey: true,
        });
      } else {
        cands.set(creditBody, {
          bodyId: creditBody,
          confidence: 0.8,
          reason: `统一社会信用代码一致，但名称不同（报告为“${name}”）`,
          byKey: false,
        });
        for (const c of cands.values()) {
          if (c.bodyId !== creditBody && c.confidence > 0.85) {
            c.confidence = 0.85;
            c.reason += '；统一社会信用代码属于另一机关';
          }
        }
      }
    }

    // bodies not reporting that year
    if (year !== null) {
      for (const c of cands.values()) {
        const b = this.bodies.get(c.bodyId)!;
        if (!this.isActive(b, year) && c.confidence > 0.6) {
          c.confidence = 0.6;
          c.reason += `；${year}年不在应报告期内`;
        }
      }
    }

    // the region code
    const region = hints.regionCode && validateRegionCode(hints.regionCode).ok ? hints.regionCode.trim() : null;

    // the same name for several bodies
    const strong = [...cands.values()].filter((c) => c.byKey && c.confidence >= 0.85);
    if (strong.length > 1) {
      let chosen: Candidate | null = null;
      if (creditBody !== undefined) chosen = strong.find((c) => c.bodyId === creditBody) ?? null;
      if (!chosen && region) {
        const agreeing = strong.filter((c) => this.regionRelation(c.bodyId, region) === 'same');
        if (agreeing.length === 1) {
          chosen = agreeing[0];
          chosen.reason += '；同名机关不止一个，按行政区划代码区分';
        }
      }
      for (const c of strong) {
        if (c === chosen) continue;
        c.confidence = Math.min(c.confidence, 0.6);
        c.reason += '；同名机关不止一个';
      }
    }
    if (region) {
      for (const c of cands.values()) {
        if (c.confidence > 0.7 && c.bodyId !== creditBody && this.regionRelation(c.bodyId, region) === 'other') {
          c.confidence = 0.7;
          c.reason += '；行政区划代码不一致';
        }
      }
    }

    return [...cands.values()]
      .map((c) => ({ bodyId: c.bodyId, name: this.bodies.get(c.bodyId)!.name, confidence: round2(c.confidence), reason: c.reason }))
      .sort((a, b) => b.confidence - a.confidence || a.name.length - b.name.length || a.bodyId - b.bodyId)
      .slice(0, MAX_CANDIDATES);
  }
}
