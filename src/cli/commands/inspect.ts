import { resolve } from 'node:path';
import type { App } from '../../app.js';
import { CoreError } from '../../domain/errors.js';
import { auditExportLines } from '../../stats/auditExport.js';
import { numberFlag, parseFlags, requireFlag } from '../args.js';
import { writeNewFile } from '../exportFile.js';
import { operatorActor, projectScope } from '../operator.js';
import type { CliCommand } from '../types.js';
import { withApp } from '../withApp.js';

const stateUsage = 'cloud-engine state --project <id> [--json] [--show [--serial <n>]]\n       cloud-engine state rekey   (re-encrypt every stored state and plan file with STATE_ENCRYPTION_KEY)';
export const stateCommand: CliCommand = {
  name: 'state',
  summary: "Show a project's saved Terraform state versions",
  usage: stateUsage,
  async run(argv, ctx) {
    const { values, positionals } = parseFlags(argv, { project: { type: 'string' }, guild: { type: 'string' }, json: { type: 'boolean' }, show: { type: 'boolean' }, serial: { type: 'string' } }, stateUsage);
    if (values.help) return ctx.io.out(stateUsage), 0;
    if (positionals[0] === 'rekey') {
      return withApp(ctx.config, { skipTerraformCheck: true }, async (app) => {
        const r = await app.orchestrator.rekeyStore(operatorActor());
        ctx.io.out(`Encrypted ${r.states} state version(s), ${r.unrecorded} unrecorded state(s), ${r.plans} plan file(s), ${r.planOutputs} plan output(s), ${r.policyInputs} policy input(s) and ${r.drafts} refused form(s) kept for Edit and retry with key ${r.keyId}.`);
        return 0;
      });
    }
    if (positionals.length) throw new CoreError('validation', `unknown subcommand '${positionals[0]}'.\nUsage: ${stateUsage}`);
    const projectId = requireFlag(values.project, 'project', stateUsage);
    if (values.show) {
      // Reading a body is audited, so this command writes: it is not one of the read-only ones.
      return withApp(ctx.config, { skipTerraformCheck: true }, async (app) => {
        const { actor, name } = await projectScope(app, projectId, values.guild);
        ctx.io.out((await app.orchestrator.showState(actor, name, numberFlag(values.serial, 'serial', 1, Number.MAX_SAFE_INTEGER))).stateJson);
        return 0;
      });
    }
    return withApp(ctx.config, { skipTerraformCheck: true, readsOnly: true }, async (app) => {
      const { actor, name } = await projectScope(app, projectId, values.guild);
      const { latest, versions } = await app.orchestrator.stateVersions(actor, name);
      if (values.json) {
        ctx.io.out(JSON.stringify({ latest: latest ? { serial: latest.serial, lineage: latest.lineage, checksum: latest.checksum, created_at: latest.createdAt, session_id: latest.sessionId } : null, versions }, null, 2));
        return 0;
      }
      if (!latest) return ctx.io.out(`Project ${name} has no saved state yet.`), 0;
      ctx.io.out(`Latest state: serial ${latest.serial}, lineage ${latest.lineage}, saved ${latest.createdAt}`);
      for (const v of versions) ctx.io.out(`  serial ${String(v.serial).padEnd(5)} ${v.createdAt}  session ${v.sessionId?.slice(0, 8) ?? '(reconciled)'}  sha256 ${v.checksum.slice(0, 12)}  ${v.keyId ? `encrypted (key ${v.keyId})` : 'in clear'}`);
      return 0;
    });
  },
};

const auditUsage = 'cloud-engine audit [--project <id>] [--user <id>] [--event <type>] [--limit <n>] [--json]\n       cloud-engine audit --export <file.csv|file.jsonl> [--project <id>] [--user <id>] [--event <type>]   (every matching row, streamed)';

