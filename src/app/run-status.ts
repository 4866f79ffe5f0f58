import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SkillOptError } from '../core/errors.js';
import { activeReplaySet } from '../store/tasks-repo.js';
import { getNight, listNights, readNightLock, type NightRecord } from '../store/nights-repo.js';
import { listProposals } from '../store/proposals-repo.js';
import { sessionSourceStats } from '../store/sessions-repo.js';
import type { NightReport } from '../report/night-report.js';
import { syncConfiguredSkills } from './skill-store.js';
import type { CliContext, ServiceStatus } from './deps.js';

/** What `status` reports. */
export interface StatusReport {
  /** From the injected readServiceStatus (the CLI's asks the daemon and reads the unit file). */
  service: ServiceStatus;
  running: { night: number | null; pid: number; host: string; holder: string; since: string } | null;
  lastNight: { night: number; status: NightRecord['status']; startedAt: string; finishedAt: string | null; dryRun: boolean; report: string | null } | null;
  nextNight: { at: string | null; date: string | null; trigger: string | null; detail: string };
  pending: Array<{ night: number; skill: string; proposalId: number; flagged: number }>;
  replaySet: { train: number; val: number; test: number; unsplit: number; total: number };
  sources: Array<{ source: string; sessions: number; lastHarvest: string | null }>;
  skills: Array<{ name: string; kind: string; version: number; state: string; path: string }>;
  problems: string[];
}

/** `status`: service, last and next night, pending proposals, replay set by split, sources. */
export async function runStatus(deps: Pick<CliContext, 'clock' | 'openDb' | 'config' | 'environment' | 'cwd' | 'readServiceStatus'>): Promise<StatusReport> {
  const service = await deps.readServiceStatus();
  const db = deps.openDb();
  const { synced, problems } = syncConfiguredSkills(deps);
  const lock = readNightLock(db);
  const last = listNights(db, 20).find((n) => n.status !== 'running');
  const tasks = activeReplaySet(db);
  const count = (s?: string) => tasks.filter((t) => t.split === s).length;
  return {
    service,
    running: lock ? { night: lock.nightId, pid: lock.pid, host: lock.host, holder: lock.holder, since: lock.acquiredAt } : null,
    lastNight: last ? { night: last.id, status: last.status, startedAt: last.startedAt, finishedAt: last.finishedAt, dryRun: last.dryRun, report: last.reportDir ? join(last.reportDir, 'report.md') : null } : null,
    nextNight: service.nextNight
      ? { ...service.nextNight, detail: `night of ${service.nextNight.date}, ${service.nextNight.trigger === 'schedule' ? 'scheduled' : service.nextNight.trigger}${service.running ? '' : ' (when the daemon runs: `skillopt-sleep install`)'}` }
      : { at: null, date: null, trigger: null, detail: 'unknown; `skillopt-sleep run --now` runs one now' },
    pending: listProposals(db, { status: 'pending' }).map((p) => ({ night: p.nightId, skill: p.skillName, proposalId: p.id, flagged: p.flags.length })),
    replaySet: { train: count('train'), val: count('val'), test: count('test'), unsplit: count(undefined), total: tasks.length },
    sources: sessionSourceStats(db),
    skills: synced.map((s) => ({ name: s.skill.name, kind: s.skill.kind, version: s.latest.version, state: s.state, path: s.locations[0]?.path ?? '' })),
    problems,
  };
}

/** `report [--night N]`: the stored report of a night (default: the newest that wrote one). */
export function runReportLookup(deps: Pick<CliContext, 'openDb'>, night?: number): { report: NightReport; files: { md: string; json: string; html: string } } {
  const db = deps.openDb();
  const record = night !== undefined ? getNight(db, night) : listNights(db, 100).find((n) => n.reportDir !== null);
  if (!record) throw new SkillOptError('NOT_FOUND', night !== undefined ? `there is no night ${night}` : 'no night has run yet', { hint: 'run one with `skillopt-sleep run --now`; `skillopt-sleep status` lists the last night' });
  if (!record.reportDir) throw new SkillOptError('NOT_FOUND', `night ${record.id} wrote no report (status ${record.status}${record.error ? `: ${record.error}` : ''})`, { hint: 'run another night with `skillopt-sleep run --now`' });
  const files = { md: join(record.reportDir, 'report.md'), json: join(record.reportDir, 'report.json'), html: join(record.reportDir, 'report.html') };
  if (!existsSync(files.json)) throw new SkillOptError('NOT_FOUND', `the report of night ${record.id} is missing (${files.json})`, { hint: 'it was moved or deleted; run another night' });
  return { report: JSON.parse(readFileSync(files.json, 'utf8')) as NightReport, files };
}
