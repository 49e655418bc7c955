// The extension's settings, and what the server receives of them.
import * as vscode from 'vscode';

export interface ServerSettings {
  claudeCode?: { version: string };
  severity?: Record<string, string>;
  dialects?: Record<string, { enabled?: boolean; patterns?: string[] }>;
  targets?: string[];
}

/** The settings the user set (user, workspace or folder), and only those: the server takes
 * the others from the project's config file (agentls.toml, [tool.agentls] in pyproject.toml). */
export function serverSettings(): ServerSettings {
  const c = vscode.workspace.getConfiguration('agentls');
  const set = <T>(key: string): T | undefined => {
    const i = c.inspect<T>(key);
    return i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue;
  };
  const out: ServerSettings = {};
  const version = set<string>('claudeCode.version');
  if (version) {
    out.claudeCode = { version };
  }
  const severity = set<Record<string, string>>('severity');
  if (severity) {
    out.severity = severity;
  }
  const dialects = set<Record<string, { enabled?: boolean; patterns?: string[] }>>('dialects');
  if (dialects) {
    out.dialects = dialects;
  }
  const targets = set<string[]>('targets');
  if (targets) {
    out.targets = targets;
  }
  return out;
}

/** Extra file patterns the user gave per dialect, so that VS Code sends those files too. */
export function extraPatterns(): string[] {
  const dialects = serverSettings().dialects || {};
  return Object.values(dialects).flatMap((d) => d.patterns || []);
}

export function launchSettings(): { pythonPath: string; command: string[] } {
  const c = vscode.workspace.getConfiguration('agentls');
  // In an untrusted workspace, never take an interpreter or command from workspace settings.
  const pick = <T>(key: string, fallback: T): T => {
    if (vscode.workspace.isTrusted) {
      return c.get<T>(key) ?? fallback;
    }
    const i = c.inspect<T>(key);
    return (i?.globalValue ?? i?.defaultValue ?? fallback) as T;
  };
  return { pythonPath: pick('server.pythonPath', ''), command: pick('server.command', [] as string[]) };
}
