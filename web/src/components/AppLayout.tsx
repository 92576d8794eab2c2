/**
 * The frame of every page once logged in: the menu on the left (a drawer opened from the header
 * below 768 px), the user and 退出 on top. It brings antd (theme.tsx: ConfigProvider and App), and
 * hands the App's message and notification to the session (auth.tsx).
 */
import {
  ApartmentOutlined,
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
  MenuOutlined,
  MenuUnfoldOutlined,
  PartitionOutlined,
  ScheduleOutlined,
  SettingOutlined,
  TeamOutlined,
  TrophyOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { App as AntApp, Avatar, Button, Drawer, Layout, Menu, type MenuProps, Tag, Tooltip } from 'antd';
import { type ReactNode, useEffect, useState, useSyncExternalStore } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { setFeedback, useAuth } from '../auth';
import { ROLE_COLORS, ROLE_LABELS } from '../labels';
import { AntdRoot, PRIMARY } from '../theme';

const { Header, Sider, Content } = Layout;
/** the key of the 监督检查 group of the menu */
const SUPERVISE = 'supervise';
/** antd's breakpoints: below md (768 px) the menu is a drawer; below lg (992 px) the side menu starts folded */
const MD = '(min-width: 768px)';
const LG = '(min-width: 992px)';

/** whether the media query matches, kept up to date (read at once: no flash of the wrong layout) */
function useMedia(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const m = window.matchMedia(query);
      m.addEventListener('change', onChange);
      return () => m.removeEventListener('change', onChange);
    },
    () => window.matchMedia(query).matches,
    () => true,
  );
}

/** hands the antd App's message and notification to the session while the frame is shown */
function FeedbackBridge() {
  const { message, notification } = AntApp.useApp();
  useEffect(() => {
    setFeedback({
      error: (title, description) => {
        if (description) notification.error({ title, description, placement: 'topRight', duration: 6 });
        else message.error(title, 5);
      },
      warning: (title) => {
        message.warning(title);
      },
    });
    return () => setFeedback(null);
  }, [message, notification]);
  return null;
}

export function AppLayout({ children }: { children: ReactNode }) {
  return (
    <AntdRoot>
      <FeedbackBridge />
      <Frame>{children}</Frame>
    </AntdRoot>
  );
}

function Frame({ children }: { children: ReactNode }) {
  const { me, logout, can } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const wide = useMedia(MD);
  const large = useMedia(LG);
  const [folded, setFolded] = useState(!large);
  const [drawerOpen, setDrawerOpen] = useState(false);
  // the side menu folds when the window narrows below lg, and opens when it widens again
  useEffect(() => setFolded(!large), [large]);
  // the drawer closes when the window widens, and when a page is opened
  useEffect(() => {
    if (wide) setDrawerOpen(false);
  }, [wide]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: closes on every change of page
  useEffect(() => setDrawerOpen(false), [location.pathname]);
  if (!me) return null;

  const items: NonNullable<MenuProps['items']> = [
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
    ...(can('admin')
      ? [
          { key: '/users', icon: <TeamOutlined />, label: '用户管理' },
          { key: '/agencies', icon: <ApartmentOutlined />, label: '机构管理' },
        ]
      : []),
  ];
  const keys = items.flatMap((i) => (i && 'children' in i && i.children ? i.children.map((c) => String(c?.key)) : [String(i?.key)]));
  const selected = keys.filter((k) => (k === '/' ? location.pathname === '/' : location.pathname.startsWith(k))).slice(-1);

  const logo = (showText: boolean) => (
    <button type="button" className="nb-logo" onClick={() => navigate('/')} data-testid="logo">
      <span className="nb-logo-mark" aria-hidden="true">
        年
      </span>
      <span className={showText ? 'nb-logo-text' : 'nb-sr-only'}>
        nianbao <b>年报</b>
      </span>
    </button>
  );
  const menu = (
    <nav aria-label="主菜单">
      <Menu
        theme="dark"
        mode="inline"
        selectedKeys={selected}
        defaultOpenKeys={location.pathname.startsWith('/supervise/') ? [SUPERVISE] : []}
        items={items}
        onClick={({ key }) => navigate(key)}
        data-testid="main-menu"
      />
    </nav>
  );

  return (
    <Layout className="nb-app">
      {wide && (
        <Sider collapsible collapsed={folded} trigger={null} width={208} collapsedWidth={64} className="nb-sider" data-testid="sider">
          {logo(!folded)}
          {menu}
        </Sider>
      )}
      {!wide && (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={256}
          title={logo(true)}
          closable={{ placement: 'end', 'aria-label': '关闭菜单' }}
          aria-label="主菜单"
          id="nb-nav-drawer"
          classNames={{
            section: 'nb-nav-drawer',
            header: 'nb-nav-drawer-header',
            body: 'nb-nav-drawer-body',
            close: 'nb-nav-drawer-close',
          }}
          data-testid="menu-drawer"
        >
          <div className="nb-drawer-user">
            <div className="nb-ellipsis">{me.user.name}</div>
            {me.agency && <div className="nb-drawer-agency">{me.agency.name}</div>}
          </div>
          {menu}
        </Drawer>
      )}
      <Layout className="nb-main">
        <Header className="nb-header">
          {wide ? (
            <Button
              type="text"
              icon={folded ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              onClick={() => setFolded(!folded)}
              aria-label={folded ? '展开菜单' : '收起菜单'}
              aria-expanded={!folded}
            />
          ) : (
            <Button
              type="text"
              icon={<MenuOutlined />}
              onClick={() => setDrawerOpen(true)}
              aria-label="打开菜单"
              aria-expanded={drawerOpen}
              aria-controls="nb-nav-drawer"
              data-testid="menu-button"
            />
          )}
          <span className="nb-header-title">政府信息公开工作年度报告 · 检查、登记与编制</span>
          <div className="nb-header-user">
            {me.agency && (
              <Tooltip title={`所属机关：${me.agency.name}`}>
                <span className="nb-header-agency">
                  <BankOutlined aria-hidden="true" />
                  <span className="nb-ellipsis" data-testid="current-user-agency">
                    {me.agency.name}
                  </span>
                </span>
              </Tooltip>
            )}
            <span className="nb-header-who">
              <Avatar size="small" icon={<UserOutlined />} style={{ background: PRIMARY, flex: 'none' }} aria-hidden="true" />
              <span data-testid="current-user-name" className="nb-header-name nb-ellipsis">
                {me.user.name}
              </span>
              <Tag color={ROLE_COLORS[me.user.role]} data-testid="current-user-role" className="nb-header-role">
                {ROLE_LABELS[me.user.role] ?? me.user.role}
              </Tag>
            </span>
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
          </div>
        </Header>
        <Content className="nb-content">{children}</Content>
      </Layout>
    </Layout>
  );
}

export default AppLayout;
