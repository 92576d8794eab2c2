/**
 * 机构管理 (admin): the agency tree in scope; an agency added under another (or at the top, for an
 * administrator above every agency), renamed (the old name kept as a former name) or moved under
 * another agency (never under itself or one under it). Agencies are not deleted: reports, registers
 * and users hang on them.
 */
import { ApartmentOutlined, DragOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Select, Space, Table, Tag, Tooltip } from 'antd';
import { type HTMLAttributes, useCallback, useEffect, useMemo, useState } from 'react';
import { adminApi, api } from '../api';
import { useAuth } from '../auth';
import { FormModal, useSave } from '../components/AdminForms';
import { PageHeader } from '../components/PageHeader';
import { AGENCY_LEVEL_LABELS } from '../labels';
import type { Agency, AgencyLevel } from '../types';

interface Node {
  key: string;
  agency: Agency;
  children?: Node[];
}

const LEVELS = Object.keys(AGENCY_LEVEL_LABELS) as AgencyLevel[];
const LEVEL_OPTIONS = LEVELS.map((l) => ({ value: l, label: AGENCY_LEVEL_LABELS[l] }));
/** the usual level of an agency under one of this level */
const CHILD_LEVEL: Record<AgencyLevel, AgencyLevel> = {
  province: 'city',
  city: 'county',
  county: 'township',
  township: 'department',
  department: 'department',
};

/** the tree of the agencies: an agency whose parent is not among them is a root; children by name */
export function agencyTree(agencies: Agency[]): Node[] {
  const ids = new Set(agencies.map((a) => String(a.id)));
  const byParent = new Map<string, Agency[]>();
  const roots: Agency[] = [];
  for (const a of agencies) {
    const p = a.parentId === null ? null : String(a.parentId);
    if (p === null || !ids.has(p)) roots.push(a);
    else byParent.set(p, [...(byParent.get(p) ?? []), a]);
  }
  const seen = new Set<string>();
  const build = (a: Agency): Node => {
    const key = String(a.id);
    seen.add(key);
    const kids = (byParent.get(key) ?? []).filter((c) => !seen.has(String(c.id)));
    return { key, agency: a, ...(kids.length > 0 ? { children: kids.map(build) } : {}) };
  };
  return roots.map(build);
}

/** the ids of an agency and every agency under it */
function subtree(agencies: Agency[], id: Agency['id']): Set<string> {
  const out = new Set<string>([String(id)]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const a of agencies) {
      if (a.parentId !== null && out.has(String(a.parentId)) && !out.has(String(a.id))) {
        out.add(String(a.id));
        grew = true;
      }
    }
  }
  return out;
}

type Dialog = { kind: 'add'; parent: Agency | null } | { kind: 'rename'; agency: Agency } | { kind: 'move'; agency: Agency };

