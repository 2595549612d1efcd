// A scripted "system browser" for tests without Chromium: loads the emulator's authorize page,
// presses Allow or Deny, and follows the redirect to wherever it points (VitalSync's loopback
// listener), returning what that page said.
export interface BrowserVisit {
  /** The redirect the provider sent the browser to. */
  redirect: string;
  status: number;
  text: string;
}

export async function decideOnAuthorizePage(authorizeUrl: string, decision: 'approve' | 'deny'): Promise<string> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`authorize page answered ${page.status}: ${html.slice(0, 200)}`);
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error('no form on the authorize page');
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(m[1], m[2].replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))));
  }
  form.set('decision', decision);
  const res = await fetch(new URL(action, authorizeUrl), { method: 'POST', body: form, redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`decide answered ${res.status}`);
  return location;
}

/** Signs in (or declines) and delivers the answer, optionally tampered with on the way. */
export async function signIn(authorizeUrl: string, decision: 'approve' | 'deny', tamper?: (redirect: URL) => void): Promise<BrowserVisit> {
  const redirect = new URL(await decideOnAuthorizePage(authorizeUrl, decision));
  tamper?.(redirect);
  const res = await fetch(redirect);
  return { redirect: redirect.toString(), status: res.status, text: await res.text() };
}
