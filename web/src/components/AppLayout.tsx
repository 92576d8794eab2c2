/** The frame of every page: the menu on the left, the user and 退出 on top. */
import {
  AuditOutlined,
  BankOutlined,
  BarChartOutlined,
  CalendarOutlined,
  CloudUploadOutlined,
  CopyOutlined,
  DatabaseOutlined,
  EditOutlined,
  EyeOutlined,
  FileSearchOutlined,
  FileTextOutlined,
  HomeOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  PartitionOutlined,
  ScheduleOutlined,
  SettingOutlined,
  TeamOutlined,
  TrophyOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Avatar, Button, Layout, Menu, Space, Tag, Tooltip, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth';
import { ROLE_COLORS, ROLE_LABELS } from '../labels';

const { Header, Sider, Content } = Layout;
/** the key of the 监督检查 group of the menu */
const SUPERVISE = 'supervise';

export function AppLayout({ children }: { children: ReactNode }) {
  const { me, logout, can } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  if (!me) return null;

  const items = [
    { key: '/', icon: <HomeOutlined />, label: '概览' },
    { key: '/check', icon: <FileSearchOutlined />, label: '检查年报' },
    { key: '/cases', icon: <AuditOutlined />, label: '依申请登记' },
    { key: '/compile', icon: <EditOutlined />, label: '年报编制' },
    { key: '/library', icon: <DatabaseOutlined />, label: '报告库' },
    { key: '/holidays', icon: <CalendarOutlined />, label: '放假安排' },
    ...(can('admin') ? [{ key: '/notice-settings', icon: <FileTextOutlined />, label: '文书设置' }] : []),
    ...(can('admin', 'reviewer')
      ? [
          {
            key: SUPERVISE,
            icon: <EyeOutlined />,
            label: '监督检查',
            children: [
              { key: '/supervise/directory', icon: <PartitionOutlined />, label: '机关名录' },
              { key: '/supervise/intake', icon: <CloudUploadOutlined />, label: '年报导入' },
              { key: '/supervise/status', icon: <ScheduleOutlined />, label: '发布情况' },
              { key: '/supervise/scores', icon: <TrophyOutlined />, label: '评分排名' },
              { key: '/supervise/rollup', icon: <BarChartOutlined />, label: '区域汇总' },
              { key: '/supervise/copies', icon: <CopyOutlined />, label: '跨机关雷同' },
              { key: '/supervise/settings', icon: <SettingOutlined />, label: '期限和细则' },
            ],
          },
        ]
      : []),
    ...(can('admin') ? [{ key: '/users', icon: <TeamOutlined />, label: '用户管理' }] : []),
  ];
  const selected = items
    .flatMap((i) => ('children' in i && i.children ? i.children.map((c) => c.key) : [i.key]))
    .filter((k) => (k === '/' ? location.pathname === '/' : location.pathname.startsWith(k)))
    .slice(-1);

  return (
    <Layout className="nb-app">
      <Sider
        collapsible
        collapsed={collapsed}
        trigger={null}
        width={208}
        collapsedWidth={64}
        breakpoint="md"
        onBreakpoint={(narrow) => setCollapsed(narrow)}
        className="nb-sider"
        data-testid="sider"
      >
        <button type="button" className="nb-logo" onClick={() => navigate('/')} data-testid="logo">
          <span className="nb-logo-mark">年</span>
          {!collapsed && (
            <span className="nb-logo-text">
              nianbao <b>年报</b>
            </span>
          )}
        </button>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={selected}
          defaultOpenKeys={location.pathname.startsWith('/supervise/') ? [SUPERVISE] : []}
          items={items}
          onClick={({ key }) => navigate(key)}
          data-testid="main-menu"
        />
      </Sider>
      <Layout>
        <Header className="nb-header">
          <Button
            type="text"
            icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => setCollapsed(!collapsed)}
            aria-label={collapsed ? '展开菜单' : '收起菜单'}
          />
          <Typography.Text type="secondary" className="nb-header-title">
            政府信息公开工作年度报告 · 检查、登记与编制
          </Typography.Text>
          <Space size="middle" className="nb-header-user">
            {me.agency && (
              <Tooltip title="所属机关">
                <Space size={4} className="nb-header-agency">
                  <BankOutlined />
                  <span data-testid="current-user-agency">{me.agency.name}</span>
                </Space>
              </Tooltip>
            )}
            <Space size={6}>
              <Avatar size="small" icon={<UserOutlined />} style={{ background: '#b4232a' }} />
              <span data-testid="current-user-name" className="nb-header-name">
                {me.user.name}
              </span>
              <Tag color={ROLE_COLORS[me.user.role]} data-testid="current-user-role">
                {ROLE_LABELS[me.user.role] ?? me.user.role}
              </Tag>
            </Space>
            <Button
              icon={<LogoutOutlined />}
              onClick={async () => {
                await logout();
                navigate('/login');
              }}
              data-testid="logout"
            >
              退出
            </Button>
          </Space>
        </Header>
        <Content className="nb-content">{children}</Content>
      </Layout>
    </Layout>
  );
}
