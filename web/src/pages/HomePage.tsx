/** 概览: the register's open, overdue and due-soon cases, the library, and the way in. */
import {
  AlertOutlined,
  AuditOutlined,
  ClockCircleOutlined,
  DatabaseOutlined,
  EditOutlined,
  FileSearchOutlined,
  FolderOpenOutlined,
  RightOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { Button, Card, Col, Empty, Row, Space, Statistic, Tag, Typography } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, casePath } from '../api';
import { useAuth } from '../auth';
import { CaseStatusTags } from '../components/CaseStatusTags';
import { DueDate } from '../components/ProvisionalTag';
import { formatTime } from '../format';
import type { CaseSummary, ReportSummary } from '../types';

interface Overview {
  open: CaseSummary[];
  overdue: CaseSummary[];
  dueSoon: CaseSummary[];
  reports: ReportSummary[];
  today: string | null;
}

function StatCard({
  title,
  value,
  icon,
  color,
  to,
  testId,
  suffix,
}: {
  title: string;
  value: number | null;
  icon: ReactNode;
  color: string;
  to: string;
  testId: string;
  suffix?: string;
}) {
  const navigate = useNavigate();
  return (
    <Card hoverable className="nb-stat-card" onClick={() => navigate(to)} data-testid={testId}>
      <div className="nb-stat">
        <div className="nb-stat-icon" style={{ background: `${color}14`, color }}>
          {icon}
        </div>
        <Statistic title={title} value={value ?? '—'} suffix={value === null ? undefined : suffix} loading={value === null} />
      </div>
    </Card>
  );
}

const ENTRIES = [
  {
    to: '/check',
    icon: <FileSearchOutlined />,
    title: '检查年报',
    text: '上传或粘贴一份年度报告，逐项检查勾稽关系、格式和内容，定位到原文。',
  },
  {
    to: '/cases',
    icon: <AuditOutlined />,
    title: '依申请登记',
    text: '登记每件公开申请及补正、征求意见、延期、收费、答复等环节，自动算期限。',
  },
  {
    to: '/compile',
    icon: <EditOutlined />,
    title: '年报编制',
    text: '表二、表三由登记簿生成，填写表一和正文，边写边检查，导出 Word/PDF。',
  },
  {
    to: '/library',
    icon: <DatabaseOutlined />,
    title: '报告库',
    text: '保存历年报告和检查结果，按机关、年度统计申请、复议诉讼和常见问题。',
  },
];

