/**
 * The fake gateway: a `ws` server on the fake's HTTP server at /gateway, speaking Discord's JSON
 * protocol (no compression: discord.js parses text frames as plain JSON either way).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { type JsonRecord, asRecord, readNumber, readString } from './json.js';
import type { Journal } from './journal.js';
import { renderUser } from './render.js';
import type { World } from './world.js';

/** Gateway opcodes the fake speaks. */
export const GatewayOp = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  PresenceUpdate: 3,
  VoiceStateUpdate: 4,
  Resume: 6,
  Reconnect: 7,
  RequestGuildMembers: 8,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

/** Close codes the fake uses (4004 and 4010-4014 are fatal for discord.js; 4000 makes it resume). */
export const GatewayClose = {
  UnknownError: 4000,
  UnknownOpcode: 4001,
  DecodeError: 4002,
  NotAuthenticated: 4003,
  AuthenticationFailed: 4004,
  AlreadyAuthenticated: 4005,
} as const;

/** Opcodes a client may send that the fake accepts and ignores (beyond recording them). */
const IGNORED_CLIENT_OPS = new Set<number>([
  GatewayOp.PresenceUpdate,
  GatewayOp.VoiceStateUpdate,
  GatewayOp.RequestGuildMembers,
]);

const NORMAL_CLOSE = 1000;
const GOING_AWAY = 1001;

/** How many dispatches a session keeps for RESUME replays. */
const SESSION_LOG_LIMIT = 500;

interface ServerFrame {
  readonly op: number;
  readonly d: unknown;
  readonly s: number | null;
  readonly t: string | null;
}

interface Session {
  readonly id: string;
  seq: number;
  connection: Connection | null;
  resumable: boolean;
  readonly log: ServerFrame[];
}

interface Connection {
  readonly id: number;
  readonly socket: WebSocket;
  session: Session | null;
}

export interface GatewayDeps {
  readonly token: string;
  readonly heartbeatIntervalMs: number;
  readonly applicationId: string;
  readonly gatewayUrl: () => string;
  readonly world: World;
  readonly journal: Journal;
  readonly changed: () => void;
}

export class FakeGateway {
  readonly #server = new WebSocketServer({ noServer: true });
  readonly #connections = new Set<Connection>();
  readonly #sessions = new Map<string, Session>();
  #nextConnectionId = 1;

  constructor(private readonly deps: GatewayDeps) {}

  /** Hooked to the HTTP server's `upgrade` event. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(request.url ?? '/', 'http://fake').pathname;
    if (path !== '/gateway' && path !== '/gateway/') {
      socket.destroy();
      return;
    }
    this.#server.handleUpgrade(request, socket, head, (ws) => {
      this.#accept(ws);
    });
  }

  /** Sends a dispatch to every session (buffered for disconnected ones, replayed on RESUME). */
  dispatch(t: string, d: unknown): void {
    for (const session of this.#sessions.values()) {
      if (session.resumable) this.#dispatchTo(session, t, d);
    }
  }

