/** The title row of a page: its title is the page's one h1. */
import { Typography } from 'antd';
import type { ReactNode } from 'react';

export function PageHeader({ title, subtitle, extra }: { title: ReactNode; subtitle?: ReactNode; extra?: ReactNode }) {
  return (
    <div className="nb-page-header">
      <div>
        <Typography.Title level={1} className="nb-page-title">
          {title}
        </Typography.Title>
        {subtitle && (
          <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
            {subtitle}
          </Typography.Paragraph>
        )}
      </div>
      {extra && <div className="nb-page-header-extra">{extra}</div>}
    </div>
  );
}
