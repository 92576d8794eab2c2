/** Entry point: antd in Chinese, the session, the router. */
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { App } from './App';
import { AuthProvider } from './auth';
import './styles.css';

dayjs.locale('zh-cn');

const theme = {
  token: {
    colorPrimary: '#b4232a',
    colorLink: '#b4232a',
    // secondary text and placeholders dark enough to read (contrast of at least 4.5:1 on white and on the page's grey)
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Helvetica Neue', Arial, sans-serif",
  },
  components: {
    Layout: { headerBg: '#ffffff', siderBg: '#1f2329', bodyBg: '#f4f5f7' },
    Menu: { darkItemBg: '#1f2329', darkSubMenuItemBg: '#1a1d22', darkItemSelectedBg: '#b4232a' },
    Descriptions: { labelColor: 'rgba(0, 0, 0, 0.65)' },
  },
};

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');
createRoot(root).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} theme={theme}>
      <AntApp>
        <BrowserRouter>
          <AuthProvider>
            <App />
          </AuthProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
