// Test harness: two real Syncthing instances on 127.0.0.1 that carry one folder between two
// directories, as a person's own sync engine would carry a vault between their computers.
// Plain Node (no 'electron'). Each instance gets its own --home under a temp dir (config, keys,
// index database, log file), loopback-only ports, no discovery, no relays, no NAT, no usage
// reporting, no upgrades. Devices and the folder are configured through the REST API.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface SyncthingNode {
  /** Syncthing's --home: config.xml, keys, index database and syncthing.log. */
  home: string;
  /** The directory this node carries. */
  folder: string;
  deviceId: string;
  /** e.g. http://127.0.0.1:43123 */
  apiUrl: string;
  apiKey: string;
  /** Sends the signal (default SIGTERM) and waits for the process to exit. SIGSTOP/SIGCONT are sent without waiting. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Stops the process if it runs, starts it again on the same home, waits for the REST API and, when the peer runs, for the connection. */
  restart(): Promise<void>;
}

export interface SyncthingPair {
  a: SyncthingNode;
  b: SyncthingNode;
  /** The shared folder's id. */
  folderId: string;
  /**
   * Resolves when both sides report the shared folder idle and in sync (REST /rest/db/status:
   * state 'idle', nothing needed, and /rest/db/completion 100 for the remote device). Asks both to
   * rescan first, so a change just written is in the index before the check (otherwise both
   * sides could look in sync before the watcher noticed it). Rejects after timeoutMs (default
   * 30 s) with both sides' status and log tails in the message, or at once if a process is not running.
   */
  waitInSync(timeoutMs?: number): Promise<void>;
  /** Ask both to rescan now (POST /rest/db/scan?folder=); resolves when both scans are done. */
  rescan(): Promise<void>;
  /** Kills both, waits for them to exit, removes the homes. */
  stop(): Promise<void>;
}

const BIN = 'syncthing';
const LOG_NAME = 'syncthing.log';
const ENV = { ...process.env, STNODEFAULTFOLDER: '1', STNOUPGRADE: '1', STNORESTART: '1' };
// Without STMONITORED, `syncthing serve` (1.19, even with --no-restart) is a monitor process
// that runs the real Syncthing as its child: killing the pid we hold (SIGKILL) would orphan the
// child, which keeps the index database locked. STMONITORED makes the spawned process the real
// one, so kill/restart/stop act on Syncthing itself.
const SERVE_ENV = { ...ENV, STMONITORED: 'yes' };

/** `syncthing` is on PATH and runs. */
export function syncthingAvailable(): boolean {
  const r = spawnSync(BIN, ['--version'], { encoding: 'utf8', env: ENV, timeout: 10_000 });
  return r.status === 0 && /syncthing v\d/.test(r.stdout);
}

