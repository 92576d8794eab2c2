/**
 * antd's static message and notification, in the app's theme: how the session speaks when the
 * frame (and its antd App) is not shown, e.g. on the login page. Loaded only when first needed.
 */
import { ConfigProvider, message, notification } from 'antd';
import type { Feedback } from './auth';
import { AntdRoot } from './theme';

ConfigProvider.config({ holderRender: (children) => <AntdRoot>{children}</AntdRoot> });

export const staticFeedback: Feedback = {
  error: (title, description) => {
    if (description) notification.error({ title, description, placement: 'topRight', duration: 6 });
    else message.error(title, 5);
  },
  warning: (title) => {
    message.warning(title);
  },
};
