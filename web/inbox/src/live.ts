/**
 * The agent's live updates: notices on the WebSocket API, reconnected with backoff. A notice
 * names what changed; the app refetches it through the API. After every (re)connect the app
 * resyncs, because notices sent while the socket was down are gone.
 */
import type { AgentLiveFrame } from '../../../functions/core/agent/live-updates.ts';

export type LiveState = 'connecting' | 'live' | 'offline';

export interface LiveHandlers {
  readonly onFrame: (frame: AgentLiveFrame) => void;
  /** Connected (first time or again): refetch what is on screen. */
  readonly onConnected: () => void;
  readonly onState: (state: LiveState) => void;
}

/** API Gateway drops an idle socket after 10 minutes. */
const PING_EVERY_MS = 5 * 60_000;
const MAX_BACKOFF_MS = 30_000;

export class LiveUpdates {
  private socket: WebSocket | undefined;
  private attempts = 0;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private ping: ReturnType<typeof setInterval> | undefined;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly token: () => string,
    private readonly handlers: LiveHandlers,
  ) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.ping);
    this.socket?.close();
  }

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Window focus: reconnect now if the socket is down (skipping the backoff). */
  wake(): void {
    if (this.stopped || this.connected || this.socket?.readyState === WebSocket.CONNECTING) return;
    clearTimeout(this.retry);
    this.attempts = 0;
    this.connect();
  }

  private connect(): void {
    this.handlers.onState('connecting');
    const separator = this.url.includes('?') ? '&' : '?';
    let socket: WebSocket;
    try {
      socket = new WebSocket(`${this.url}${separator}agentToken=${encodeURIComponent(this.token())}`);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.attempts = 0;
      this.handlers.onState('live');
      clearInterval(this.ping);
      this.ping = setInterval(() => {
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ action: 'agent.ping' }));
      }, PING_EVERY_MS);
      this.handlers.onConnected();
    });
    socket.addEventListener('message', (event) => {
      let frame: AgentLiveFrame;
      try {
        frame = JSON.parse(String(event.data)) as AgentLiveFrame;
      } catch {
        return;
      }
      if (frame.type === 'reconnect') {
        socket.close();
        return;
      }
      this.handlers.onFrame(frame);
    });
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      clearInterval(this.ping);
      this.socket = undefined;
      if (this.stopped) return;
      this.handlers.onState('offline');
      this.scheduleRetry();
    });
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    this.attempts += 1;
    // Exponential with jitter, so a server restart does not bring every agent back at once.
    const ceiling = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(this.attempts - 1, 5));
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    clearTimeout(this.retry);
    this.retry = setTimeout(() => this.connect(), delay);
  }
}
