import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from '../../test/fakeSocket';
import { RealtimeClient, socketUrl, type ConnectionStatus } from './realtimeClient';

function makeClient(onMessage = vi.fn(), statuses: ConnectionStatus[] = []) {
  return new RealtimeClient({
    url: 'ws://test/ws?token=t',
    onMessage,
    onStatus: (s) => statuses.push(s),
    createSocket: (url) => new FakeSocket(url),
    random: () => 0.5, // no jitter: factor 1.0
  });
}

describe('RealtimeClient', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.reset();
  });
  afterEach(() => vi.useRealTimers());

  it('subscribes to the watched generation as soon as the socket opens', () => {
    const client = makeClient();
    client.watch('g1');
    client.start();
    expect(FakeSocket.last.sent).toEqual([]);
    FakeSocket.last.open();
    expect(FakeSocket.last.sent).toEqual([{ action: 'subscribe', generation_id: 'g1' }]);
    client.stop();
  });

  it('subscribes immediately when watching on an open socket', () => {
    const client = makeClient();
    client.start();
    FakeSocket.last.open();
    client.watch('g2');
    expect(FakeSocket.last.sent).toEqual([{ action: 'subscribe', generation_id: 'g2' }]);
    client.stop();
  });

  it('reconnects with exponential backoff and resubscribes on every reconnect', () => {
    const statuses: ConnectionStatus[] = [];
    const client = makeClient(vi.fn(), statuses);
    client.watch('g1');
    client.start();
    FakeSocket.last.open();
    expect(FakeSocket.instances).toHaveLength(1);

    FakeSocket.last.drop();
    expect(statuses.at(-1)).toBe('closed');
    vi.advanceTimersByTime(999);
    expect(FakeSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.instances).toHaveLength(2); // after 1 s

    FakeSocket.last.drop(); // failed before opening
    vi.advanceTimersByTime(1999);
    expect(FakeSocket.instances).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.instances).toHaveLength(3); // after 2 s more

    FakeSocket.last.open();
    expect(statuses.at(-1)).toBe('open');
    expect(FakeSocket.last.sent).toEqual([{ action: 'subscribe', generation_id: 'g1' }]);

    // a successful open resets the backoff
    FakeSocket.last.drop();
    vi.advanceTimersByTime(1000);
    expect(FakeSocket.instances).toHaveLength(4);
    client.stop();
  });

  it('caps the backoff', () => {
    const client = makeClient();
    expect(client.backoffDelay(0)).toBe(1000);
    expect(client.backoffDelay(3)).toBe(8000);
    expect(client.backoffDelay(20)).toBe(30000);
  });

  it('does not resubscribe generations that are no longer watched', () => {
    const client = makeClient();
    const release = client.watch('g1');
    client.watch('g2');
    client.start();
    FakeSocket.last.open();
    release();
    FakeSocket.last.drop();
    vi.advanceTimersByTime(1000);
    FakeSocket.last.open();
    expect(FakeSocket.last.sent).toEqual([{ action: 'subscribe', generation_id: 'g2' }]);
    client.stop();
  });

  it('pings every 30 seconds while open', () => {
    const client = makeClient();
    client.start();
    FakeSocket.last.open();
    vi.advanceTimersByTime(30_000);
    expect(FakeSocket.last.sent).toEqual([{ action: 'ping' }]);
    FakeSocket.last.receive({ type: 'pong' });
    vi.advanceTimersByTime(30_000);
    expect(FakeSocket.last.sent).toEqual([{ action: 'ping' }, { action: 'ping' }]);
    expect(FakeSocket.instances).toHaveLength(1);
    client.stop();
  });

  it('a connection that stops answering without closing is replaced and resubscribed', () => {
    const statuses: ConnectionStatus[] = [];
    const client = makeClient(vi.fn(), statuses);
    client.watch('g1');
    client.start();
    const silent = FakeSocket.last;
    silent.open();
    vi.advanceTimersByTime(30_000); // ping… and nothing back
    vi.advanceTimersByTime(9_999);
    expect(FakeSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(silent.closed).toBe(true);
    expect(statuses.at(-1)).toBe('closed'); // the page polls meanwhile
    vi.advanceTimersByTime(1_000); // first backoff
    expect(FakeSocket.instances).toHaveLength(2);
    FakeSocket.last.open();
    expect(FakeSocket.last.sent).toEqual([{ action: 'subscribe', generation_id: 'g1' }]);
    expect(statuses.at(-1)).toBe('open');
    client.stop();
  });

  it('passes parsed server messages on and ignores malformed frames', () => {
    const onMessage = vi.fn();
    const client = makeClient(onMessage);
    client.start();
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: 'balance', balance: 4 });
    FakeSocket.last.onmessage?.({ data: 'not json' });
    expect(onMessage).toHaveBeenCalledTimes(1);
    expect(onMessage).toHaveBeenCalledWith({ type: 'balance', balance: 4 });
    client.stop();
  });

  it('stops for good: no reconnect after stop()', () => {
    const client = makeClient();
    client.start();
    FakeSocket.last.open();
    client.stop();
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.instances).toHaveLength(1);
  });
});

describe('socketUrl', () => {
  it('appends the token to the configured URL', () => {
    expect(socketUrl('ws://localhost:8001/ws', 'a.b.c')).toBe('ws://localhost:8001/ws?token=a.b.c');
    expect(socketUrl('wss://x/ws?v=1', 'tok')).toBe('wss://x/ws?v=1&token=tok');
  });

  it('resolves a relative path against the page', () => {
    expect(socketUrl('/ws', 't', { protocol: 'https:', host: 'example.ru' })).toBe('wss://example.ru/ws?token=t');
  });
});
