// agentls in a real VS Code (code-server) driven by headless Chromium through playwright-core.
// Every assertion reads the UI: the Problems panel, the squiggles, the hover and the suggest widget.
// Env: CS_URL, WS (workspace holding .claude/agents/{broken,senior-backend-expert,lead}.md and
//      .claude/skills/pdf/SKILL.md, in a folder whose name URIs percent-encode: "my proj é"),
//      OUT_DIR (screenshots), STEP_TIMEOUT_MS.
const { chromium } = require('playwright-core');
const fs = require('fs'); const os = require('os'); const path = require('path');
const BASE = process.env.CS_URL || 'http://127.0.0.1:8080';
const WS = process.env.WS;
const OUT = process.env.OUT_DIR || process.cwd();
const T = Number(process.env.STEP_TIMEOUT_MS || 60000);
if (!WS) { console.error('set WS'); process.exit(2); }
const COLOURS = ['red', 'blue', 'green', 'yellow', 'purple', 'orange', 'pink', 'cyan'];
const t0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const check = (cond, what) => { if (!cond) throw new Error(`assertion failed: ${what}`); log('ok:', what); };

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const result = { ok: false };
  const page = ctx.pages()[0] || await ctx.newPage();
  page.on('pageerror', (e) => log('pageerror:', String(e).slice(0, 200)));
  const editor = page.locator('.part.editor .monaco-editor').first();
  const viewLine = (text) => editor.locator('.view-lines .view-line', { hasText: text }).first();

  // Quick Open (Ctrl+P) a workspace file, retrying: early keystrokes can be lost while the workbench boots.
  async function openFile(rel, marker) {
    const name = path.basename(rel);
    for (let i = 0; i < 5; i++) {
      await page.locator('.monaco-workbench').click({ position: { x: 700, y: 300 } }).catch(() => {});
      await page.keyboard.press('Control+P');
      const qi = page.locator('.quick-input-widget input');
      try { await qi.waitFor({ state: 'visible', timeout: 5000 }); } catch { log('quick open not visible, retry', i); continue; }
      await qi.fill(rel);
      // pick the row for exactly this file (broken.md must not open broken-reviewer.md)
      const row = page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${name.replace('.', '\\.')}$`) }) }).first();
      try { await row.waitFor({ timeout: 15000 }); await row.click(); } catch { log('no quick open row, retry', i); await page.keyboard.press('Escape'); continue; }
      try {
        await page.locator('.tab.active', { hasText: name }).first().waitFor({ timeout: 10000 });
        await viewLine(marker).waitFor({ timeout: 10000 });
        log('opened', rel);
        return;
      } catch { log('editor not open, retry', i); }
    }
    throw new Error(`could not open ${rel}`);
  }

  // Rows of the Problems panel (one field per line: message, source(code), [Ln, Col]).
  async function problemRow(code, text, where) {
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: code })
      .filter({ hasText: text }).filter({ hasText: where }).first();
    await row.waitFor({ timeout: T });
    return (await row.innerText()).split('\n').filter(Boolean);
  }

  try {
    await page.goto(`${BASE}/?folder=${encodeURIComponent(WS)}`, { waitUntil: 'domcontentloaded', timeout: T });
    await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: T });
    log('workbench loaded');
    await page.waitForSelector('.explorer-folders-view, .pane-body .monaco-list', { timeout: T }).catch(() => log('explorer not seen'));

    // (a) diagnostics on broken.md: squiggle on the color line, Problems panel rows with our codes
    await openFile('.claude/agents/broken.md', 'color: magenta');
    const squiggles = editor.locator('.squiggly-warning, .squiggly-error');
    await squiggles.first().waitFor({ state: 'attached', timeout: T });
    let onColorLine = false;
    for (let i = 0; i < 20 && !onColorLine; i++) {
      // read again each time: the CodeLens on `description:` arrives later and moves the lines
      const colorBox = await viewLine('color: magenta').boundingBox();
      for (const s of await squiggles.all()) {
        const b = await s.boundingBox().catch(() => null);
        if (b && b.y + b.height / 2 >= colorBox.y && b.y + b.height / 2 <= colorBox.y + colorBox.height) { onColorLine = true; break; }
      }
      if (!onColorLine) await sleep(250);
    }
    check(onColorLine, 'a squiggle is drawn on the `color: magenta` line');
    // the CodeLens on `description:`: what the agent adds to every request (issue 14)
    const lens = editor.locator('.codelens-decoration', { hasText: 'tokens in every request' });
    await lens.first().waitFor({ state: 'attached', timeout: T });
    result.codelens = await lens.first().innerText();
    log('CodeLens:', result.codelens);
    await page.keyboard.press('Control+Shift+M');
    result.agl301 = await problemRow('AGL301', '`magenta` is not a valid `color`', 'Ln 6, Col 8');
    log('AGL301 row:', JSON.stringify(result.agl301));
    check(result.agl301.some((f) => f.includes('agentls')), 'AGL301 problem has source agentls');
    result.agl401 = await problemRow('AGL401', 'Unknown tool `Grepp`', 'Ln 4, Col 14');
    log('AGL401 row:', JSON.stringify(result.agl401));
    result.statusProblems = await page.locator('[id="status.problems"]').first().getAttribute('aria-label').catch(() => null);
    log('status bar:', result.statusProblems);
    check(/Warnings: 2/.test(result.statusProblems || ''), 'status bar counts 2 warnings');
    await page.mouse.move(5, 5);
    await page.screenshot({ path: path.join(OUT, 'shot-diagnostics.png') });

    // (b) hover over the `model` key shows the catalog's docs
    const modelLine = viewLine('model: sonnet');
    const mb = await modelLine.boundingBox();
    let hover = null;
    for (let i = 0; i < 4 && !hover; i++) {
      await page.mouse.move(mb.x + 8 + i * 3, mb.y + mb.height / 2);
      await page.mouse.move(mb.x + 14 + i * 3, mb.y + mb.height / 2);
      const hv = page.locator('.monaco-hover', { hasText: 'Model for this agent' }).first();
      try { await hv.waitFor({ state: 'visible', timeout: 8000 }); hover = await hv.innerText(); } catch { log('hover retry', i); }
    }
    result.hover = hover; log('hover:', JSON.stringify(hover));
    check(hover && hover.includes('model (optional, string)'), 'hover title "model (optional, string)"');
    check(hover && hover.includes("Model for this agent: an alias, inherit (the main conversation's model) or a full model id."),
      'hover shows the catalog doc of `model`');
    await page.screenshot({ path: path.join(OUT, 'shot-hover.png') });
    await page.mouse.move(5, 5);

    // (c) completion: empty the value of `color:`, Ctrl+Space offers the eight colours
    const colorLine = viewLine('color: magenta');
    await colorLine.click();
    await page.keyboard.press('End');
    for (let i = 0; i < 'magenta'.length; i++) await page.keyboard.press('Backspace');
    await editor.locator('.view-lines .view-line', { hasText: /^color:\s*$/ }).first().waitFor({ timeout: 5000 });
    let labels = null;
    for (let i = 0; i < 4 && !labels; i++) {
      await page.keyboard.press('Control+Space');
      const sw = page.locator('.suggest-widget .monaco-list-row', { hasText: 'purple' }).first();
      try {
        await sw.waitFor({ state: 'visible', timeout: 8000 });
        await sleep(300);
        labels = await page.locator('.suggest-widget .monaco-list-row .label-name').allInnerTexts();
      } catch { log('completion retry', i); await page.keyboard.press('Escape'); }
    }
    result.completion = labels; log('completion labels:', JSON.stringify(labels));
    check(labels && COLOURS.every((c) => labels.map((l) => l.trim()).includes(c)), `completion offers ${COLOURS.join(', ')}`);
    await page.screenshot({ path: path.join(OUT, 'shot-completion.png') });
    await page.keyboard.press('Escape');
    for (let i = 0; i < 10; i++) {   // undo the edit: leave the file clean (no hot-exit backup)
      if (await viewLine('color: magenta').count()) break;
      await page.keyboard.press('Control+Z'); await sleep(100);
    }

    // (d) senior-backend-expert.md: invalid YAML in description (AGL100) and mojibake (AGL105)
    await openFile('.claude/agents/senior-backend-expert.md', 'name: senior-backend-expert');
    await page.locator('.markers-panel').first().waitFor({ state: 'visible', timeout: 5000 })
      .catch(async () => { await page.keyboard.press('Control+Shift+M'); });
    result.agl100 = await problemRow('AGL100', 'Not valid YAML', 'Ln 3, Col 14');
    log('AGL100 row:', JSON.stringify(result.agl100));
    result.agl105 = await problemRow('AGL105', 'Mojibake', 'Ln 102, Col 3');
    log('AGL105 row:', JSON.stringify(result.agl105));
    await page.screenshot({ path: path.join(OUT, 'shot-senior-backend-expert.png') });

    // (e) workspace index: lead.md preloads a skill that does not exist (AGL801, once the
    // background index is ready); creating the skill on disk reaches the server as a file event
    // (VS Code's watcher, registered by the server) and the finding goes away
    await openFile('.claude/agents/lead.md', 'name: lead');
    result.agl801 = await problemRow('AGL801', 'No skill named `pdf-forms`', 'Ln 6, Col 5');
    log('AGL801 row:', JSON.stringify(result.agl801));
    const skill = path.join(WS, '.claude', 'skills', 'pdf-forms');
    fs.mkdirSync(skill, { recursive: true });
    fs.writeFileSync(path.join(skill, 'SKILL.md'), '---\ndescription: Fill in PDF forms\n---\nFill in the form.\n');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'AGL801' }).first()
      .waitFor({ state: 'detached', timeout: T });
    log('ok: AGL801 cleared after the skill was created on disk');

    // (f) go to definition (F12) on the skill `pdf`: the server's Location (a file URI under
    // the workspace folder, whose name needs percent-encoding) opens the skill in an editor
    await viewLine(/^\s*-\s+pdf\s*$/).click();  // VS Code renders spaces as U+00A0
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('F12');
    await page.locator('.tab.active', { hasText: 'SKILL.md' }).first().waitFor({ timeout: T });
    await viewLine('Fill in the document').waitFor({ timeout: T });
    log('ok: go to definition opened .claude/skills/pdf/SKILL.md');

    // (g) ordinary Markdown stays Markdown: notes/plain.md (front matter that would be wrong in
    // an agent) keeps VS Code's own language mode and gets no agentls problem
    await openFile('notes/plain.md', 'Plain Markdown that only looks like an agent');
    const mode = page.locator('[id="status.editor.mode"]').first();
    await mode.waitFor({ timeout: T });
    result.plainMode = (await mode.innerText()).trim();
    log('language mode of notes/plain.md:', result.plainMode);
    check(result.plainMode === 'Markdown', 'notes/plain.md stays in the Markdown language mode');
    result.plainProblems = await page.locator('.markers-panel .monaco-list-row', { hasText: 'plain.md' }).count();
    check(result.plainProblems === 0, 'no problem listed for notes/plain.md');
    result.ok = true;
  } catch (e) {
    result.error = String((e && e.message) || e).split('\n')[0];
    log('FAILED:', result.error);
    await page.screenshot({ path: path.join(OUT, 'shot-fail.png') }).catch(() => {});
  } finally {
    result.seconds = (Date.now() - t0) / 1000;
    console.log('RESULT ' + JSON.stringify(result));
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
    process.exit(result.ok ? 0 : 1);
  }
})();
