/**
 * 用户管理 (admin): the users in scope with their role, agency and whether they may log in; a new
 * user; a user's name, role and agency changed; a user disabled (their sessions end) or enabled; a
 * new password set by the administrator (typed, or generated and shown once).
 */
import { EditOutlined, KeyOutlined, PlusOutlined, StopOutlined, UnlockOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  type ButtonProps,
  Card,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { type HTMLAttributes, useCallback, useEffect, useState } from 'react';
import { adminApi, api } from '../api';
import { useAuth } from '../auth';
import { AgencySelect, errorText, FormModal, useSave } from '../components/AdminForms';
import { PageHeader } from '../components/PageHeader';
import { formatDay } from '../format';
import { ROLE_COLORS, ROLE_LABELS } from '../labels';
import type { Agency, Role, User, UserAccount } from '../types';

interface NewUser {
  username: string;
  name: string;
  password: string;
  role: Role;
  agencyId: User['agencyId'];
}

interface EditUser {
  name: string;
  role: Role;
  agencyId: User['agencyId'];
}

const ROLE_HELP: Record<Role, string> = {
  admin: '管理范围内的一切，包括用户',
  clerk: '登记申请、编制年报、上传报告（本机关）',
  reviewer: '查看范围内的一切，上传和检查报告；不能登记申请',
  readonly: '只能查看本机关',
};

const ROLE_OPTIONS = (Object.keys(ROLE_LABELS) as Role[]).map((r) => ({ value: r, label: `${ROLE_LABELS[r]} — ${ROLE_HELP[r]}` }));

/** a password of 14 letters and digits (no 0/O, 1/l/I), from the browser's random source */
export function generatePassword(length = 14): string {
  const chars = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  const bytes = new Uint32Array(length);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => chars[b % chars.length]).join('');
}