export default function HomePage() {
  const { me } = useAuth();
  const [o, setO] = useState<Overview | null>(null);

  useEffect(() => {
    let live = true;
    const safe = <T,>(p: Promise<T>, fallback: T) => p.catch(() => fallback);
    Promise.all([
      safe(api.cases({ status: 'open' }), { cases: [], today: '' }),
      safe(api.cases({ status: 'overdue' }), { cases: [], today: '' }),
      safe(api.cases({ status: 'dueSoon' }), { cases: [], today: '' }),
      safe(api.reports({}), { reports: [] as ReportSummary[] }),
    ]).then(([open, overdue, dueSoon, reports]) => {
      if (live)
        setO({ open: open.cases, overdue: overdue.cases, dueSoon: dueSoon.cases, reports: reports.reports, today: open.today || null });
    });
    return () => {
      live = false;
    };
  }, []);

  const problems = o ? o.reports.reduce((n, r) => n + r.errors + r.warnings, 0) : null;
  const urgent = o ? [...o.overdue, ...o.dueSoon].sort((a, b) => (a.status.replyDue ?? '').localeCompare(b.status.replyDue ?? '')) : [];
  const hour = new Date().getHours();
  const greeting = hour < 11 ? '上午好' : hour < 13 ? '中午好' : hour < 18 ? '下午好' : '晚上好';

  return (
    <div className="nb-page" data-testid="home">
      <div className="nb-welcome">
        <div>
          <Typography.Title level={1} className="nb-page-title">
            {greeting}，{me?.user.name}
          </Typography.Title>
          <Typography.Text type="secondary">
            {me?.agency?.name}
            {o?.today ? ` · 今天是 ${o.today}` : ''}
          </Typography.Text>
        </div>
      </div>
      <div className="nb-stat-grid">
        <StatCard
          title="办理中的申请"
          value={o ? o.open.length : null}
          icon={<FolderOpenOutlined />}
          color="#1f6feb"
          to="/cases?status=open"
          testId="stat-open"
          suffix="件"
        />
        <StatCard
          title="已逾期"
          value={o ? o.overdue.length : null}
          icon={<AlertOutlined />}
          color="#cf1322"
          to="/cases?status=overdue"
          testId="stat-overdue"
          suffix="件"
        />
        <StatCard
          title="3个工作日内到期"
          value={o ? o.dueSoon.length : null}
          icon={<ClockCircleOutlined />}
          color="#d46b08"
          to="/cases?status=dueSoon"
          testId="stat-due-soon"
          suffix="件"
        />
        <StatCard
          title="报告库"
          value={o ? o.reports.length : null}
          icon={<DatabaseOutlined />}
          color="#389e0d"
          to="/library"
          testId="stat-reports"
          suffix="份"
        />
        <StatCard
          title="发现的问题"
          value={problems}
          icon={<WarningOutlined />}
          color="#722ed1"
          to="/library?tab=charts"
          testId="stat-problems"
          suffix="处"
        />
      </div>
      <Row gutter={[16, 16]} className="nb-gap">
        <Col xs={24} xl={14}>
          <Card
            title="需要尽快办理"
            extra={
              <Link to="/cases?status=open">
                全部办理中 <RightOutlined />
              </Link>
            }
            data-testid="home-urgent"
          >
            {urgent.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={o ? '没有逾期或即将到期的申请' : '加载中'} />
            ) : (
              <ul className="nb-list">
                {urgent.slice(0, 8).map((c) => (
                  <li key={`${c.agencyId ?? ''}/${c.id}`} className="nb-list-item">
                    <div className="nb-list-main">
                      <Link to={casePath(c)} className="nb-list-title">
                        {c.id} · {c.applicantName}
                      </Link>
                      <div className="nb-list-desc">
                        <span>
                          答复期限{' '}
                          {c.status.replyDue ? <DueDate date={c.status.replyDue} provisional={c.status.replyDueProvisional} /> : '—'}
                        </span>
                        <Typography.Text type="secondary" ellipsis style={{ maxWidth: 360 }}>
                          {c.description}
                        </Typography.Text>
                      </div>
                    </div>
                    <CaseStatusTags status={c.status} />
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card
            title="最近入库的报告"
            extra={
              <Link to="/library">
                报告库 <RightOutlined />
              </Link>
            }
          >
            {!o ? (
              <Card loading variant="borderless" />
            ) : o.reports.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="报告库中还没有本机关的报告">
                <Link to="/check">
                  <Button icon={<FileSearchOutlined />}>上传并检查一份年报</Button>
                </Link>
              </Empty>
            ) : (
              <ul className="nb-list">
                {[...(o?.reports ?? [])]
                  .sort((a, b) => b.uploadedAt.localeCompare(a.uploadedAt))
                  .slice(0, 6)
                  .map((r) => (
                    <li key={r.id} className="nb-list-item">
                      <div className="nb-list-main">
                        <Link to={`/library/${r.id}`} className="nb-list-title">
                          {r.agencyName ?? '（未识别）'} {r.year ?? ''}
                        </Link>
                        <div className="nb-list-desc">
                          <Typography.Text type="secondary">{`${r.uploadedBy ?? ''} ${formatTime(r.uploadedAt)}`}</Typography.Text>
                        </div>
                      </div>
                      {r.errors + r.warnings === 0 ? (
                        <Tag color="success">无问题</Tag>
                      ) : (
                        <Space size={4}>
                          {r.errors > 0 && <Tag color="red">{r.errors} 错误</Tag>}
                          {r.warnings > 0 && <Tag color="orange">{r.warnings} 警告</Tag>}
                        </Space>
                      )}
                    </li>
                  ))}
              </ul>
            )}
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]} className="nb-gap">
        {ENTRIES.map((e) => (
          <Col xs={24} md={12} xl={6} key={e.to}>
            <Link to={e.to} className="nb-entry" data-testid={`entry-${e.to.slice(1)}`}>
              <div className="nb-entry-icon">{e.icon}</div>
              <div className="nb-entry-title">
                {e.title} <RightOutlined />
              </div>
              <div className="nb-entry-text">{e.text}</div>
            </Link>
          </Col>
        ))}
      </Row>
    </div>
  );
}
