/** Status tags of a case: 办理中/已办结 with the outcome, 已逾期, 即将到期, … */
import { Tag, Tooltip } from 'antd';
import { outcomeLabel, SUSPENDED_LABELS } from '../labels';
import type { CaseStatus } from '../types';

export function CaseStatusTags({ status, full = false }: { status: CaseStatus; full?: boolean }) {
  const tags: React.ReactNode[] = [];
  if (status.state === 'closed') {
    tags.push(
      <Tag key="closed" color="green">
        已办结
      </Tag>,
    );
    if (status.outcome) {
      const label = outcomeLabel(status.outcome);
      tags.push(
        <Tooltip key="outcome" title={label}>
          <Tag className="nb-outcome-tag">{full ? label : shortOutcome(label)}</Tag>
        </Tooltip>,
      );
    }
    if (status.repliedLate) {
      tags.push(
        <Tag key="late" color="red">
          逾期答复
        </Tag>,
      );
    }
  } else {
    tags.push(
      <Tag key="open" color="blue">
        办理中
      </Tag>,
    );
    if (status.overdue) {
      tags.push(
        <Tag key="overdue" color="red" data-testid="tag-overdue">
          已逾期
        </Tag>,
      );
    } else if (status.dueSoon) {
      tags.push(
        <Tag key="soon" color="orange" data-testid="tag-due-soon">
          3个工作日内到期
        </Tag>,
      );
    }
    if (status.suspended) {
      tags.push(
        <Tag key="susp" color="purple">
          {SUSPENDED_LABELS[status.suspended]}
        </Tag>,
      );
    }
    if (status.correctionLapsed) {
      tags.push(
        <Tag key="cl" color="volcano">
          补正期已过，待登记
        </Tag>,
      );
    }
    if (status.feeLapsed) {
      tags.push(
        <Tag key="fl" color="volcano">
          缴费期已过，待登记
        </Tag>,
      );
    }
  }
  return <span className="nb-tags">{tags}</span>;
}

function shortOutcome(label: string): string {
  const chars = Array.from(label);
  return chars.length > 14 ? `${chars.slice(0, 14).join('')}…` : label;
}
