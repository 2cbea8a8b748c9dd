import type { Report } from '../../bin/sandbox/report.ts';
import { runSandbox } from './sandbox-process.ts';

/** Replays a fixture folder the way a user would and returns the report it printed. */
export async function replayFolder(folder: string, now: string): Promise<{ report: Report; stdout: string }> {
  const run = await runSandbox(['replay', folder, '--now', now]);
  if (run.code !== 0) throw new Error(`replay exited ${run.code}: ${run.stderr}`);
  return { report: JSON.parse(run.stdout) as Report, stdout: run.stdout };
}

/** The look-ups every replay test makes on a report. */
export class ReportView {
  constructor(readonly report: Report) {}

  customerWith(kind: string, value: string) {
    return this.report.customers.find((c) => c.identities.some((i) => i.kind === kind && i.value === value));
  }

  conversationsOf(customerId: string | undefined, channel?: string) {
    return this.report.conversations.filter(
      (c) => c.customerId === customerId && (channel === undefined || c.channel === channel),
    );
  }

  sentTo(to: string, filter: { kind?: string; channel?: string } = {}) {
    return this.report.outbox.filter(
      (o) =>
        o.to === to &&
        (filter.kind === undefined || o.kind === filter.kind) &&
        (filter.channel === undefined || o.channel === filter.channel),
    );
  }
}
