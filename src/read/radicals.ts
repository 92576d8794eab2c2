/**
 * Radical code points in place of ideographs. Many PDFs (Chrome's and Skia's
 * print-outs, some Word and WPS exports with certain fonts) map the glyphs of
 * common characters to the Kangxi Radicals (U+2F00–U+2FD5) or CJK Radicals
 * Supplement (U+2E80–U+2EF3) blocks instead of the unified ideographs: 「⼀、总体
 * 情况」, 「⾃然资源」, 「⼈⺠」. They look the same but compare and search as other
 * characters, and text copied out of such PDFs carries them on into web pages
 * and text files. Every reader's output is mapped back: Kangxi radicals by
 * their Unicode compatibility decomposition (NFKC), the supplement by Unicode's
 * equivalent unified ideographs (EquivalentUnifiedIdeograph.txt; the simplified
 * forms that occur in Chinese text). Every mapping is one UTF-16 unit to one,
 * so positions do not move.
 */
import type { Block, DocumentModel } from './document.js';

/** CJK Radicals Supplement → equivalent unified ideograph */
const SUPPLEMENT: Record<number, string> = {
  11905: '厂',
  11908: '乙',
  11909: '亻',
  11910: '冂',
  11911: '几',
  11913: '刂',
  11914: '卜',
  11916: '小',
  11918: '兀',
  11919: '尣',
  11920: '尢',
  11922: '巳',
  11923: '幺',
  11924: '彑',
  11925: '彐',
  11926: '忄',
  11928: '扌',
  11929: '攵',
  11931: '旡',
  11933: '月',
  11934: '歺',
  11935: '母',
  11936: '民',
  11937: '氵',
  11938: '氺',
  11939: '灬',
  11940: '爫',
  11942: '丬',
  11944: '犭',
  11945: '王',
  11946: '疋',
  11947: '罒',
  11948: '示',
  11949: '礻',
  11951: '糹',
  11952: '纟',
  11953: '罓',
  11954: '罒',
  11961: '耂',
  11962: '肀',
  11964: '月',
  11966: '艹',
  11967: '艹',
  11968: '艹',
  11969: '虎',
  11970: '衤',
  11971: '覀',
  11972: '西',
  11973: '见',
  11974: '角',
  11976: '讠',
  11977: '贝',
  11979: '车',
  11980: '辶',
  11981: '辶',
  11982: '辶',
  11983: '阝',
  11984: '钅',
  11985: '長',
  11986: '镸',
  11987: '长',
  11988: '门',
  11990: '阝',
  11991: '雨',
  11992: '青',
  11993: '韦',
  11994: '页',
  11995: '风',
  11996: '飞',
  11997: '食',
  11999: '飠',
  12000: '饣',
  12002: '马',
  12003: '骨',
  12004: '鬼',
  12005: '鱼',
  12006: '鸟',
  12007: '卤',
  12008: '麦',
  12009: '黄',
  12010: '黾',
  12011: '斉',
  12012: '齐',
  12013: '歯',
  12014: '齿',
  12015: '竜',
  12016: '龙',
  12017: '龜',
  12018: '亀',
  12019: '龟',
};

const RADICAL = /[\u2e80-\u2fdf]/;
const RADICALS = /[\u2e80-\u2fdf]/g;

function unify(c: string): string {
  const code = c.charCodeAt(0);
  if (code >= 0x2f00) {
    const n = c.normalize('NFKC');
    return n.length === 1 ? n : c;
  }
  return SUPPLEMENT[code] ?? c;
}

/** does `s` hold a radical code point? */
export function mayHoldRadicals(s: string): boolean {
  return RADICAL.test(s);
}

/** `s` with radical code points replaced by the ideographs they stand for */
export function unifyRadicals(s: string): string {
  return RADICAL.test(s) ? s.replace(RADICALS, unify) : s;
}

function unifyBlock(b: Block): void {
  if (b.type === 'paragraph') {
    b.text = unifyRadicals(b.text);
    return;
  }
  for (const row of b.rows) for (const c of row) c.text = unifyRadicals(c.text);
}

/** the document with radical code points in its text replaced (in place; it is returned) */
export function unifyDocumentRadicals(doc: DocumentModel): DocumentModel {
  for (const b of doc.blocks) unifyBlock(b);
  if (doc.sourceText !== undefined) doc.sourceText = unifyRadicals(doc.sourceText);
  return doc;
}
