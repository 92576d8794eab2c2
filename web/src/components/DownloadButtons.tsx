/**
 * 下载 DOCX / PDF / HTML: renders the report on the server and saves the file. A report whose
 * totals contradict their parts is refused (422); the user sees why and may download anyway
 * (仍然下载: the request is sent again with `force`).
 */
import { DownloadOutlined, FilePdfOutlined, FileWordOutlined, Html5Outlined } from '@ant-design/icons';
import { App, Button, type ButtonProps, Space, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, type ExportFormat, type FileResponse } from '../api';
import type { Diagnostic, Report } from '../types';

export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

export function defaultFileName(report: Pick<Report, 'agency' | 'year'> | null | undefined, ext: string): string {
  return `${report?.agency ?? ''}${report?.year ?? ''}年政府信息公开工作年度报告.${ext}`;
}

const FORMATS: { format: ExportFormat; label: string; icon: React.ReactNode }[] = [
  { format: 'docx', label: '下载 DOCX', icon: <FileWordOutlined /> },
  { format: 'pdf', label: '下载 PDF', icon: <FilePdfOutlined /> },
  { format: 'html', label: '下载 HTML', icon: <Html5Outlined /> },
];

function diagnosticsOf(e: ApiError): Diagnostic[] {
  const d = e.details?.diagnostics;
  return Array.isArray(d) ? (d as Diagnostic[]) : [];
}

export function DownloadButtons({
  fetchFile,
  report,
  disabled,
  size,
  formats = ['docx', 'pdf', 'html'],
}: {
  fetchFile: (format: ExportFormat, force: boolean) => Promise<FileResponse>;
  report: Pick<Report, 'agency' | 'year'> | null | undefined;
  disabled?: boolean;
  size?: 'small' | 'middle' | 'large';
  formats?: ExportFormat[];
}) {
  const { modal, message } = App.useApp();
  const [busy, setBusy] = useState<ExportFormat | null>(null);

  async function download(format: ExportFormat, force: boolean): Promise<void> {
    setBusy(format);
    try {
      const f = await fetchFile(format, force);
      saveBlob(f.blob, f.fileName ?? defaultFileName(report, format));
      message.success(`已生成 ${format.toUpperCase()} 文件${force ? '（已忽略合计不一致）' : ''}。`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 422 && !force) {
        const ds = diagnosticsOf(e);
        modal.confirm({
          title: '报告的合计与分项不一致，无法自动补全',
          width: 600,
          content: (
            <div data-testid="render-refused">
              <Typography.Paragraph>{e.message}</Typography.Paragraph>
              {ds.length > 0 && (
                <ul className="nb-refused-list">
                  {ds.slice(0, 8).map((d, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list
                    <li key={i}>{d.message}</li>
                  ))}
                  {ds.length > 8 && <li>……另有 {ds.length - 8} 项</li>}
                </ul>
              )}
              <Typography.Paragraph type="secondary">仍然下载时，文件按报告中的原值生成，合计不一致之处不会被改正。</Typography.Paragraph>
            </div>
          ),
          okText: '仍然下载',
          okButtonProps: { danger: true, 'data-testid': 'download-force' } as ButtonProps,
          cancelText: '取消',
          onOk: () => download(format, true),
        });
      } else if (e instanceof ApiError && e.status === 422) {
        message.error(e.message);
      }
    } finally {
      setBusy(null);
    }
  }

  return (
    <Space wrap>
      {FORMATS.filter((f) => formats.includes(f.format)).map((f) => (
        <Button
          key={f.format}
          icon={busy === f.format ? <DownloadOutlined /> : f.icon}
          loading={busy === f.format}
          disabled={disabled || (busy !== null && busy !== f.format)}
          onClick={() => download(f.format, false)}
          size={size}
          data-testid={`download-${f.format}`}
        >
          {f.label}
        </Button>
      ))}
    </Space>
  );
}
