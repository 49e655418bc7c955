// Which documents the server sees. VS Code gives agent files its own language ids
// (chatagent, prompt, instructions, skill), so select by path, never by language id.
import { DocumentSelector } from 'vscode-languageclient/node';

export const PATTERNS: string[] = [
  '**/.claude/**/*.md',
  '**/*.agent.md',
  '**/.github/agents/*.md',
  '**/.copilot/agents/*.md',
  '**/*.chatmode.md',
  '**/*.prompt.md',
  '**/*.instructions.md',
  '**/SKILL.md',
  '**/skill.md',
  '**/*.mdc',
  '**/.opencode/**/*.md',
  '**/.config/opencode/**/*.md',
  '**/.gemini/agents/*.md',
  '**/.codex/prompts/*.md',
  '**/plugins/*/agents/**/*.md',
  '**/plugins/*/commands/**/*.md',
];

export function documentSelector(extra: string[]): DocumentSelector {
  return [...PATTERNS, ...extra].map((pattern) => ({ scheme: 'file', pattern }));
}
