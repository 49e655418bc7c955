// Conformance helper for tests/conformance/vscode: reads a job (JSON) next to the workspace
// folder, shows each listed file in a code editor (several editor groups at once), waits until
// vscode.languages.getDiagnostics(uri) is stable, and writes every diagnostic to the job's output.
// Job: { "files": [abs path...], "out": abs path, "groups": n, "minMs": n, "quietMs": n, "maxMs": n }
// Output: { "version", "files": { path: { languageId, lineCount, ms, timedOut, diagnostics: [...] } }, "done": true }
'use strict';
const vscode = require('vscode');
const fs = require('fs');
const path = require('path');

const SEV = ['error', 'warning', 'info', 'hint'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function jobPath() {
  if (process.env.VSCDIAG_JOB) return process.env.VSCDIAG_JOB;
  const ws = vscode.workspace.workspaceFolders;
  return ws && ws.length ? path.join(path.dirname(ws[0].uri.fsPath), 'vscdiag-job.json') : null;
}

function snapshot(uri) {
  return vscode.languages.getDiagnostics(uri).map((d) => ({
    severity: SEV[d.severity] || String(d.severity),
    message: d.message,
    range: [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
    source: d.source === undefined ? null : d.source,
    code: d.code === undefined ? null : (typeof d.code === 'object' ? String(d.code.value) : String(d.code)),
    tags: d.tags && d.tags.length ? d.tags.slice() : undefined,
  }));
}

async function record(job, file, column) {
  const uri = vscode.Uri.file(file);
  const t0 = Date.now();
  const res = { languageId: null, lineCount: null, ms: 0, timedOut: false, diagnostics: [], error: null };
  let last = null; let lastChange = Date.now();
  const sub = vscode.languages.onDidChangeDiagnostics((e) => {
    if (e.uris.some((u) => u.toString() === uri.toString())) lastChange = Date.now();
  });
  try {
    const doc = await vscode.workspace.openTextDocument(uri);
    res.languageId = doc.languageId; res.lineCount = doc.lineCount;
    await vscode.window.showTextDocument(doc, { viewColumn: column, preview: false, preserveFocus: true });
    lastChange = Date.now();
    for (;;) {
      await sleep(50);
      const cur = JSON.stringify(snapshot(uri));
      if (cur !== last) { last = cur; lastChange = Date.now(); }
      const now = Date.now();
      if (now - t0 >= job.minMs && now - lastChange >= job.quietMs) break;
      if (now - t0 >= job.maxMs) { res.timedOut = true; break; }
    }
    res.diagnostics = snapshot(uri);
    // validation runs only while a code editor shows the file: it must still be visible
    if (!vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === uri.toString())) {
      res.error = 'editor no longer visible';
    }
  } catch (e) {
    res.error = String(e && e.message || e);
  } finally {
    sub.dispose();
    res.ms = Date.now() - t0;
  }
  try {
    for (const g of vscode.window.tabGroups.all) {
      for (const tab of g.tabs) {
        if (tab.input && tab.input.uri && tab.input.uri.toString() === uri.toString()) await vscode.window.tabGroups.close(tab, true);
      }
    }
  } catch (_) { /* the next file replaces it anyway */ }
  return res;
}

async function run() {
  const jp = jobPath();
  if (!jp || !fs.existsSync(jp)) return;
  const job = Object.assign({ groups: 4, minMs: 1200, quietMs: 500, maxMs: 8000 }, JSON.parse(fs.readFileSync(jp, 'utf8')));
  const out = { version: vscode.version, appName: vscode.env.appName, files: {}, done: false };
  const write = () => fs.writeFileSync(job.out + '.tmp', JSON.stringify(out)) || fs.renameSync(job.out + '.tmp', job.out);
  await sleep(job.startDelayMs || 1000);
  if (job.warmup) {
    // The first validations after start-up are slow (services still loading): show a file that
    // must get a marker and wait for it, so that "no marker" later means "validated, nothing".
    const t0 = Date.now();
    const uri = vscode.Uri.file(job.warmup);
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { viewColumn: 1, preview: false });
      while (vscode.languages.getDiagnostics(uri).length === 0 && Date.now() - t0 < 90000) await sleep(100);
      out.warmup = { ms: Date.now() - t0, markers: vscode.languages.getDiagnostics(uri).length };
      await sleep(job.afterWarmupMs || 2000);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    } catch (e) {
      out.warmup = { error: String(e && e.message || e) };
    }
  }
  const groups = Math.min(job.groups, 9);
  // one editor group per worker, created up front (columns created on demand race each other)
  const cells = [];
  for (let g = 0; g < groups; g++) cells.push({ size: 1 / groups });
  await vscode.commands.executeCommand('vscode.setEditorLayout', { orientation: 0, groups: cells });
  const queue = job.files.slice();
  const worker = async (column) => {
    for (;;) {
      const f = queue.shift();
      if (f === undefined) return;
      out.files[f] = await record(job, f, column);
    }
  };
  const workers = [];
  for (let g = 1; g <= groups; g++) workers.push(worker(g));
  const tick = setInterval(write, 5000);
  await Promise.all(workers);
  clearInterval(tick);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  try { out.lmTools = vscode.lm.tools.map((x) => ({ name: x.name, tags: x.tags })); } catch (e) { out.lmTools = String(e); }
  out.done = true;
  write();
}

exports.activate = function activate() {
  run().catch((e) => {
    try { const jp = jobPath(); const job = JSON.parse(fs.readFileSync(jp, 'utf8')); fs.writeFileSync(job.out, JSON.stringify({ done: true, fatal: String(e && e.stack || e) })); } catch (_) { /* nothing to report to */ }
  });
};
exports.deactivate = function deactivate() {};
