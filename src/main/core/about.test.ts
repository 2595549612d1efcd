import { expect, it } from 'vitest';
import { aboutText } from './about';

it('the About box names VitalSync’s version, what it runs on, and the license', () => {
  const { title, detail } = aboutText({ app: '0.1.0', electron: '45.5.0', chrome: '140.0.1', node: '22.20.0', v8: '14.0', os: 'Linux x64 6.1' });
  expect(title).toBe('About VitalSync');
  for (const part of ['Version 0.1.0', 'Electron 45.5.0', 'Chromium 140.0.1', 'Node.js 22.20.0', 'V8 14.0', 'Linux x64 6.1', 'MIT License']) expect(detail).toContain(part);
});
