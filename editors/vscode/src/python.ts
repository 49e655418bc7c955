// Find a Python 3.10+ for the bundled server: the setting, the Python extension's choice, PATH.
import { execFile } from 'child_process';
import * as vscode from 'vscode';

export interface Found { python: string; version: string; source: string }

function probe(python: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(python, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { timeout: 10000 },
      (err, stdout) => resolve(err ? undefined : stdout.trim()));
  });
}

function supported(version: string): boolean {
  const [major, minor] = version.split('.').map(Number);
  return major > 3 || (major === 3 && minor >= 10);
}

async function fromPythonExtension(): Promise<string | undefined> {
  const ext = vscode.extensions.getExtension('ms-python.python');
  if (!ext) {
    return undefined;
  }
  try {
    const api = ext.isActive ? ext.exports : await ext.activate();
    const env = api?.environments?.getActiveEnvironmentPath?.();
    const resolved = env ? await api.environments.resolveEnvironment(env) : undefined;
    return resolved?.executable?.uri?.fsPath ?? env?.path;
  } catch {
    return undefined;
  }
}

export async function findPython(configured: string): Promise<Found | { error: string }> {
  const candidates: [string, string][] = [];
  if (configured) {
    candidates.push([configured, 'the agentls.server.pythonPath setting']);
  } else {
    const fromExt = await fromPythonExtension();
    if (fromExt) {
      candidates.push([fromExt, "the Python extension's selected interpreter"]);
    }
    for (const name of process.platform === 'win32' ? ['py', 'python', 'python3'] : ['python3', 'python']) {
      candidates.push([name, 'PATH']);
    }
  }
  const tried: string[] = [];
  for (const [python, source] of candidates) {
    const version = await probe(python);
    if (version && supported(version)) {
      return { python, version, source };
    }
    tried.push(`${python} (${source}): ${version ? `Python ${version} is too old` : 'not runnable'}`);
  }
  return { error: `No Python 3.10 or newer found. Tried: ${tried.join('; ')}.` };
}
