// agentls for VS Code: start the server, restart it on demand, show its logs.
import * as vscode from 'vscode';
import { AgentlsClient } from './client';

let client: AgentlsClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  client = new AgentlsClient(context);
  context.subscriptions.push(
    client,
    vscode.commands.registerCommand('agentls.restartServer', () => client?.restart()),
    vscode.commands.registerCommand('agentls.showLogs', () => client?.showLogs()),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
