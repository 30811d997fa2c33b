import type { Store } from '../domain/store.js';
import { newestState, parseState } from '../terraform/tfstate.js';
import { CoreError } from '../domain/errors.js';
import { readStateFile } from '../terraform/workspace.js';
import type { Auditor } from './audit.js';
import type { Clock } from './ports.js';
import type { StateVersion } from '../domain/runs.js';
import type { ProjectKey } from '../domain/projects.js';

export type CaptureOutcome =
  | { kind: 'saved'; version: StateVersion }
  | { kind: 'unchanged'; version: StateVersion | undefined }
  | { kind: 'refused'; reason: string; version: StateVersion | undefined };

/**
 * Terraform state versions: the store is the source of truth; a run's directory gets the latest version
 * when it is built and gives back what Terraform wrote.
 * A version is only ever appended; serial must grow and lineage must never change.
 */
export class StateSync {
  constructor(private readonly store: Store, private readonly audit: Auditor, private readonly clock: Clock) {}

  /**
   * Saves what Terraform wrote in a run directory, if it is a newer version of the same lineage. With a
   * fencing token the version is saved only while the token is current; otherwise it is kept aside
   * as an unrecorded state for the operator, never as the project's state.
   */
  async capture(projectId: ProjectKey, sessionId: string | null, dir: string, fence?: number, printed?: string): Promise<CaptureOutcome> {
    const latest = await this.store.states.latest(projectId);
    let left: string | undefined;
    try {
      left = readStateFile(dir);
    } catch (e) {
      if (e instanceof CoreError) return { kind: 'refused', reason: `${e.message}; the run directory is kept for the operator`, version: latest };
      throw e;
    }
    const text = newestState([left, printed]);
    if (text === undefined) return { kind: 'unchanged', version: latest };
    const parsed = parseState(text);
    if (!parsed) return { kind: 'refused', reason: 'the state file the run left is not valid JSON state (corrupted?); its directory is kept for the operator', version: latest };
    if (latest && parsed.checksum === latest.checksum) return { kind: 'unchanged', version: latest };
    if (latest && parsed.lineage !== latest.lineage) {
      return { kind: 'refused', reason: `state lineage changed from ${latest.lineage} to ${parsed.lineage}; refusing to replace the project's state history`, version: latest };
    }
    if (latest && parsed.serial <= latest.serial) {
      return { kind: 'refused', reason: `state serial ${parsed.serial} is not newer than saved serial ${latest.serial}`, version: latest };
    }
    const version: Omit<StateVersion, 'id' | 'keyId'> = {
      projectId, sessionId, serial: parsed.serial, lineage: parsed.lineage, checksum: parsed.checksum,
      stateJson: parsed.json, createdAt: this.clock.now().toISOString(),
    };
    const id = await this.store.transaction(async () => {
      // Checked again under the write lock: another capture of the same run (a running apply's watcher) may have saved it meanwhile.
      const now = await this.store.states.latest(projectId);
      if (now && now.serial >= parsed.serial && now.lineage === parsed.lineage) return now.checksum === parsed.checksum ? null : undefined;
      if (fence !== undefined && !await this.store.locks.holds(projectId, fence)) {
        const reason = 'this run lost its lease on the project; the state it wrote is kept aside as unrecorded';
        const kept = await this.store.states.insertUnrecorded({ ...version, fence, reason });
        await this.audit.record(null, {
          eventType: 'state_unrecorded', projectId, sessionId, action: 'save_state', status: 'failure',
          details: { unrecorded_state_id: kept, serial: parsed.serial, resources: parsed.resourceCount, fence }, error: reason,
        });
        return undefined;
      }
      const newId = await this.store.states.insert(version);
      await this.audit.record(null, {
        eventType: 'state_saved', projectId, sessionId, action: 'save_state', status: 'success',
        details: { serial: parsed.serial, lineage: parsed.lineage, resources: parsed.resourceCount },
      });
      return newId;
    });
    if (id === null) return { kind: 'unchanged', version: await this.store.states.latest(projectId) };
    if (id === undefined) return { kind: 'refused', reason: 'this run lost its lease on the project (another process took over), or a newer state was saved meanwhile; what it wrote was kept aside, not saved as the project state', version: latest };
    return { kind: 'saved', version: { ...version, id, keyId: this.store.states.currentKeyId() } };
  }
}
