/** 用户管理 (admin): the users in scope, and a new user. */
import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, type ButtonProps, Card, Form, Input, Modal, Select, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, api, issuesOf } from '../api';
import { useAuth } from '../auth';
import { PageHeader } from '../components/PageHeader';
import { AGENCY_LEVEL_LABELS, ROLE_COLORS, ROLE_LABELS } from '../labels';
import type { Role, User } from '../types';

interface NewUser {
  username: string;
  name: string;
  password: string;
  role: Role;
  agencyId: User['agencyId'];
}

const ROLE_HELP: Record<Role, string> = {
  admin: '管理范围内的一切，包括用户',
  clerk: '登记申请、编制年报、上传报告（本机关）',
  reviewer: '查看范围内的一切，上传和检查报告；不能登记申请',
  readonly: '只能查看本机关',
};

export default function UsersPage() {
  const { me, agencies, agencyName } = useAuth();
  const { message } = App.useApp();
  const [users, setUsers] = useState<User[]>([]);
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<NewUser>();

  const load = useCallback(() => {
    setLoading(true);
    api
      .users()
      .then((r) => setUsers(r.users))
      .catch(() => {})
      .finally(() => setLoading(false));
  }, []);
  useEffect(load, [load]);

  async function create(v: NewUser) {
    setSaving(true);
    setError(null);
    try {
      const r = await api.createUser({ ...v, username: v.username.trim(), name: v.name.trim() });
      message.success(`已创建用户 ${r.user.name}（${r.user.username}）。`);
      setOpen(false);
      form.resetFields();
      load();
    } catch (e) {
      if (e instanceof ApiError) setError([e.message, issuesOf(e)].filter(Boolean).join('\n'));
    } finally {
      setSaving(false);
    }
  }

  return (
    <div className="nb-page">
      <PageHeader
        title="用户管理"
        subtitle="管理本机关及下级机关的用户和角色。"
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              setError(null);
              form.setFieldsValue({ role: 'clerk', agencyId: me?.user.agencyId ?? undefined });
              setOpen(true);
            }}
            data-testid="new-user"
          >
            新增用户
          </Button>
        }
      />
      <Card>
        <Table<User>
          rowKey="id"
          loading={loading}
          dataSource={users}
          data-testid="users-table"
          pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
          columns={[
            { title: '用户名', dataIndex: 'username', width: 180 },
            { title: '姓名', dataIndex: 'name', width: 160 },
            {
              title: '角色',
              dataIndex: 'role',
              width: 120,
              filters: (Object.keys(ROLE_LABELS) as Role[]).map((r) => ({ text: ROLE_LABELS[r], value: r })),
              onFilter: (v, r) => r.role === v,
              render: (r: Role) => <Tag color={ROLE_COLORS[r]}>{ROLE_LABELS[r] ?? r}</Tag>,
            },
            { title: '所属机关', dataIndex: 'agencyId', render: (id: User['agencyId']) => agencyName(id) || '—' },
          ]}
        />
      </Card>
      <Modal
        title="新增用户"
        open={open}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okText="创建"
        cancelText="取消"
        confirmLoading={saving}
        destroyOnHidden
        okButtonProps={{ 'data-testid': 'user-submit' } as ButtonProps}
      >
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16, whiteSpace: 'pre-line' }} />}
        <Form<NewUser> form={form} layout="vertical" onFinish={create} data-testid="user-form" preserve={false}>
          <Form.Item name="username" label="用户名" rules={[{ required: true, whitespace: true, message: '请填写用户名' }]}>
            <Input autoComplete="off" data-testid="user-username" />
          </Form.Item>
          <Form.Item name="name" label="姓名" rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}>
            <Input data-testid="user-name-input" />
          </Form.Item>
          <Form.Item name="password" label="初始密码" rules={[{ required: true, min: 8, message: '密码至少 8 位' }]}>
            <Input.Password autoComplete="new-password" data-testid="user-password" />
          </Form.Item>
          <Form.Item name="role" label="角色" rules={[{ required: true }]}>
            <Select
              options={(Object.keys(ROLE_LABELS) as Role[]).map((r) => ({ value: r, label: `${ROLE_LABELS[r]} — ${ROLE_HELP[r]}` }))}
              data-testid="user-role-select"
            />
          </Form.Item>
          <Form.Item name="agencyId" label="所属机关" rules={[{ required: true, message: '请选择所属机关' }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={agencies.map((a) => ({ value: a.id, label: `${a.name}（${AGENCY_LEVEL_LABELS[a.level] ?? a.level}）` }))}
              data-testid="user-agency-select"
            />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
