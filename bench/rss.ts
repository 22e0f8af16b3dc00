/** A process's resident memory from /proc: its high-water mark (VmHWM) and a way to start that mark afresh. */
import { readFileSync, writeFileSync } from 'node:fs';

export function peakRssMB(pid: number | 'self'): number {
  return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

/** Sets the high-water mark to the current RSS (Linux's clear_refs 5), so what ran before is not counted. */
export function resetPeakRss(pid: number | 'self'): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}
