// What the About window says: the version of VitalSync and of everything it runs on, and the
// license. One text for the desktop About box (and `vitalsync --version` could grow into it).

export interface AboutVersions {
  app: string;
  electron?: string;
  chrome?: string;
  node: string;
  v8?: string;
  os: string;
}

export function aboutText(v: AboutVersions): { title: string; detail: string } {
  const lines = [
    `Version ${v.app}`,
    '',
    ...(v.electron ? [`Electron ${v.electron}`] : []),
    ...(v.chrome ? [`Chromium ${v.chrome}`] : []),
    `Node.js ${v.node}`,
    ...(v.v8 ? [`V8 ${v.v8}`] : []),
    v.os,
    '',
    'Your health data stays on this computer. VitalSync talks only to the providers you connect (and to its update feed, if you turn update checks on in Settings).',
    '',
    'MIT License. The license file ships with the app (LICENSE).',
  ];
  return { title: 'About VitalSync', detail: lines.join('\n') };
}
