/** 答复期限: the reply due date and how it was computed, each provisional (暂定) date marked. */
import { CalendarOutlined } from '@ant-design/icons';
import { Card, Col, Descriptions, Row, Space, Statistic, Typography } from 'antd';
import { SUSPENDED_LABELS } from '../labels';
import type { CaseStatus, DueDates, ReadableCaseDetail } from '../types';
import { DueDate, ProvisionalTag } from './ProvisionalTag';

/** a line of text whose dates (YYYY-MM-DD) are never broken at their hyphens */
export function KeepDates({ text }: { text: string }) {
  const parts = text.split(/(\d{4}-\d{2}-\d{2})/);
  return (
    <>
      {parts.map((p, i) =>
        i % 2 === 1 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string
          <span key={i} className="nb-nowrap">
            {p}
          </span>
        ) : (
          p
        ),
      )}
    </>
  );
}

/** the skipped holidays by name, each with its days and whether they are provisional */
function holidayGroups(due: DueDates): { name: string; days: string[]; provisional: boolean }[] {
  const groups = new Map<string, { name: string; days: string[]; provisional: boolean }>();
  for (const h of due.holidaysSkipped) {
    const name = h.name ?? '法定节假日';
    const g = groups.get(name) ?? { name, days: [], provisional: false };
    g.days.push(h.date);
    if (h.provisional) g.provisional = true;
    groups.set(name, g);
  }
  return [...groups.values()];
}

function dueColor(status: CaseStatus): string | undefined {
  return status.overdue ? '#cf1322' : status.dueSoon ? '#ad4e00' : undefined;
}

export function DueCard({ due, detail }: { due: DueDates; detail: ReadableCaseDetail }) {
  const fee = detail.case.state.fee;
  const provisional = due.provisional ?? { correctionNoticeDue: false, replyDue: false };
  return (
    <Card
      title={
        <Space>
          <CalendarOutlined />
          答复期限
        </Space>
      }
      data-testid="due-card"
    >
      <Row gutter={16}>
        <Col span={14}>
          <Statistic
            title="答复期限"
            value={due.replyDue ?? (due.suspended ? SUSPENDED_LABELS[due.suspended] : '—')}
            suffix={due.replyDue && provisional.replyDue ? <ProvisionalTag /> : undefined}
            styles={{ content: { fontSize: due.replyDue ? 26 : 16, color: dueColor(detail.status) } }}
            data-testid="due-reply"
          />
        </Col>
        <Col span={10}>
          <Statistic title="计算期限" value={`${due.workingDays} 个工作日`} styles={{ content: { fontSize: 20 } }} />
        </Col>
      </Row>
      <Descriptions
        size="small"
        column={1}
        className="nb-gap-sm"
        items={[
          { key: 'recv', label: '收到申请之日', children: due.receivedOn },
          {
            key: 'base',
            label: '起算日',
            children: `${due.base.date}（${due.base.reason === 'correction' ? '收到补正之日' : '收到申请之日'}，次日起算）`,
          },
          {
            key: 'cnd',
            label: '补正告知期限',
            children: <DueDate date={due.correctionNoticeDue} provisional={provisional.correctionNoticeDue} />,
          },
          ...(due.correctionDeadline ? [{ key: 'cd', label: '补正期限', children: due.correctionDeadline }] : []),
          ...(due.extensionDays ? [{ key: 'ext', label: '已延长', children: `${due.extensionDays} 个工作日` }] : []),
          ...(due.consultationAnswerDue
            ? [
                {
                  key: 'cad',
                  label: '被征求方答复期限',
                  children: <DueDate date={due.consultationAnswerDue} provisional={provisional.consultationAnswerDue} />,
                },
              ]
            : []),
          ...(due.feePayDue || fee
            ? [
                {
                  key: 'fee',
                  label: '缴费期限',
                  children: (
                    <>
                      <DueDate date={due.feePayDue ?? fee?.payDue ?? '—'} provisional={due.feePayDue ? provisional.feePayDue : false} />
                      {fee ? `（${fee.result.amount} 元）` : ''}
                    </>
                  ),
                },
              ]
            : []),
          { key: 'wk', label: '跳过周末', children: `${due.weekendsSkipped} 天` },
          {
            key: 'hol',
            label: '跳过法定节假日',
            children:
              due.holidaysSkipped.length === 0
                ? '无'
                : holidayGroups(due).map((g) => (
                    <div key={g.name}>
                      <div>
                        {g.name}
                        {g.provisional && <ProvisionalTag />}
                      </div>
                      <Typography.Text type="secondary">
                        {g.days[0]}
                        {g.days.length > 1 ? ` 至 ${g.days[g.days.length - 1]}` : ''}（{g.days.length} 天）
                      </Typography.Text>
                    </div>
                  )),
          },
          ...(due.pauses.length
            ? [
                {
                  key: 'pause',
                  label: '暂停计算',
                  children: due.pauses.map((p) => (
                    <div key={p.from + p.kind}>
                      {p.kind === 'consultation' ? '征求意见' : '等待缴费'}：{p.from} 起至 {p.to ?? '（尚未结束）'}，不计 {p.days.length}{' '}
                      个工作日
                    </div>
                  )),
                },
              ]
            : []),
        ]}
      />
      <div className="nb-explanation" data-testid="due-explanation">
        <Typography.Text strong>计算说明</Typography.Text>
        <ol>
          {due.explanation.map((line) => (
            <li key={line}>
              <KeepDates text={line} />
            </li>
          ))}
        </ol>
      </div>
      {fee && fee.result.explanation.length > 0 && (
        <div className="nb-explanation">
          <Typography.Text strong>信息处理费</Typography.Text>
          <ol>
            {fee.result.explanation.map((line) => (
              <li key={line}>
                <KeepDates text={line} />
              </li>
            ))}
          </ol>
        </div>
      )}
    </Card>
  );
}
