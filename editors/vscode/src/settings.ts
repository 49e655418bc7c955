// The extension's settings, and what the server receives of them.
import * as vscode from 'vscode';

export interface ServerSettings {
  claudeCode: { version: string };
  severity: Record<string, string>;
  dialects: Record<string, { enabled?: boolean; patterns?: string[] }>;
  targets: string[];
}

export function serverSettings(): ServerSettings {
  const c = vscode.workspace.getConfiguration('agentls');
  return {
    claudeCode: { version: c.get<string>('claudeCode.version') || 'latest' },
    severity: c.get<Record<string, string>>('severity') || {},
    dialects: c.get<Record<string, { enabled?: boolean; patterns?: string[] }>>('dialects') || {},
    targets: c.get<string[]>('targets') || [],
  };
}

/** Extra file patterns the user gave per dialect, so that VS Code sends those files too. */
export function extraPatterns(): string[] {
  const dialects = serverSettings().dialects;
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
