/**
 * antd in Chinese with the app's theme, and its App (message, notification, modal), around the frame
 * of the pages: loaded with AppLayout once logged in, so that the login page loads no antd.
 *
 * Colours by meaning: primary blue for links, focus and the selected menu item; red only for errors
 * and danger (antd's colorError). Text colours dark enough for a contrast of at least 4.5:1 on white
 * and on the page's grey (#f4f5f7).
 */
import { App as AntApp, ConfigProvider, type ThemeConfig } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import type { ReactNode } from 'react';

dayjs.locale('zh-cn');

/** blue 7 of antd's palette: 6.2:1 on white (antd's default #1677ff is 4.1:1) */
export const PRIMARY = '#0958d9';
/** blue 8: 9.0:1 on white */
const PRIMARY_HOVER = '#003eb3';

export const theme: ThemeConfig = {
  token: {
    colorPrimary: PRIMARY,
    colorLink: PRIMARY,
    colorInfo: PRIMARY,
    // hovered and pressed: darker, not lighter as antd derives them (white on them, and they on white, stay above 4.5:1)
    colorPrimaryHover: PRIMARY_HOVER,
    colorPrimaryActive: '#002c8c',
    colorPrimaryTextHover: PRIMARY_HOVER,
    colorPrimaryTextActive: '#002c8c',
    colorLinkHover: PRIMARY_HOVER,
    colorLinkActive: '#002c8c',
    // errors and danger: red 7 (5.9:1 on white), and only they are red
    colorError: '#cf1322',
    // secondary text, descriptions and placeholders: #595959 (7.0:1 on white, 6.4:1 on #f4f5f7)
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.6)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Helvetica Neue', Arial, sans-serif",
  },
  components: {
    Layout: { headerBg: '#ffffff', siderBg: '#1f2329', bodyBg: '#f4f5f7' },
    Menu: { darkItemBg: '#1f2329', darkSubMenuItemBg: '#1a1d22', darkItemSelectedBg: PRIMARY },
    Descriptions: { labelColor: 'rgba(0, 0, 0, 0.65)' },
    // the text of the status tags (success, processing, warning, error) dark enough on their light
    // background: shade 8 of each colour, at least 5:1 (the preset colours: styles.css)
    Tag: { colorSuccess: '#237804', colorInfo: '#003eb3', colorWarning: '#ad4e00', colorError: '#a8071a' },
  },
};

/** ConfigProvider (Chinese, the theme) and antd's App */
export function AntdRoot({ children }: { children: ReactNode }) {
  return (
    <ConfigProvider locale={zhCN} theme={theme}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}
