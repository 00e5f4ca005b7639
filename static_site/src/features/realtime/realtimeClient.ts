/** The subset of the browser WebSocket that the client needs (so tests can pass a fake). */
export interface SocketLike {
  readyState: number;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type ConnectionStatus = 'idle' | 'connecting' | 'open' | 'closed';

export interface RealtimeOptions {
  url: string;
  onMessage: (message: Record<string, unknown>) => void;
  onStatus?: (status: ConnectionStatus) => void;
  createSocket?: (url: string) => SocketLike;
  pingIntervalMs?: number;
  /** No frame at all this long after a ping: the connection is dead though not closed. */
  pongTimeoutMs?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** 0..1, for jitter; tests pass () => 0. */
  random?: () => number;
}

const OPEN = 1;

/** Close a socket we are done with, so none of its late events reaches the client. */
function closeQuietly(socket: SocketLike, code: number, reason: string): void {
  socket.onclose = null;
  socket.onmessage = null;
  socket.onerror = null;
  socket.onopen = null;
  try {
    socket.close(code, reason);
  } catch {
    /* already closed */
  }
}

/**
 * A WebSocket that stays connected: reconnects with exponential backoff, re-sends
 * `subscribe` for every watched generation on each (re)connect, and pings every 30 s. A ping
 * that hears nothing back within 10 s means a half-dead connection (a phone that changed
 * networks keeps the socket "open" for minutes): it is dropped and a new one made, so pushes
 * (or the polling fallback while reconnecting) resume instead of a frozen view.
 */
export class RealtimeClient {
  private socket: SocketLike | null = null;
  private readonly watched = new Map<string, number>();
  private attempts = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private pongTimer: ReturnType<typeof setTimeout> | null = null;
  private framesHeard = 0;
  private stopped = true;
  private status: ConnectionStatus = 'idle';
  private readonly opts: Required<Omit<RealtimeOptions, 'onStatus'>> & Pick<RealtimeOptions, 'onStatus'>;

  constructor(options: RealtimeOptions) {
    this.opts = {
      pingIntervalMs: 30_000,
      pongTimeoutMs: 10_000,
      initialBackoffMs: 1_000,
      maxBackoffMs: 30_000,
      random: Math.random,
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      ...options,
    };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    if (socket) closeQuietly(socket, 1000, 'bye');
    this.setStatus('idle');
  }

  get connectionStatus(): ConnectionStatus {
    return this.status;
  }

  /** Watch a generation; returns a function that stops watching it. */
  watch(generationId: string): () => void {
    const count = this.watched.get(generationId) ?? 0;
    this.watched.set(generationId, count + 1);
    if (count === 0) this.sendSubscribe(generationId);
    return () => {
      const current = this.watched.get(generationId) ?? 0;
      if (current <= 1) this.watched.delete(generationId);
      else this.watched.set(generationId, current - 1);
    };
  }

  /** Delay before reconnect attempt number `attempt` (0-based). */
  backoffDelay(attempt: number): number {
    const base = Math.min(this.opts.maxBackoffMs, this.opts.initialBackoffMs * 2 ** attempt);
    return Math.round(base * (0.8 + 0.4 * this.opts.random()));
  }

  private connect(): void {
    if (this.stopped) return;
    this.setStatus('connecting');
    let socket: SocketLike;
    try {
      socket = this.opts.createSocket(this.opts.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.attempts = 0;
      this.setStatus('open');
      for (const id of this.watched.keys()) this.sendSubscribe(id);
      this.startPing();
    };
    socket.onmessage = (event) => {
      this.framesHeard += 1;
      if (typeof event.data !== 'string') return;
      try {
        const message = JSON.parse(event.data) as unknown;
        if (message && typeof message === 'object') this.opts.onMessage(message as Record<string, unknown>);
      } catch {
        /* ignore malformed frames */
      }
    };
    socket.onerror = () => {
      try {
        socket.close();
      } catch {
        /* ignore */
      }
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopPing();
      this.setStatus('closed');
      this.scheduleReconnect();
    };
  }

  /** Give up on a socket that stopped answering without closing, and make a new one. */
  private dropSilent(socket: SocketLike): void {
    if (this.socket !== socket) return;
    closeQuietly(socket, 4000, 'no pong');
    this.socket = null;
    this.stopPing();
    this.setStatus('closed');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = this.backoffDelay(this.attempts);
    this.attempts += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private sendSubscribe(generationId: string): void {
    this.send({ action: 'subscribe', generation_id: generationId });
  }

  private send(payload: object): void {
    const socket = this.socket;
    if (socket && socket.readyState === OPEN) socket.send(JSON.stringify(payload));
  }

  private startPing(): void {
    this.stopPing();
    const socket = this.socket;
    this.pingTimer = setInterval(() => {
      const heardBefore = this.framesHeard;
      this.send({ action: 'ping' });
      if (this.pongTimer) clearTimeout(this.pongTimer);
      this.pongTimer = setTimeout(() => {
        this.pongTimer = null;
        if (socket && this.framesHeard === heardBefore) this.dropSilent(socket);
      }, this.opts.pongTimeoutMs);
    }, this.opts.pingIntervalMs);
  }

  private stopPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.pongTimer) clearTimeout(this.pongTimer);
    this.pingTimer = null;
    this.pongTimer = null;
  }

  private clearTimers(): void {
    this.stopPing();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.opts.onStatus?.(status);
  }
}

/** `${ws_url}?token=<jwt>`; a relative ws_url is resolved against the page's origin. */
export function socketUrl(wsUrl: string, token: string, location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  let base = wsUrl;
  if (base.startsWith('/')) {
    base = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${base}`;
  }
  const separator = base.includes('?') ? '&' : '?';
  return `${base}${separator}token=${encodeURIComponent(token)}`;
}
