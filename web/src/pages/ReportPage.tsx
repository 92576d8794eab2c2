/** A report of the 报告库, shown as in 检查年报, exported by the server from the stored report. */
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Result, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Loading } from '../App';
import { ApiError, api } from '../api';
import { useAuth } from '../auth';
import { ReportView } from '../components/ReportView';
import type { StoredReport } from '../types';

export default function ReportPage() {
  const { id = '' } = useParams();
  const { agencyName } = useAuth();
  const [report, setReport] = useState<StoredReport | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    setReport(null);
    setError(null);
    api
      .report(id)
      .then(setReport)
      .catch((e: unknown) => e instanceof ApiError && setError(e));
  }, [id]);

  if (error) {
    return (
      <Result
        status={error.status === 404 ? '404' : 'error'}
        title={error.status === 404 ? '没有找到这份报告' : '加载失败'}
        subTitle={error.message}
        extra={<Link to="/library">返回报告库</Link>}
      />
    );
  }
  if (!report) return <Loading />;
  return (
    <div className="nb-page">
      <div className="nb-page-header">
        <div>
          <Link to="/library" className="nb-back">
            <ArrowLeftOutlined /> 报告库
          </Link>
          <Typography.Title level={1} style={{ margin: '4px 0 0', fontSize: 24 }}>
            {report.report.agency ?? '（未识别发布机关）'}
            {report.report.year !== null ? `${report.report.year}年` : ''}政府信息公开工作年度报告
          </Typography.Title>
          {report.agencyId !== undefined && report.agencyId !== null && (
            <Typography.Text type="secondary">归属机关：{agencyName(report.agencyId)}</Typography.Text>
          )}
        </div>
      </div>
      <ReportView result={report} fetchFile={(format, force) => api.exportReport(report.id, format, force)} />
    </div>
  );
}