export default function UsersPage() {
  const { me, agencies, agencyName } = useAuth();
  const { message } = App.useApp();
  const [users, setUsers] = useState<UserAccount[]>([]);
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState(false);
  const saver = useSave();
  const [editing, setEditing] = useState<UserAccount | null>(null);
  const [resetting, setResetting] = useState<UserAccount | null>(null);
  const [form] = Form.useForm<NewUser>();
  const myId = me?.user.id;

  const load = useCallback(() => {
    setLoading(true);
    adminApi
      .users()
      .then((r) => setUsers(r.users))
      .catch(() => {})
      .finally(() => setLoading(false));
  }, []);
  useEffect(load, [load]);

  const create = (v: NewUser) =>
    saver.save(
      async () => {
        const r = await api.createUser({ ...v, username: v.username.trim(), name: v.name.trim() });
        message.success(`已创建用户 ${r.user.name}（${r.user.username}）。`);
        setOpen(false);
        form.resetFields();
        load();
      },
      { apiErrorsOnly: true },
    );

  async function setDisabled(u: UserAccount, disabled: boolean) {
    try {
      await adminApi.updateUser(u.id, { disabled });
      message.success(disabled ? `已停用 ${u.name}（${u.username}），其登录已结束。` : `已启用 ${u.name}（${u.username}）。`);
      load();
    } catch (e) {
      message.error(errorText(e), 6);
    }
  }

  return (
    <div className="nb-page">
      <PageHeader
        title="用户管理"
        subtitle="管理本机关及下级机关的用户和角色：修改、停用或启用、重置密码。"
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              saver.setError(null);
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
        <Table<UserAccount>
          rowKey="id"
          loading={loading}
          dataSource={users}
          data-testid="users-table"
          scroll={{ x: 'max-content' }}
          pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
          onRow={(u) => ({ 'data-testid': `user-row-${u.username}` }) as HTMLAttributes<HTMLElement>}
          columns={[
            { title: '用户名', dataIndex: 'username', width: 150 },
            { title: '姓名', dataIndex: 'name', width: 140 },
            {
              title: '角色',
              dataIndex: 'role',
              width: 100,
              filters: (Object.keys(ROLE_LABELS) as Role[]).map((r) => ({ text: ROLE_LABELS[r], value: r })),
              onFilter: (v, r) => r.role === v,
              render: (r: Role) => <Tag color={ROLE_COLORS[r]}>{ROLE_LABELS[r] ?? '未知角色'}</Tag>,
            },
            {
              title: '所属机关',
              dataIndex: 'agencyId',
              render: (id: User['agencyId']) => (id === null ? '（全部机关）' : agencyName(id) || '—'),
            },
            {
              title: '状态',
              dataIndex: 'disabled',
              width: 90,
              filters: [
                { text: '正常', value: false },
                { text: '已停用', value: true },
              ],
              onFilter: (v, r) => r.disabled === v,
              render: (d: boolean, u) => (
                <Tag color={d ? 'default' : 'green'} data-testid={`user-status-${u.username}`}>
                  {d ? '已停用' : '正常'}
                </Tag>
              ),
            },
            {
              title: '创建日期',
              dataIndex: 'createdAt',
              width: 110,
              render: (t: string) => formatDay(t),
            },
            {
              title: '操作',
              key: 'actions',
              width: 300,
              render: (_: unknown, u) => {
                const self = u.id === myId;
                return (
                  <Space size={4} wrap>
                    <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(u)} data-testid={`user-edit-${u.username}`}>
                      修改
                    </Button>
                    <Button size="small" icon={<KeyOutlined />} onClick={() => setResetting(u)} data-testid={`user-password-${u.username}`}>
                      重置密码
                    </Button>
                    {u.disabled ? (
                      <Button
                        size="small"
                        icon={<UnlockOutlined />}
                        onClick={() => setDisabled(u, false)}
                        data-testid={`user-enable-${u.username}`}
                      >
                        启用
                      </Button>
                    ) : self ? (
                      <Tooltip title="不能停用自己">
                        <Button size="small" icon={<StopOutlined />} disabled aria-label="停用（不能停用自己）">
                          停用
                        </Button>
                      </Tooltip>
                    ) : (
                      <Popconfirm
                        title={`停用 ${u.name}（${u.username}）？`}
                        description="停用后不能登录，正在使用的登录会话随即结束；可随时重新启用。"
                        okText="停用"
                        okButtonProps={{ danger: true, 'data-testid': 'user-disable-confirm' } as ButtonProps}
                        cancelText="取消"
                        onConfirm={() => setDisabled(u, true)}
                      >
                        <Button size="small" danger icon={<StopOutlined />} data-testid={`user-disable-${u.username}`}>
                          停用
                        </Button>
                      </Popconfirm>
                    )}
                  </Space>
                );
              },
            },
          ]}
        />
      </Card>
      <FormModal
        title="新增用户"
        open={open}
        form={form}
        onCancel={() => setOpen(false)}
        okText="创建"
        okTestId="user-submit"
        saver={saver}
      >
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
            <Select options={ROLE_OPTIONS} data-testid="user-role-select" />
          </Form.Item>
          <Form.Item name="agencyId" label="所属机关" rules={[{ required: true, message: '请选择所属机关' }]}>
            <AgencySelect agencies={agencies} data-testid="user-agency-select" />
          </Form.Item>
        </Form>
      </FormModal>
      {editing && (
        <EditUserModal
          user={editing}
          self={editing.id === myId}
          agencies={agencies}
          onClose={(changed) => {
            setEditing(null);
            if (changed) {
              message.success(`已保存 ${changed.name}（${changed.username}）的修改。`);
              load();
            }
          }}
        />
      )}
      {resetting && (
        <PasswordModal
          user={resetting}
          self={resetting.id === myId}
          onClose={(done) => {
            setResetting(null);
            if (done) load();
          }}
        />
      )}
    </div>
  );
}

