/**
 * The same file is already in the report library for the agency (409 `duplicate` from POST
 * /api/reports): names the stored report (编号, 年度, 文件, when and by whom) with a link to it, and
 * lets the person store it again only by choosing 仍然保存.
 */
import { Alert, Button, Space } from 'antd';
import { Link } from 'react-router-dom';
import { ApiError } from '../api';
import { formatTime } from '../format';
import type { DuplicateReport } from '../types';

/** the stored report of a 409 `duplicate`, or null for any other error */
export function duplicateOf(e: unknown): DuplicateReport | null {
  if (!(e instanceof ApiError) || e.status !== 409 || e.code !== 'duplicate') return null;
  const r = e.details?.report as DuplicateReport | undefined;
  return r && r.id !== undefined ? r : null;
}

export function DuplicateReportAlert({
  report,
  onSaveAnyway,
  onCancel,
  saving = false,
}: {
  report: DuplicateReport;
  onSaveAnyway: () => void;
  onCancel: () => void;
  saving?: boolean;
}) {
  const who = report.uploadedByName ? `${report.uploadedByName}（${report.uploadedBy}）` : report.uploadedBy;
  return (
    <Alert
      type="warning"
      showIcon
      title="报告库中已有同一文件，本次未保存"
      data-testid="duplicate-alert"
      description={
        <div>
          <p style={{ margin: '4px 0 8px' }}>
            已保存的报告：编号 {report.id}，{report.agencyName ? `${report.agencyName}，` : ''}
            {report.year ? `${report.year} 年度，` : ''}“{report.fileName}”，{formatTime(report.uploadedAt)} 由 {who} 上传。{' '}
            <Link to={`/library/${report.id}`} style={{ textDecoration: 'underline' }} data-testid="duplicate-link">
              查看已保存的报告
            </Link>
          </p>
          <p style={{ margin: '0 0 8px' }}>如确需再保存一份（同一年度的报告将作为新的版本），请选择“仍然保存”。</p>
          <Space wrap>
            <Button onClick={onSaveAnyway} loading={saving} data-testid="duplicate-save-anyway">
              仍然保存
            </Button>
            <Button type="text" onClick={onCancel} data-testid="duplicate-cancel">
              不保存
            </Button>
          </Space>
        </div>
      }
    />
  );
}