/** Polls cond every 100 ms until it is true; rejects after timeoutMs with "timed out waiting for <what>". */
export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await cond()) return;
      lastError = undefined;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      const why = lastError ? ` (last error: ${lastError instanceof Error ? lastError.message : String(lastError)})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await sleep(100);
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// Flags differ between Syncthing versions: 1.19 has `serve` (the default command) and
// `--no-upgrade`; older ones take the same long flags without a subcommand. Only flags the
// installed version lists are passed.
let serveArgsCache: string[] | undefined;
function serveArgs(): string[] {
  if (serveArgsCache) return serveArgsCache;
  const serve = spawnSync(BIN, ['serve', '--help'], { encoding: 'utf8', env: ENV, timeout: 10_000 });
  const useServe = serve.status === 0;
  const help = useServe ? `${serve.stdout}${serve.stderr}` : (() => {
    const r = spawnSync(BIN, ['--help'], { encoding: 'utf8', env: ENV, timeout: 10_000 });
    return `${r.stdout}${r.stderr}`;
  })();
  const wanted = ['--no-browser', '--no-restart', '--no-upgrade', '--no-default-folder'];
  serveArgsCache = [...(useServe ? ['serve'] : []), ...wanted.filter((f) => help.includes(f.slice(1)))];
  return serveArgsCache;
}

/** n distinct free loopback ports: all bound at once (so they differ), then released. */
async function freePorts(n: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < n; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      ports.push((server.address() as net.AddressInfo).port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

function logTail(home: string, bytes = 3000): string {
  try {
    const file = path.join(home, LOG_NAME);
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r');
    try {
      const len = Math.min(bytes, size);
      const buf = Buffer.alloc(len);
      fs.readSync(fd, buf, 0, len, size - len);
      return buf.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    return `(no log: ${e instanceof Error ? e.message : String(e)})`;
  }
}

/** Sets <tag>value</tag> (with attrs) inside <options>: every existing <tag> goes, one new one is added. */
function setOption(xml: string, tag: string, value: string, attrs = ''): string {
  const start = xml.indexOf('<options>');
  const end = xml.indexOf('</options>');
  if (start < 0 || end < 0) throw new Error('syncthing config.xml has no <options>');
  const options = xml.slice(start, end).replace(new RegExp(`\\s*<${tag}(\\s[^>]*)?>[^<]*</${tag}>`, 'g'), '');
  return `${xml.slice(0, start)}${options}\n        <${tag}${attrs}>${value}</${tag}>\n    ${xml.slice(end)}`;
}

function setGui(xml: string, address: string, apiKey: string): string {
  const m = /<gui\b[^>]*>[\s\S]*?<\/gui>/.exec(xml);
  if (!m) throw new Error('syncthing config.xml has no <gui>');
  let gui = m[0].replace(/<gui\b[^>]*>/, '<gui enabled="true" tls="false" debugging="false">');
  gui = /<address>/.test(gui) ? gui.replace(/<address>[^<]*<\/address>/, `<address>${address}</address>`) : gui.replace('</gui>', `    <address>${address}</address>\n    </gui>`);
  gui = /<apikey>/.test(gui) ? gui.replace(/<apikey>[^<]*<\/apikey>/, `<apikey>${apiKey}</apikey>`) : gui.replace('</gui>', `    <apikey>${apiKey}</apikey>\n    </gui>`);
  return xml.slice(0, m.index) + gui + xml.slice(m.index + m[0].length);
}

interface NodePorts {
  gui: number;
  listen: number;
}

function generateHome(home: string, ports: NodePorts, apiKey: string): string {
  fs.mkdirSync(home, { recursive: true });
  const gen = spawnSync(BIN, [`--generate=${home}`], { encoding: 'utf8', env: ENV, timeout: 30_000 });
  const configPath = path.join(home, 'config.xml');
  if (gen.status !== 0 || !fs.existsSync(configPath)) {
    throw new Error(`syncthing --generate=${home} failed (status ${gen.status}): ${gen.stdout}${gen.stderr}${gen.error ? String(gen.error) : ''}`);
  }
  let xml = fs.readFileSync(configPath, 'utf8');
  xml = setGui(xml, `127.0.0.1:${ports.gui}`, apiKey);
  const options: Record<string, string> = {
    listenAddress: `tcp://127.0.0.1:${ports.listen}`,
    globalAnnounceEnabled: 'false',
    localAnnounceEnabled: 'false',
    relaysEnabled: 'false',
    natEnabled: 'false',
    urAccepted: '-1',
    urSeen: '3',
    crashReportingEnabled: 'false',
    autoUpgradeIntervalH: '0',
    startBrowser: 'false',
    reconnectionIntervalS: '1',
    restartOnWakeup: 'false',
    setLowPriority: 'false',
  };
  for (const [tag, value] of Object.entries(options)) xml = setOption(xml, tag, value);
  // Temp dirs on a nearly full CI disk must not stop the sync.
  xml = setOption(xml, 'minHomeDiskFree', '0', ' unit="%"');
  fs.writeFileSync(configPath, xml);
  const id = spawnSync(BIN, [`--home=${home}`, '--device-id'], { encoding: 'utf8', env: ENV, timeout: 10_000 });
  const deviceId = id.stdout.trim();
  if (id.status !== 0 || !/^[A-Z0-9]{7}(-[A-Z0-9]{7}){7}$/.test(deviceId)) {
    // Fall back to the device element generate wrote.
    const m = /<device id="([A-Z0-9-]{63})"/.exec(xml);
    if (!m) throw new Error(`could not read the device ID of ${home}: ${id.stdout}${id.stderr}`);
    return m[1];
  }
  return deviceId;
}

class Node implements SyncthingNode {
  readonly apiUrl: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private exitInfo = '';
  peer: Node | undefined;

