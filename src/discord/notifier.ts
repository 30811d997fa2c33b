import type { Logger } from 'pino';
import type { BudgetAlertNotice, Notifier } from '../core/ports.js';
import type { Outbox } from './outbox.js';
import { budgetAlertMessage } from './views/messages.js';
import { projectName } from '../domain/projects.js';

/**
 * Budget alerts reach people: posted to the project's alert channel (or the configured one), and
 * when neither is set, sent by DM to each project admin. One admin with closed DMs does not stop
 * the others from hearing about it.
 */
export class DiscordNotifier implements Notifier {
  constructor(
    private readonly outbox: Outbox,
    private readonly log: Logger,
    private readonly defaultAlertChannelId?: string,
  ) {}

  async budgetAlert(notice: BudgetAlertNotice): Promise<void> {
    const channelId = notice.alertChannelId ?? this.defaultAlertChannelId;
    if (channelId) {
      // The project's own channel is in its server; the operator's one channel hears from every server, so it is told which.
      await this.outbox.send(channelId, { content: budgetAlertMessage(notice, !notice.alertChannelId) });
      return;
    }
    const content = budgetAlertMessage(notice);
    const results = await Promise.allSettled(notice.adminUserIds.map(async (userId) => {
      const dm = await this.outbox.openDm(userId);
      await this.outbox.send(dm.id, { content });
    }));
    results.forEach((r, i) => {
      if (r.status === 'rejected') this.log.warn({ err: r.reason, userId: notice.adminUserIds[i], projectId: notice.projectId }, 'budget alert DM failed');
    });
    if (results.length && results.every((r) => r.status === 'rejected')) throw new Error(`no project admin of ${projectName(notice.projectId)} could be reached by DM`);
  }
}