export default function AgenciesPage() {
  const { me } = useAuth();
  const { message } = App.useApp();
  const [agencies, setAgencies] = useState<Agency[]>([]);
  const [loading, setLoading] = useState(false);
  const [expanded, setExpanded] = useState<string[]>([]);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const top = me?.user.agencyId === null;
  const ownId = me?.user.agencyId === null || me?.user.agencyId === undefined ? null : String(me.user.agencyId);

  const load = useCallback((expandAll = false) => {
    setLoading(true);
    api
      .agencies()
      .then((r) => {
        setAgencies(r.agencies);
        // every agency open at first, and a new parent opened later
        setExpanded((old) =>
          expandAll ? r.agencies.map((a) => String(a.id)) : [...new Set([...old, ...r.agencies.map((a) => String(a.id))])],
        );
      })
      .catch(() => {})
      .finally(() => setLoading(false));
  }, []);
  useEffect(() => load(true), [load]);

  const tree = useMemo(() => agencyTree(agencies), [agencies]);

  const done = (text: string) => {
    message.success(text);
    setDialog(null);
    load();
  };

  return (
    <div className="nb-page">
      <PageHeader
        title="机构管理"
        subtitle="本机关及下级机关的树：新增下级机关、重命名、移动到另一上级机关之下。"
        extra={
          top ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setDialog({ kind: 'add', parent: null })}
              data-testid="agency-add-root"
            >
              新增顶级机关
            </Button>
          ) : undefined
        }
      />
      <Alert
        type="info"
        showIcon
        className="nb-gap-bottom"
        title="机关不能删除：报告、登记簿和用户都归属于机关。不再使用的机关可以重命名或移动；重命名后原名称记为曾用名，按原名称发布的报告仍能对应到本机关。"
      />
      <Card>
        <Table<Node>
          rowKey="key"
          loading={loading}
          dataSource={tree}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="agency-tree"
          expandable={{
            expandedRowKeys: expanded,
            onExpandedRowsChange: (keys) => setExpanded(keys.map(String)),
            indentSize: 20,
          }}
          onRow={(n) => ({ 'data-testid': `agency-row-${n.agency.name}` }) as HTMLAttributes<HTMLElement>}
          locale={{ emptyText: '没有机关' }}
          columns={[
            {
              title: '机关名称',
              key: 'name',
              render: (_: unknown, n) => (
                <span>
                  <ApartmentOutlined style={{ color: '#8c8c8c', marginRight: 6 }} />
                  {n.agency.name}
                  {String(n.agency.id) === ownId && (
                    <Tag style={{ marginLeft: 8 }} color="blue">
                      本机关
                    </Tag>
                  )}
                </span>
              ),
            },
            {
              title: '层级',
              key: 'level',
              width: 120,
              render: (_: unknown, n) => AGENCY_LEVEL_LABELS[n.agency.level] ?? '其他',
            },
            {
              title: '操作',
              key: 'actions',
              width: 290,
              render: (_: unknown, n) => {
                const a = n.agency;
                const own = String(a.id) === ownId;
                return (
                  <Space size={4} wrap>
                    <Button
                      size="small"
                      icon={<PlusOutlined />}
                      onClick={() => setDialog({ kind: 'add', parent: a })}
                      aria-label={`在“${a.name}”下新增下级机关`}
                      data-testid={`agency-add-${a.id}`}
                    >
                      新增下级
                    </Button>
                    <Button
                      size="small"
                      icon={<EditOutlined />}
                      onClick={() => setDialog({ kind: 'rename', agency: a })}
                      aria-label={`重命名“${a.name}”`}
                      data-testid={`agency-rename-${a.id}`}
                    >
                      重命名
                    </Button>
                    {own ? (
                      <Tooltip title="不能移动您自己所属的机关">
                        <Button size="small" icon={<DragOutlined />} disabled aria-label={`移动“${a.name}”（不能移动您自己所属的机关）`}>
                          移动
                        </Button>
                      </Tooltip>
                    ) : (
                      <Button
                        size="small"
                        icon={<DragOutlined />}
                        onClick={() => setDialog({ kind: 'move', agency: a })}
                        aria-label={`移动“${a.name}”`}
                        data-testid={`agency-move-${a.id}`}
                      >
                        移动
                      </Button>
                    )}
                  </Space>
                );
              },
            },
          ]}
        />
      </Card>
      {dialog?.kind === 'add' && (
        <AddModal parent={dialog.parent} onClose={() => setDialog(null)} onDone={(a) => done(`已新增“${a.name}”。`)} />
      )}
      {dialog?.kind === 'rename' && (
        <RenameModal agency={dialog.agency} onClose={() => setDialog(null)} onDone={(a) => done(`已重命名为“${a.name}”。`)} />
      )}
      {dialog?.kind === 'move' && (
        <MoveModal
          agency={dialog.agency}
          agencies={agencies}
          tree={tree}
          allowTop={top}
          onClose={() => setDialog(null)}
          onDone={(a) => done(`已移动“${a.name}”。`)}
        />
      )}
    </div>
  );
}

