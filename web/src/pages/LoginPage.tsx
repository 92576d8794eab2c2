/** 登录 */
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { ApiError } from '../api';
import { useAuth } from '../auth';

export function LoginPage() {
  const { login } = useAuth();
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  async function submit(v: { username: string; password: string }) {
    setLoading(true);
    setError(null);
    try {
      await login(v.username.trim(), v.password);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '登录失败，请稍后重试。');
    } finally {
      setLoading(false);
    }
  }

  return (
    <div className="nb-login">
      <div className="nb-login-brand">
        <div className="nb-login-mark">年</div>
        <Typography.Title level={2} style={{ color: '#fff', margin: '16px 0 8px' }}>
          nianbao 年报
        </Typography.Title>
        <Typography.Paragraph style={{ color: 'rgba(255,255,255,0.85)', fontSize: 16, maxWidth: 420 }}>
          政府信息公开工作年度报告的检查、依申请公开登记与年报编制。
        </Typography.Paragraph>
        <ul className="nb-login-points">
          <li>按国办公开办函〔2021〕30号格式逐项检查，定位到原文单元格</li>
          <li>依申请公开全程登记，工作日期限自动计算</li>
          <li>表二、表三由登记簿生成，勾稽关系自然成立</li>
        </ul>
      </div>
      <div className="nb-login-panel">
        <Card className="nb-login-card" variant="borderless">
          <Typography.Title level={3} style={{ marginTop: 0 }}>
            登录
          </Typography.Title>
          <Typography.Paragraph type="secondary">请使用本机关分配的账号登录。</Typography.Paragraph>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
          <Form layout="vertical" onFinish={submit} requiredMark={false} size="large">
            <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请输入用户名' }]}>
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
            </Form.Item>
            <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={loading} data-testid="login-submit">
              登录
            </Button>
          </Form>
        </Card>
      </div>
    </div>
  );
}
