import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { ApplyResult } from '../../../src/core/applying.js';
import { logFile, POSTED_ERRORS, StatusBoard } from '../../../src/discord/statusBoard.js';
import { LIMITS } from '../../../src/discord/views/limits.js';
import { FakeOutbox } from './fakeOutbox.js';

const planned = [{ address: 'terraform_data.web', type: 'terraform_data', name: 'web', actions: ['create'] }];
const failed = { status: 'failed', durationMs: 1000, stateSerial: 1, commitHash: null, error: 'terraform apply failed', warnings: [], recorded: true, deployment: { toAdd: 1, toChange: 0, toDestroy: 0 } } as unknown as ApplyResult;
const board = (outbox: FakeOutbox, over: Partial<ConstructorParameters<typeof StatusBoard>[0]> = {}) =>
  new StatusBoard({ outbox, log: pino({ level: 'silent' }), channelId: 't', header: '🚀', key: 'k', minEditMs: 20, ...over }, planned);
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('status board', () => {
  it(`GIVEN hundreds of errors THEN the first ${POSTED_ERRORS} are posted one by one and the summary counts the rest, which are in its log`, async () => {
    const outbox = new FakeOutbox();
    const b = board(outbox);
    await b.open();
    const output: string[] = [];
    for (let i = 0; i < 300; i++) output.push(`Error: creating EC2 Instance ${i}`, `  with aws_instance.n[${i}],`);
    for (const line of output) for (const e of b.progress.feed(line)) await b.postError(e);
    for (const e of b.progress.end()) await b.postError(e);
    await b.finish(failed, output);
    const texts = outbox.textIn('t');
    expect(texts.filter((t) => t.startsWith('❌ **Terraform reported an error**'))).toHaveLength(POSTED_ERRORS);
    expect(texts.at(-1)).toContain(`❌ ${300 - POSTED_ERRORS} more error(s) Terraform reported are in the attached output.`);
    expect(outbox.sent.at(-1)!.message.files![0]!.data.toString()).toContain('Error: creating EC2 Instance 299');
  });

  it('GIVEN a thread that refuses files THEN the summary is posted without the log, and says nothing of an attachment', async () => {
    const outbox = new FakeOutbox();
    outbox.fail.send = () => (outbox.lastFiles ? Object.assign(new Error('Missing Permissions'), { status: 403 }) : undefined);
    const b = board(outbox);
    await b.open();
    await b.finish(failed, ['Error: boom']);
    const summary = outbox.sent.at(-1)!.message;
    expect(summary.files).toBeUndefined();
    expect(summary.nonce).toBe('k-end-text');
    expect(summary.content).toMatch(/^❌ \*\*Apply failed\*\*/);
    expect(summary.content).not.toContain('📎');
  });

  it('GIVEN the summary with its log taken by Discord but answered with a 502, then refused on the retry THEN no second summary is sent without the log', async () => {
    const outbox = new FakeOutbox();
    const b = board(outbox);
    await b.open();
    let attempts = 0;
    const send = outbox.send.bind(outbox);
    outbox.send = async (channelId, message) => {
      if (!message.files) return send(channelId, message);
      attempts++;
      if (attempts === 1) { await send(channelId, message); throw Object.assign(new Error('Bad Gateway'), { status: 502 }); }
      throw Object.assign(new Error('Missing Permissions'), { status: 403 });
    };
    await b.finish(failed, ['Error: boom']);
    expect(outbox.sent.map((s) => s.message.nonce)).toEqual(['k-start', 'k-end']);
  });

  it('GIVEN Discord refuses an edit for good (the message is gone) THEN the board stops editing instead of failing every tick', async () => {
    const outbox = new FakeOutbox();
    let refused = 0;
    outbox.edit = async () => { refused++; throw Object.assign(new Error('Unknown Message'), { status: 404 }); };
    const b = board(outbox);
    await b.open();
    for (let i = 0; i < 10; i++) {
      b.progress.feed(`terraform_data.web${i}: Creating...`);
      await tick(30);
    }
    b.stop();
    expect(refused).toBe(1);
  });

  it('GIVEN a process that may no longer speak for the apply (its relay hold lapsed) THEN the board is not edited', async () => {
    const outbox = new FakeOutbox();
    let held = true;
    const b = board(outbox, { mayEdit: () => held });
    await b.open();
    b.progress.feed('terraform_data.web: Creating...');
    await tick(60);
    const edits = outbox.edits.length;
    expect(edits).toBeGreaterThan(0);
    held = false;
    b.progress.feed('terraform_data.web: Creation complete after 1s [id=1]');
    await tick(100);
    b.stop();
    expect(outbox.edits).toHaveLength(edits);
  });

  it('GIVEN output over the upload budget THEN the file keeps its end within the budget and says how many lines it left out; one giant line keeps its end', () => {
    const line = 'é'.repeat(1000);
    const many = Array.from({ length: 10_000 }, (_, i) => `${i} ${line}`);
    const { data, omittedLines } = logFile(many);
    expect(data.length).toBeLessThanOrEqual(LIMITS.attachmentBytes);
    expect(omittedLines).toBeGreaterThan(0);
    expect(data.toString().startsWith(`[the first ${omittedLines} of 10000 lines are left out`)).toBe(true);
    expect(data.toString()).toContain(`9999 ${line}`);
    const giant = logFile(['x'.repeat(LIMITS.attachmentBytes + 10) + 'END']);
    expect(giant.data.length).toBeLessThanOrEqual(LIMITS.attachmentBytes);
    expect(giant.data.toString().trimEnd().endsWith('END')).toBe(true);
  });
});