  constructor(
    readonly name: string,
    readonly home: string,
    readonly folder: string,
    readonly deviceId: string,
    readonly apiKey: string,
    readonly ports: NodePorts,
  ) {
    this.apiUrl = `http://127.0.0.1:${ports.gui}`;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  logTail(): string {
    return logTail(this.home);
  }

  describeExit(): string {
    return `syncthing ${this.name} is not running${this.exitInfo ? ` (${this.exitInfo})` : ''}; log tail:\n${this.logTail()}`;
  }

  /** Spawns the process; resolves when the REST API answers, rejects (with the log tail) if it exits first. */
  async start(timeoutMs = 30_000): Promise<void> {
    if (this.child) throw new Error(`syncthing ${this.name} already runs`);
    const log = fs.openSync(path.join(this.home, LOG_NAME), 'a');
    let child: ChildProcess;
    try {
      child = spawn(BIN, [...serveArgs(), `--home=${this.home}`], { detached: false, env: SERVE_ENV, stdio: ['ignore', log, log] });
    } finally {
      fs.closeSync(log);
    }
    this.child = child;
    this.exitInfo = '';
    let exitedEarly: ((e: Error) => void) | undefined;
    this.exited = new Promise<void>((resolve) => {
      const done = (info: string) => {
        if (this.child === child) this.child = undefined;
        this.exitInfo = info;
        exitedEarly?.(new Error(`syncthing ${this.name} exited during start (${info}); log tail:\n${this.logTail()}`));
        resolve();
      };
      child.once('exit', (code, signal) => done(`exit code ${code}, signal ${signal}`));
      child.once('error', (e) => done(`spawn error: ${e.message}`));
    });
    liveChildren.add(child);
    void this.exited.then(() => liveChildren.delete(child));

    const diedEarly = new Promise<never>((_, reject) => {
      exitedEarly = reject;
    });
    diedEarly.catch(() => {});
    try {
      await Promise.race([diedEarly, waitFor(async () => (await this.api<{ myID: string }>('GET', '/rest/system/status')).myID === this.deviceId, timeoutMs, `syncthing ${this.name}'s REST API`)]);
    } catch (e) {
      await this.kill('SIGKILL');
      const msg = e instanceof Error ? e.message : String(e);
      throw new Error(msg.includes('log tail') ? msg : `${msg}; log tail:\n${this.logTail()}`, { cause: e });
    } finally {
      exitedEarly = undefined;
    }
  }

  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (signal === 'SIGSTOP' || signal === 'SIGCONT' || signal === 'SIGTSTP') {
      child.kill(signal);
      return;
    }
    child.kill('SIGCONT'); // a stopped process would not act on SIGTERM
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  async restart(): Promise<void> {
    await this.kill('SIGTERM');
    await this.start();
    if (this.peer?.running) await waitConnected(this, this.peer, 30_000);
  }

  async api<T>(method: string, pathAndQuery: string, body?: unknown, timeoutMs = 10_000): Promise<T> {
    const res = await fetch(`${this.apiUrl}${pathAndQuery}`, {
      method,
      headers: { 'X-API-Key': this.apiKey, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`syncthing ${this.name}: ${method} ${pathAndQuery} → ${res.status} ${text.trim()}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

// Children still running when the test process exits (a test that never called stop()) are
// killed rather than left behind: detached: false alone does not end them with the parent.
const liveChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

async function isConnected(node: Node, peer: Node): Promise<boolean> {
  const r = await node.api<{ connections: Record<string, { connected: boolean }> }>('GET', '/rest/system/connections');
  return r.connections[peer.deviceId]?.connected === true;
}

async function waitConnected(x: Node, y: Node, timeoutMs: number): Promise<void> {
  await waitFor(async () => {
    for (const n of [x, y]) if (!n.running) throw new Error(n.describeExit());
    return (await isConnected(x, y)) && (await isConnected(y, x));
  }, timeoutMs, `syncthing ${x.name} and ${y.name} to connect`).catch((e: Error) => {
    throw new Error(`${e.message}\n--- ${x.name} log tail:\n${x.logTail()}\n--- ${y.name} log tail:\n${y.logTail()}`);
  });
}

interface FolderStatus {
  state: string;
  needTotalItems: number;
  needFiles: number;
  needDeletes: number;
  errors: number;
  pullErrors: number;
  globalFiles: number;
  globalDirectories: number;
  globalDeleted: number;
  globalBytes: number;
  localFiles: number;
  localDirectories: number;
  localBytes: number;
}
interface Completion {
  completion: number;
  needItems: number;
  needDeletes: number;
  remoteState?: string;
}

export async function startSyncthingPair(opts: { folderA: string; folderB: string; folderId?: string }): Promise<SyncthingPair> {
  const folderId = opts.folderId ?? 'vitalsync-vault';
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vitalsync-syncthing-'));
  const nodes: Node[] = [];
  const stopAll = async () => {
    await Promise.all(nodes.map((n) => n.kill('SIGTERM')));
  };
  try {
    const [guiA, listenA, guiB, listenB] = await freePorts(4);
    const make = (name: string, folder: string, ports: NodePorts) => {
      const home = path.join(root, name);
      const apiKey = `vitalsync-test-${name}-${Math.random().toString(36).slice(2)}`;
      const deviceId = generateHome(home, ports, apiKey);
      fs.mkdirSync(folder, { recursive: true });
      return new Node(name, home, path.resolve(folder), deviceId, apiKey, ports);
    };
    const a = make('a', opts.folderA, { gui: guiA, listen: listenA });
    const b = make('b', opts.folderB, { gui: guiB, listen: listenB });
    a.peer = b;
    b.peer = a;
    nodes.push(a, b);
    await Promise.all([a.start(), b.start()]);

    for (const [self, peer] of [[a, b], [b, a]] as const) {
      await self.api('POST', '/rest/config/devices', {
        deviceID: peer.deviceId,
        name: peer.name,
        addresses: [`tcp://127.0.0.1:${peer.ports.listen}`],
        compression: 'metadata',
        introducer: false,
        autoAcceptFolders: false,
        paused: false,
      });
    }
    for (const [self, peer] of [[a, b], [b, a]] as const) {
      await self.api('POST', '/rest/config/folders', {
        id: folderId,
        label: folderId,
        path: self.folder,
        type: 'sendreceive',
        devices: [{ deviceID: self.deviceId }, { deviceID: peer.deviceId }],
        rescanIntervalS: 2,
        fsWatcherEnabled: true,
        fsWatcherDelayS: 1,
        minDiskFree: { value: 0, unit: '%' },
        paused: false,
      });
    }
    await waitConnected(a, b, 30_000);

    const rescan = async () => {
      for (const n of nodes) if (!n.running) throw new Error(n.describeExit());
      await Promise.all(nodes.map((n) => n.api('POST', `/rest/db/scan?folder=${encodeURIComponent(folderId)}`, undefined, 60_000)));
    };

    // In sync means more than "nothing to do": right after connecting, a side that has not yet
    // received the other's index is idle with nothing needed, and its completion of a remote it
    // knows nothing about reads 100. So both sides must also agree on the global state (same
    // files, directories, deletions and bytes), hold all of it locally, and see the remote's
    // index as valid.
    const status = async (self: Node, peer: Node) => {
      const q = `folder=${encodeURIComponent(folderId)}`;
      const s = await self.api<FolderStatus>('GET', `/rest/db/status?${q}`);
      const c = await self.api<Completion>('GET', `/rest/db/completion?${q}&device=${peer.deviceId}`);
      const ok =
        s.state === 'idle' &&
        s.needTotalItems === 0 &&
        s.needFiles === 0 &&
        s.localFiles === s.globalFiles &&
        s.localDirectories === s.globalDirectories &&
        s.localBytes === s.globalBytes &&
        c.completion === 100 &&
        c.needItems === 0 &&
        c.needDeletes === 0 &&
        (c.remoteState === undefined || c.remoteState === 'valid');
      const global = `${s.globalFiles}/${s.globalDirectories}/${s.globalDeleted}/${s.globalBytes}`;
      const text = `${self.name}: state=${s.state} needTotalItems=${s.needTotalItems} needFiles=${s.needFiles} needDeletes=${s.needDeletes} errors=${s.errors} pullErrors=${s.pullErrors} global(files/dirs/deleted/bytes)=${global} local(files/dirs/bytes)=${s.localFiles}/${s.localDirectories}/${s.localBytes}; ${peer.name} as seen by ${self.name}: completion=${c.completion} needItems=${c.needItems} needDeletes=${c.needDeletes} remoteState=${c.remoteState ?? '?'}`;
      return { ok, global, text };
    };

    const waitInSync = async (timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      await withTimeout(rescan(), timeoutMs, 'the rescan before waiting for sync');
      let last = '(no status yet)';
      try {
        await waitFor(async () => {
          for (const n of nodes) if (!n.running) throw new Error(n.describeExit());
          const [sa, sb] = await Promise.all([status(a, b), status(b, a)]);
          last = `${sa.text}\n${sb.text}`;
          return sa.ok && sb.ok && sa.global === sb.global;
        }, Math.max(0, deadline - Date.now()), `folder '${folderId}' in sync`);
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        if (nodes.some((n) => !n.running)) throw new Error(msg, { cause: e });
        throw new Error(`${msg}\n${last}\n--- a log tail:\n${a.logTail()}\n--- b log tail:\n${b.logTail()}`, { cause: e });
      }
    };

    const stop = async () => {
      await stopAll();
      fs.rmSync(root, { recursive: true, force: true });
    };

    return { a, b, folderId, waitInSync, rescan, stop };
  } catch (e) {
    await stopAll();
    fs.rmSync(root, { recursive: true, force: true });
    throw e;
  }
}

/** For tests: the pids of a pair's processes, while they run. */
export function syncthingPids(pair: SyncthingPair): number[] {
  return [pair.a, pair.b].map((n) => (n as Node).pid).filter((p): p is number => p !== undefined);
}