function AddModal({ parent, onClose, onDone }: { parent: Agency | null; onClose: () => void; onDone: (a: Agency) => void }) {
  const [form] = Form.useForm<{ name: string; level: AgencyLevel }>();
  const saver = useSave();
  const submit = (v: { name: string; level: AgencyLevel }) =>
    saver.save(async () => {
      const r = await adminApi.createAgency({ name: v.name.trim(), parentId: parent ? parent.id : null, level: v.level });
      onDone(r.agency);
    });
  return (
    <FormModal
      title={parent ? `在“${parent.name}”下新增机关` : '新增顶级机关'}
      form={form}
      onCancel={onClose}
      okText="新增"
      okTestId="agency-add-submit"
      saver={saver}
      errorTestId="agency-error"
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ level: parent ? CHILD_LEVEL[parent.level] : 'province' }}
        data-testid="agency-add-form"
      >
        <Form.Item name="name" label="机关名称" rules={[{ required: true, whitespace: true, message: '请填写机关名称' }, { max: 200 }]}>
          <Input data-testid="agency-name" placeholder="例如：某某县人民政府" />
        </Form.Item>
        <Form.Item name="level" label="层级" rules={[{ required: true, message: '请选择层级' }]}>
          <Select options={LEVEL_OPTIONS} data-testid="agency-level" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

function RenameModal({ agency, onClose, onDone }: { agency: Agency; onClose: () => void; onDone: (a: Agency) => void }) {
  const [form] = Form.useForm<{ name: string }>();
  const saver = useSave();
  async function submit(v: { name: string }) {
    const name = v.name.trim();
    if (name === agency.name) {
      onClose();
      return;
    }
    await saver.save(async () => onDone((await adminApi.updateAgency(agency.id, { name })).agency));
  }
  return (
    <FormModal
      title={`重命名“${agency.name}”`}
      form={form}
      onCancel={onClose}
      okText="保存"
      okTestId="agency-rename-submit"
      saver={saver}
      errorTestId="agency-error"
      note={`原名称“${agency.name}”将记为曾用名。`}
    >
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ name: agency.name }} data-testid="agency-rename-form">
        <Form.Item name="name" label="新名称" rules={[{ required: true, whitespace: true, message: '请填写机关名称' }, { max: 200 }]}>
          <Input data-testid="agency-new-name" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

const TOP = '__top__';

function MoveModal({
  agency,
  agencies,
  tree,
  allowTop,
  onClose,
  onDone,
}: {
  agency: Agency;
  agencies: Agency[];
  tree: Node[];
  allowTop: boolean;
  onClose: () => void;
  onDone: (a: Agency) => void;
}) {
  const [form] = Form.useForm<{ parent: string }>();
  const saver = useSave();
  const blocked = useMemo(() => subtree(agencies, agency.id), [agencies, agency.id]);
  // the tree as a list, indented by depth (a plain Select: its list is labelled for screen readers)
  type Option = { value: string; label: string; disabled?: boolean };
  const options = useMemo(() => {
    const list: Option[] = allowTop ? [{ value: TOP, label: '（顶级：不属于任何上级机关）' }] : [];
    const walk = (n: Node, depth: number) => {
      const own = blocked.has(n.key);
      list.push({
        value: n.key,
        label: `${'\u3000'.repeat(depth)}${n.agency.name}${own ? '（本机关或其下级，不能选）' : ''}`,
        disabled: own,
      });
      for (const c of n.children ?? []) walk(c, depth + 1);
    };
    for (const n of tree) walk(n, 0);
    return list;
  }, [tree, blocked, allowTop]);
  const current = agency.parentId === null ? TOP : String(agency.parentId);

  async function submit(v: { parent: string }) {
    if (v.parent === current) {
      onClose();
      return;
    }
    await saver.save(async () => {
      const parentId = v.parent === TOP ? null : (agencies.find((a) => String(a.id) === v.parent)?.id ?? v.parent);
      onDone((await adminApi.updateAgency(agency.id, { parentId })).agency);
    });
  }

  return (
    <FormModal
      title={`移动“${agency.name}”`}
      form={form}
      onCancel={onClose}
      okText="移动"
      okTestId="agency-move-submit"
      saver={saver}
      errorTestId="agency-error"
      note="连同其下级机关一起移动。移动后，新上级机关的审核人和管理员可以看到它的报告和登记；不能移到它自己或它的下级机关之下。"
    >
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ parent: current }} data-testid="agency-move-form">
        <Form.Item name="parent" label="新的上级机关" rules={[{ required: true, message: '请选择新的上级机关' }]}>
          <Select options={options} showSearch={{ optionFilterProp: 'label' }} style={{ width: '100%' }} data-testid="agency-move-parent" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