  /** Connections that completed IDENTIFY or RESUME and are still open. */
  liveSessionCount(): number {
    return [...this.#connections].filter((c) => c.session !== null).length;
  }

  /** Closes every connection with `code`. 4000 keeps the session: discord.js resumes. */
  disconnect(code: number, reason: string): void {
    for (const connection of this.#connections) connection.socket.close(code, reason);
  }

  /** Sends op 9 `d:false` and forgets the sessions: clients must IDENTIFY again. */
  invalidateSessions(): void {
    for (const session of this.#sessions.values()) {
      session.resumable = false;
      if (session.connection) this.#send(session.connection, frame(GatewayOp.InvalidSession, false));
    }
    this.#sessions.clear();
  }

  /** Sends op 7: clients close and RESUME. */
  requestReconnect(): void {
    for (const connection of this.#connections) {
      if (connection.session) this.#send(connection, frame(GatewayOp.Reconnect, null));
    }
  }

  close(): Promise<void> {
    for (const connection of this.#connections) connection.socket.terminate();
    this.#connections.clear();
    return new Promise((resolve) => {
      this.#server.close(() => {
        resolve();
      });
    });
  }

  #accept(socket: WebSocket): void {
    const connection: Connection = { id: this.#nextConnectionId++, socket, session: null };
    this.#connections.add(connection);
    socket.on('message', (data) => {
      this.#onMessage(connection, data);
    });
    socket.on('close', (code) => {
      this.#connections.delete(connection);
      const session = connection.session;
      if (session?.connection !== connection) return;
      session.connection = null;
      // Like Discord: a normal close (1000/1001, e.g. client.destroy()) ends the session for good.
      if (code === NORMAL_CLOSE || code === GOING_AWAY) {
        session.resumable = false;
        this.#sessions.delete(session.id);
      }
    });
    socket.on('error', () => {
      // A client vanishing mid-frame is normal in tests; 'close' follows and cleans up.
    });
    this.#send(connection, frame(GatewayOp.Hello, { heartbeat_interval: this.deps.heartbeatIntervalMs }));
  }

  #onMessage(connection: Connection, data: RawData): void {
    let payload: unknown;
    try {
      payload = JSON.parse(rawToText(data));
    } catch {
      this.deps.journal.recordFrame({
        from: 'client',
        connectionId: connection.id,
        op: null,
        t: null,
        s: null,
        d: rawToText(data),
      });
      connection.socket.close(GatewayClose.DecodeError, 'Error while decoding payload.');
      return;
    }
    const message = asRecord(payload);
    const op = readNumber(message, 'op') ?? null;
    this.deps.journal.recordFrame({
      from: 'client',
      connectionId: connection.id,
      op,
      t: null,
      s: null,
      d: message.d,
    });
    this.deps.changed();

    if (op === GatewayOp.Heartbeat) {
      this.#send(connection, frame(GatewayOp.HeartbeatAck, null));
    } else if (op === GatewayOp.Identify) {
      this.#identify(connection, asRecord(message.d));
    } else if (op === GatewayOp.Resume) {
      this.#resume(connection, asRecord(message.d));
    } else if (op !== null && IGNORED_CLIENT_OPS.has(op)) {
      if (!connection.session) connection.socket.close(GatewayClose.NotAuthenticated, 'Not authenticated.');
    } else {
      connection.socket.close(GatewayClose.UnknownOpcode, 'Unknown opcode.');
    }
  }

  #identify(connection: Connection, d: JsonRecord): void {
    if (connection.session) {
      connection.socket.close(GatewayClose.AlreadyAuthenticated, 'Already authenticated.');
      return;
    }
    if (readString(d, 'token') !== this.deps.token) {
      connection.socket.close(GatewayClose.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    const session: Session = { id: randomBytes(16).toString('hex'), seq: 0, connection, resumable: true, log: [] };
    this.#sessions.set(session.id, session);
    connection.session = session;

    const { world } = this.deps;
    const guilds = world.memberGuilds();
    this.#dispatchTo(session, 'READY', {
      v: 10,
      user: { ...renderUser(world.botUser), verified: true, mfa_enabled: false },
      application: { id: this.deps.applicationId, flags: 0 },
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.deps.gatewayUrl(),
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      shard: Array.isArray(d.shard) ? d.shard : [0, 1],
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      user_settings: {},
      _trace: ['fake-discord'],
    });
    // One GUILD_CREATE per available guild, else clientReady waits out waitGuildTimeout (15 s).
    for (const guild of guilds) {
      if (!guild.unavailable) this.#dispatchTo(session, 'GUILD_CREATE', world.renderGuild(guild));
    }
  }

  #resume(connection: Connection, d: JsonRecord): void {
    if (readString(d, 'token') !== this.deps.token) {
      connection.socket.close(GatewayClose.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    const session = this.#sessions.get(readString(d, 'session_id') ?? '');
    if (!session?.resumable) {
      this.#send(connection, frame(GatewayOp.InvalidSession, false));
      return;
    }
    if (session.connection && session.connection !== connection) session.connection.socket.terminate();
    session.connection = connection;
    connection.session = session;
    // Replay what the client missed, then RESUMED, as Discord does.
    const lastSeen = readNumber(d, 'seq') ?? 0;
    for (const missed of session.log.filter((f) => (f.s ?? 0) > lastSeen)) this.#send(connection, missed);
    this.#dispatchTo(session, 'RESUMED', { _trace: ['fake-discord'] });
  }

  #dispatchTo(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const dispatch: ServerFrame = { op: GatewayOp.Dispatch, d, s: session.seq, t };
    session.log.push(dispatch);
    if (session.log.length > SESSION_LOG_LIMIT) session.log.shift();
    if (session.connection) this.#send(session.connection, dispatch);
  }

  #send(connection: Connection, payload: ServerFrame): void {
    if (connection.socket.readyState !== connection.socket.OPEN) return;
    this.deps.journal.recordFrame({ from: 'fake', connectionId: connection.id, ...payload });
    connection.socket.send(JSON.stringify(payload));
    this.deps.changed();
  }
}

function frame(op: number, d: unknown): ServerFrame {
  return { op, d, s: null, t: null };
}

function rawToText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
