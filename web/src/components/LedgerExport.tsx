/**
 * 导出台账: the register with the list's filters as a file — Excel 申请台账 (one case a row), CSV 申请台账,
 * or CSV 事件 (one step a row).
 */
import { DownloadOutlined, DownOutlined } from '@ant-design/icons';
import { App, Button, Dropdown } from 'antd';
import { useState } from 'react';
import { ApiError, type CaseFilters, ledgerApi } from '../api';
import { saveBlob } from './DownloadButtons';

const CHOICES = [
  { key: 'xlsx-cases', label: 'Excel 申请台账', format: 'xlsx', sheet: 'cases', name: '依申请公开申请台账.xlsx' },
  { key: 'csv-cases', label: 'CSV 申请台账', format: 'csv', sheet: 'cases', name: '依申请公开申请台账.csv' },
  { key: 'csv-events', label: 'CSV 事件', format: 'csv', sheet: 'events', name: '依申请公开办理事件.csv' },
] as const;

export function LedgerExport({ filters }: { filters: CaseFilters }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);

  async function download(key: string): Promise<void> {
    const c = CHOICES.find((x) => x.key === key);
    if (!c) return;
    setBusy(true);
    try {
      const f = await ledgerApi.export(c.format, c.sheet, filters);
      saveBlob(f.blob, f.fileName ?? c.name);
      message.success(`已导出${c.label}。`);
    } catch (e) {
      if (!(e instanceof ApiError)) message.error('导出失败。');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: CHOICES.map((c) => ({ key: c.key, label: <span data-testid={`ledger-export-${c.key}`}>{c.label}</span> })),
        onClick: ({ key }) => download(key),
      }}
    >
      <Button icon={<DownloadOutlined />} loading={busy} data-testid="ledger-export">
        导出台账 <DownOutlined />
      </Button>
    </Dropdown>
  );
}
