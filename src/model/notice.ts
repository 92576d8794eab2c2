/**
 * A notice (文书) of the register as a document to print: what the notice renderers
 * (src/render/notice.ts) lay out in the official typography. Made from a case by
 * src/register/notices.ts; stored unchanged once issued (src/store/notices.ts).
 *
 * Depends on nothing.
 */

export interface NoticeDocument {
  /** the issuing agency's full name (发文机关), printed above the title */
  agency: string;
  /** e.g. 政府信息公开申请补正告知书 */
  title: string;
  /** 发文字号, e.g. 淮政依申〔2026〕第3号; null on a draft (printed as “（发文时编号）”) */
  number: string | null;
  /** the addressee without the colon, e.g. 张三 (主送: printed flush left followed by “：”) */
  recipient: string;
  /** the body paragraphs, each printed with a first-line indent of two characters */
  paragraphs: string[];
  /** the signature (落款): the agency's name, right-aligned above the date */
  signature: string;
  /** the date of issue, YYYY-MM-DD (printed 2026年12月7日) */
  date: string;
  /** the text marking the place of the seal, e.g. “（印章）”; printed over the signature and date */
  seal: string;
  /** a draft is marked as such (a line “草稿（未发文）” at the top); an issued notice is not */
  draft: boolean;
  /** lines after the date, smaller: 联系人、联系电话、地址 (may be empty) */
  footer: string[];
}

/** YYYY-MM-DD → 2026年12月7日 (the form of a date in official documents: no leading zeros) */
export function chineseDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}