/** 修改用户: name, role and agency (an administrator's own role and agency are not changed here) */
function EditUserModal({
  user,
  self,
  agencies,
  onClose,
}: {
  user: UserAccount;
  self: boolean;
  agencies: Agency[];
  onClose: (changed?: UserAccount) => void;
}) {
  const [form] = Form.useForm<EditUser>();
  const saver = useSave();
  const role = Form.useWatch('role', form);
  const top = user.agencyId === null;

  async function submit(v: EditUser) {
    const changes: Partial<EditUser> = {};
    if (v.name.trim() !== user.name) changes.name = v.name.trim();
    if (!self && v.role !== user.role) changes.role = v.role;
    if (!self && !top && v.agencyId !== user.agencyId) changes.agencyId = v.agencyId;
    if (Object.keys(changes).length === 0) {
      onClose();
      return;
    }
    await saver.save(async () => onClose((await adminApi.updateUser(user.id, changes)).user));
  }

  return (
    <FormModal
      title={`修改用户：${user.username}`}
      form={form}
      onCancel={() => onClose()}
      okText="保存"
      okTestId="user-edit-submit"
      saver={saver}
      errorTestId="user-edit-error"
      intro={
        self && (
          <Alert type="info" showIcon className="nb-gap-bottom" title="不能修改自己的角色和所属机关；如需修改，请由另一位管理员操作。" />
        )
      }
    >
      <Form<EditUser>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ name: user.name, role: user.role, agencyId: user.agencyId }}
        data-testid="user-edit-form"
      >
        <Form.Item name="name" label="姓名" rules={[{ required: true, whitespace: true, message: '请填写姓名' }, { max: 100 }]}>
          <Input data-testid="user-edit-name" />
        </Form.Item>
        <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
          <Select options={ROLE_OPTIONS} disabled={self} data-testid="user-edit-role" />
        </Form.Item>
        {top ? (
          <Form.Item label="所属机关" htmlFor="user-edit-agency-top" extra="该管理员不属于任何机关，管理全部机关。">
            <Input id="user-edit-agency-top" value="（全部机关）" disabled />
          </Form.Item>
        ) : (
          <Form.Item
            name="agencyId"
            label="所属机关"
            rules={[{ required: true, message: '请选择所属机关' }]}
            extra={role === 'admin' ? '管理员管理所属机关及其下级机关。' : undefined}
          >
            <AgencySelect agencies={agencies} disabled={self} data-testid="user-edit-agency" />
          </Form.Item>
        )}
      </Form>
    </FormModal>
  );
}

/** 重置密码: typed twice, or generated and shown once; the user's sessions end */
function PasswordModal({ user, self, onClose }: { user: UserAccount; self: boolean; onClose: (done: boolean) => void }) {
  const [form] = Form.useForm<{ password: string; confirm: string }>();
  const saver = useSave();
  const [generated, setGenerated] = useState<string | null>(null);
  const [done, setDone] = useState<{ password: string | null; ended: number } | null>(null);

  const submit = (v: { password: string }) =>
    saver.save(async () => {
      const r = await adminApi.setPassword(user.id, v.password);
      setDone({ password: generated === v.password ? v.password : null, ended: r.sessionsEnded });
    });

  if (done) {
    return (
      <Modal
        open
        title={`已重置 ${user.name}（${user.username}）的密码`}
        onCancel={() => onClose(true)}
        footer={
          <Button type="primary" onClick={() => onClose(true)} data-testid="password-done">
            完成
          </Button>
        }
      >
        <div data-testid="password-result">
          {done.password && (
            <Alert
              type="warning"
              showIcon
              className="nb-gap-bottom"
              title="新密码只显示这一次，请现在告知该用户："
              description={
                <Typography.Text copyable={{ text: done.password, tooltips: ['复制', '已复制'] }} code data-testid="password-generated">
                  {done.password}
                </Typography.Text>
              }
            />
          )}
          <Typography.Paragraph>
            {self
              ? '您的其他登录会话已结束，当前会话保持登录。'
              : done.ended > 0
                ? `该用户的 ${done.ended} 个登录会话已结束，须用新密码重新登录。`
                : '该用户须用新密码登录。'}
          </Typography.Paragraph>
        </div>
      </Modal>
    );
  }

  return (
    <FormModal
      title={`重置密码：${user.name}（${user.username}）`}
      form={form}
      onCancel={() => onClose(false)}
      okText="重置密码"
      okTestId="password-submit"
      saver={saver}
      errorTestId="password-error"
      note="由管理员设置新密码（至少 8 位）。重置后，该用户正在使用的登录会话都将结束。"
    >
      <Form form={form} layout="vertical" onFinish={submit} data-testid="password-form">
        <Form.Item
          name="password"
          label="新密码"
          rules={[
            { required: true, message: '请填写新密码' },
            { min: 8, message: '密码至少 8 位' },
            { max: 200, message: '密码最多 200 位' },
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-new" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label="再次输入新密码"
          dependencies={['password']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: (_, v) =>
                !v || v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error('两次输入的密码不一致')),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-confirm" />
        </Form.Item>
        <Button
          onClick={() => {
            const p = generatePassword();
            setGenerated(p);
            form.setFieldsValue({ password: p, confirm: p });
          }}
          data-testid="password-generate"
        >
          随机生成密码
        </Button>
      </Form>
    </FormModal>
  );
}