export const auditCommand: CliCommand = {
  name: 'audit',
  summary: 'Read the audit log, newest first',
  usage: auditUsage,
  async run(argv, ctx) {
    const { values } = parseFlags(argv, { project: { type: 'string' }, guild: { type: 'string' }, user: { type: 'string' }, event: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' }, export: { type: 'string' } }, auditUsage);
    if (values.help) return ctx.io.out(auditUsage), 0;
    const query = { ...(values.user ? { userId: values.user } : {}), ...(values.event ? { eventType: values.event } : {}) };
    /** The operator reads the whole log, or one project's as that project's server. */
    const scoped = async (app: App) => {
      if (!values.project) return { actor: operatorActor(), filter: query };
      const { actor, name } = await projectScope(app, values.project, values.guild);
      return { actor, filter: { ...query, project: name } };
    };
    if (values.export !== undefined) {
      const out = resolve(values.export);
      const csv = /\.csv$/i.test(out);
      if (!csv && !/\.jsonl$/i.test(out)) throw new CoreError('validation', `--export must end in .csv or .jsonl, got '${values.export.slice(0, 80)}'.\nUsage: ${auditUsage}`);
      return withApp(ctx.config, { skipTerraformCheck: true, readsOnly: true }, async (app, interrupted) => {
        let count = 0;
        const { actor, filter } = await scoped(app);
        const rows = await app.orchestrator.exportAudit(actor, filter);
        const counted = (async function* () {
          for await (const r of rows) yield (count++, r);
        })();
        if (!(await writeNewFile(out, auditExportLines(counted, csv ? 'csv' : 'jsonl'), interrupted))) {
          ctx.io.err(`Interrupted: nothing was written to ${out}.`);
          return 1;
        }
        ctx.io.out(`Wrote ${count} audit event(s), newest first, to ${out}`);
        return 0;
      });
    }
    return withApp(ctx.config, { skipTerraformCheck: true, readsOnly: true }, async (app) => {
      const { actor, filter } = await scoped(app);
      const rows = await app.orchestrator.audit(actor, { ...filter, limit: numberFlag(values.limit, 'limit', 1, 1000) ?? 50 });
      if (values.json) return ctx.io.out(JSON.stringify(rows, null, 2)), 0;
      for (const r of [...rows].reverse()) {
        ctx.io.out(`${r.timestamp}  ${r.eventType.padEnd(24)} ${r.status.padEnd(8)} ${(r.projectId ?? '-').padEnd(24)} ${(r.userName ?? r.userId ?? 'system').padEnd(16)} ${r.sessionId?.slice(0, 8) ?? ''}${r.error ? `  ${r.error.split('\n')[0]}` : ''}`);
      }
      return 0;
    });
  },
};

const stopUsage = 'cloud-engine stop --project <id>   (interrupt the project\'s running apply wherever it runs: Terraform stops cleanly and its state is saved; the lock stays until it is recorded)';
export const stopCommand: CliCommand = {
  name: 'stop',
  summary: "Interrupt a project's running apply (its state is saved)",
  usage: stopUsage,
  async run(argv, ctx) {
    const { values } = parseFlags(argv, { project: { type: 'string' }, guild: { type: 'string' } }, stopUsage);
    if (values.help) return ctx.io.out(stopUsage), 0;
    const projectId = requireFlag(values.project, 'project', stopUsage);
    return withApp(ctx.config, { skipTerraformCheck: true }, async (app) => {
      const { actor, name } = await projectScope(app, projectId, values.guild);
      const { sessionId } = await app.orchestrator.stopApply(actor, name);
      ctx.io.out(`Asked the apply of session ${sessionId.slice(0, 8)} in ${name} to stop; it stops within a heartbeat and records what it applied.`);
      return 0;
    });
  },
};

const unlockUsage = 'cloud-engine unlock --project <id> --reason <text> [--interrupt]   (--interrupt: stop a running plan/apply first, saving its state)';
export const unlockCommand: CliCommand = {
  name: 'unlock',
  summary: "Force-release a project's lock (audited)",
  usage: unlockUsage,
  async run(argv, ctx) {
    const { values } = parseFlags(argv, { project: { type: 'string' }, guild: { type: 'string' }, reason: { type: 'string' }, interrupt: { type: 'boolean' } }, unlockUsage);
    if (values.help) return ctx.io.out(unlockUsage), 0;
    const projectId = requireFlag(values.project, 'project', unlockUsage);
    const reason = requireFlag(values.reason, 'reason', unlockUsage);
    return withApp(ctx.config, { skipTerraformCheck: true }, async (app) => {
      const { actor, name } = await projectScope(app, projectId, values.guild);
      const res = await app.orchestrator.forceUnlock(actor, name, reason, { interrupt: values.interrupt ?? false });
      const how = res.interrupted ? ' after interrupting its run (the state it wrote was saved)' : '';
      ctx.io.out(res.released ? `Released the lock of ${name} held by session ${res.sessionId!.slice(0, 8)}${how}.` : `${name} was not locked.`);
      return 0;
    });
  },
};
