// Start and stop the language client; report a server that cannot start in the status bar.
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { findPython } from './python';
import { documentSelector } from './selector';
import { extraPatterns, launchSettings, serverSettings } from './settings';

export class AgentlsClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private readonly output = vscode.window.createOutputChannel('agentls');
  private readonly status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 100);
  private readonly watchers: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext) {
    this.status.command = 'agentls.showLogs';
    this.watchers.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('agentls.server') || e.affectsConfiguration('agentls.dialects')) {
          void this.restart();
        }
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.restart()),
    );
  }

  async start(): Promise<void> {
    const server = await this.serverOptions();
    if (!server) {
      return;
    }
    const clientOptions: LanguageClientOptions = {
      documentSelector: documentSelector(extraPatterns()),
      initializationOptions: serverSettings(),
      synchronize: { configurationSection: 'agentls' },
      outputChannel: this.output,
      traceOutputChannel: this.output,
    };
    this.client = new LanguageClient('agentls', 'agentls', server, clientOptions);
    try {
      await this.client.start();
      this.status.hide();
    } catch (e) {
      this.fail(`the server did not start: ${e instanceof Error ? e.message : String(e)}`,
        'Check agentls.server.pythonPath or agentls.server.command, then run "agentls: Restart Server".');
    }
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (c) {
      await c.stop().catch(() => undefined);
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  showLogs(): void {
    this.output.show(true);
  }

  dispose(): void {
    void this.stop();
    this.watchers.forEach((w) => w.dispose());
    this.status.dispose();
    this.output.dispose();
  }

  private async serverOptions(): Promise<ServerOptions | undefined> {
    const { pythonPath, command } = launchSettings();
    if (command.length > 0) {
      this.output.appendLine(`agentls: running ${command.join(' ')}`);
      return { command: command[0], args: command.slice(1), transport: TransportKind.stdio };
    }
    const found = await findPython(pythonPath);
    if ('error' in found) {
      this.fail(found.error, 'Install Python 3.10+ or set agentls.server.pythonPath.');
      return undefined;
    }
    const launcher = this.context.asAbsolutePath(path.join('bundled', 'launch.py'));
    this.output.appendLine(`agentls: Python ${found.version} from ${found.source}: ${found.python}`);
    return { command: found.python, args: [launcher, 'serve'], transport: TransportKind.stdio };
  }

  private fail(reason: string, fix: string): void {
    this.output.appendLine(`agentls: ${reason} ${fix}`);
    this.status.text = '$(error) agentls';
    this.status.tooltip = `agentls is not running: ${reason}\n${fix}\n(click for the logs)`;
    this.status.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    this.status.show();
  }
}
