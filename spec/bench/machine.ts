/** Description of the machine a benchmark ran on (printed in the table header, stored in the JSON). */
import os from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  platform: string;
  node: string;
  sdkVersion: string;
  redisVersion?: string;
  /** 1-minute load average when the run started and ended (other work on the machine skews results). */
  loadAverageBefore: number;
  loadAverageAfter?: number;
}

/** The machine this process runs on. */
export function machineInfo(sdkVersion: string): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    sdkVersion,
    loadAverageBefore: os.loadavg()[0] ?? 0,
  };
}
