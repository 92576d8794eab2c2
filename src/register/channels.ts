/**
 * The receipt channels of 第三十一条 and their labels: pure data, shared by the register
 * (src/register/case.ts), the CLI and the web app (which cannot load case.ts: it reads the
 * holiday calendar from disk).
 */
/**
 * 第三十一条 channels:
 * inPerson 当面提交 (also 口头申请 recorded by the office) → the day of submission;
 * post 邮寄（需签收） → the day signed for;
 * ordinaryMail 平信（无需签收）, internet 互联网渠道, fax 传真 → the day of confirmation with the applicant.
 */
export type Channel = 'inPerson' | 'post' | 'ordinaryMail' | 'internet' | 'fax';
export const CHANNEL_LABELS: Record<Channel, string> = {
  inPerson: '当面提交',
  post: '邮寄（签收）',
  ordinaryMail: '平信',
  internet: '互联网',
  fax: '传真',
};
/** channels whose day of receipt is the day of confirmation with the applicant */
export const CONFIRMED_CHANNELS: readonly Channel[] = ['ordinaryMail', 'internet', 'fax'];
