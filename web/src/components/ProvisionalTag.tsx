/** 暂定: a date computed over a year whose holiday notice has not been entered yet. */
import { Tag, Tooltip } from 'antd';

export const PROVISIONAL_HINT = '该日期跨越尚未录入放假通知的年份，按放假办法暂定计算，录入通知后自动更新';

export function ProvisionalTag() {
  return (
    <Tooltip title={PROVISIONAL_HINT}>
      <Tag className="nb-provisional-tag" data-testid="provisional-tag">
        暂定<span className="nb-sr-only">：{PROVISIONAL_HINT}</span>
      </Tag>
    </Tooltip>
  );
}

/** a computed date, never broken at its hyphens, with 暂定 when it is provisional */
export function DueDate({ date, provisional }: { date: string; provisional?: boolean }) {
  return (
    <>
      <span className="nb-nowrap">{date}</span>
      {provisional && <ProvisionalTag />}
    </>
  );
}
