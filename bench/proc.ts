// What the processes under test cost, read from Linux's /proc as `ps` and `top` do, so nothing
// inside the app has to answer: the app's process tree (the primary and its cluster workers; each
// process's threads are counted in its own figures) and every PostgreSQL server process.
import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports CPU time in clock ticks of 1/100 s (USER_HZ). */
const MS_PER_TICK = 10;

interface ProcStat {
  pid: number;
  command: string;
  ppid: number;
  /** User + system CPU time of all its threads, in milliseconds. */
  cpuMs: number;
}

function readStat(pid: number): ProcStat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command may hold spaces and parentheses: the fields start after the last ')'.
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    return {
      pid,
      command: stat.slice(stat.indexOf('(') + 1, close),
      ppid: Number(fields[1]),
      cpuMs: (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK,
    };
  } catch {
    return null; // it ended meanwhile
  }
}

function allStats(): ProcStat[] {
  let names: string[];
  try {
    names = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return []; // not Linux
  }
  return names.map((name) => readStat(Number(name))).filter((s): s is ProcStat => s !== null);
}

/** Resident memory of one process in bytes (VmRSS; 0 once it has ended). */
function rssBytes(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

export interface TreeUsage {
  /** The root first, then its descendants. */
  processes: Array<{ pid: number; rss: number }>;
  rss: number;
  cpuMs: number;
}

/** Memory and CPU time of a process and all its descendants. */
export function treeUsage(rootPid: number): TreeUsage {
  const stats = allStats();
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) {
    const siblings = children.get(s.ppid);
    if (siblings) siblings.push(s);
    else children.set(s.ppid, [s]);
  }
  const root = stats.find((s) => s.pid === rootPid);
  const tree: ProcStat[] = [];
  // Breadth first; a pid is visited once, so the walk ends however /proc changes under it.
  const seen = new Set<number>();
  for (let queue = root ? [root] : []; queue.length > 0; ) {
    const next = queue.shift() as ProcStat;
    if (seen.has(next.pid)) continue;
    seen.add(next.pid);
    tree.push(next);
    queue = queue.concat(children.get(next.pid) ?? []);
  }
  const processes = tree.map((s) => ({ pid: s.pid, rss: rssBytes(s.pid) }));
  return {
    processes,
    rss: processes.reduce((n, p) => n + p.rss, 0),
    cpuMs: tree.reduce((n, s) => n + s.cpuMs, 0),
  };
}

/** CPU milliseconds used so far by every PostgreSQL server process on this machine. */
export function postgresCpuMs(): number {
  return allStats()
    .filter((s) => s.command.startsWith('postgres'))
    .reduce((n, s) => n + s.cpuMs, 0);
}
