-- Headless Neovim 0.7 check of agentls through Neovim's own LSP client:
-- diagnostics (byte columns after an emoji), hover, completion, and an edit.
-- Env: AGENTLS_CMD (the server command, space separated), SAMPLES (folder with .claude/agents/nvim.md).
local cmd = vim.split(assert(os.getenv('AGENTLS_CMD'), 'set AGENTLS_CMD'), ' ', { trimempty = true })
local samples = assert(os.getenv('SAMPLES'), 'set SAMPLES')
local out = function(s) io.stdout:write(s .. '\n') end
local failures = 0
local function check(cond, what)
  if not cond then failures = failures + 1; out('FAIL: ' .. what) else out('ok: ' .. what) end
end

local client_id = vim.lsp.start_client({ name = 'agentls', cmd = cmd, root_dir = samples })
vim.cmd('edit ' .. samples .. '/.claude/agents/nvim.md')
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client_id)

local function codes()
  local got = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do got[#got + 1] = d end
  table.sort(got, function(a, b) return a.lnum < b.lnum end)
  return got
end

local ok = vim.wait(15000, function()
  return #vim.diagnostic.get(buf) >= 2 or vim.lsp.get_client_by_id(client_id) == nil
end, 10)
if vim.lsp.get_client_by_id(client_id) == nil then error('server exited; see lsp.log') end
check(ok, 'diagnostics arrive')
local ds = codes()
for _, d in ipairs(ds) do
  out(string.format('  diag %d:%d-%d:%d %s %s', d.lnum, d.col, d.end_lnum, d.end_col, tostring(d.code), d.message))
end
local by_line = {}
for _, d in ipairs(ds) do by_line[d.lnum] = d end
check(by_line[1] and by_line[1].code == 'AGL303' and by_line[1].col == 6 and by_line[1].end_col == 19,
  'name style warning on the value (bytes 6-19)')
check(by_line[3] and by_line[3].code == 'AGL306' and by_line[3].col == 7 and by_line[3].end_col == 12,
  'unknown model on the value (bytes 7-12)')

-- hover on the `model` key (row 4, 1-based)
vim.api.nvim_win_set_cursor(0, { 4, 1 })
local res = vim.lsp.buf_request_sync(buf, 'textDocument/hover', vim.lsp.util.make_position_params(), 5000)
local hover_text = ''
for _, r in pairs(res or {}) do
  if r.result then hover_text = r.result.contents.value or '' end
end
check(hover_text:find('**model**', 1, true) ~= nil, 'hover documents the model key')

-- completion on the empty line inside the front matter (row 5)
vim.api.nvim_win_set_cursor(0, { 5, 0 })
res = vim.lsp.buf_request_sync(buf, 'textDocument/completion', vim.lsp.util.make_position_params(), 5000)
local labels = {}
for _, r in pairs(res or {}) do
  for _, it in ipairs((r.result and (r.result.items or r.result)) or {}) do labels[it.label] = true end
end
check(labels['tools'] and labels['color'] and not labels['model'], 'completion offers missing keys only')

-- edit: gpt-4 -> opus; the model diagnostic must go away
vim.api.nvim_buf_set_text(buf, 3, 7, 3, 12, { 'opus' })
ok = vim.wait(5000, function()
  for _, d in ipairs(vim.diagnostic.get(buf)) do if d.lnum == 3 then return false end end
  return true
end, 10)
check(ok, 'diagnostics follow an edit')

-- an emoji in the value: the server sends UTF-16 columns 7-10, Neovim shows bytes 7-12
vim.api.nvim_buf_set_lines(buf, 3, 4, false, { 'model: 🚀x' })
ok = vim.wait(5000, function()
  for _, d in ipairs(vim.diagnostic.get(buf)) do if d.lnum == 3 then return true end end
  return false
end, 10)
local emoji
for _, d in ipairs(vim.diagnostic.get(buf)) do if d.lnum == 3 then emoji = d end end
check(ok and emoji and emoji.col == 7 and emoji.end_col == 12, 'byte columns around an emoji')

-- U+2028 inside a value: with incremental sync pygls would corrupt its copy (recipe §4);
-- the server uses full sync, so editing the line after it moves the diagnostic correctly
vim.cmd('edit ' .. samples .. '/.claude/agents/sep.md')
local buf2 = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf2, client_id)
vim.wait(5000, function() return #vim.diagnostic.get(buf2) > 0 end, 10)
vim.api.nvim_buf_set_text(buf2, 3, 7, 3, 12, { 'haiku-x' })
local moved
ok = vim.wait(5000, function()
  for _, d in ipairs(vim.diagnostic.get(buf2)) do
    if d.code == 'AGL306' and d.lnum == 3 and d.end_col == 14 then moved = d; return true end
  end
  return false
end, 10)
check(ok and moved ~= nil, 'full sync survives U+2028 (diagnostic at 3:7-14)')

vim.lsp.stop_client(client_id)
vim.wait(3000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 10)
out('failures=' .. failures)
if failures > 0 then vim.cmd('cquit 1') else vim.cmd('qa!') end
