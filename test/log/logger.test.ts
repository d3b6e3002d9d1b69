import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';

const DISCORD_TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.super-secret-value';
const HF_TOKEN = 'hf_SecretSecretSecret';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const logger = createLogger({ level: 'debug', destination, secrets: [DISCORD_TOKEN, HF_TOKEN] });
  return { logger, lines, raw };
}

describe('logger', () => {
  it('GIVEN secrets under known keys THEN they are redacted', () => {
    const { logger, raw } = capture();
    logger.info({ config: { discord: { token: DISCORD_TOKEN }, hf: { token: HF_TOKEN } } }, 'booting');
    logger.info({ headers: { authorization: `Bearer ${HF_TOKEN}` } }, 'request');
    expect(raw.join('\n')).not.toContain('super-secret-value');
    expect(raw.join('\n')).not.toContain(HF_TOKEN);
    expect(raw.join('\n')).toContain('[redacted]');
  });

  it('GIVEN a secret inside free text, a URL or an error THEN it is scrubbed too', () => {
    const { logger, raw } = capture();
    logger.warn({ url: `https://example.com/?token=${HF_TOKEN}` }, `login failed for ${DISCORD_TOKEN}`);
    logger.error({ err: new Error(`HF said no to ${HF_TOKEN}`) }, 'fetch failed');
    const text = raw.join('\n');
    expect(text).not.toContain(HF_TOKEN);
    expect(text).not.toContain(DISCORD_TOKEN);
    expect(text).toContain('fetch failed');
  });

  it('GIVEN a child logger per job run THEN its lines carry the run fields', () => {
    const { logger, lines } = capture();
    logger.child({ job: 'ingest', runId: 7 }).info({ day: '2026-08-21' }, 'fetched');
    expect(lines[0]).toMatchObject({ job: 'ingest', runId: 7, day: '2026-08-21', msg: 'fetched', app: 'paperboy' });
  });
});
