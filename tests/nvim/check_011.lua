-- Headless Neovim 0.11+ with the README's `vim.lsp.config` snippet as the user's init.lua.
-- Runs after startup, with the agent file already opened as a user would (`nvim FILE`): the
-- snippet alone must start agentls (filetype markdown, root marker .claude) and the diagnostics
-- must arrive with the right codes and ranges in the negotiated UTF-8 positions.
-- Env: SAMPLES (folder holding .claude/agents/nvim.md), ATTACH_MS (how long to wait for the
-- client: 15000 by default).
local samples = assert(os.getenv('SAMPLES'), 'set SAMPLES')
local out = function(s) io.stdout:write(s .. '\n') end
local failures = 0
local function check(cond, what)
  if not cond then failures = failures + 1; out('FAIL: ' .. what) else out('ok: ' .. what) end
end

out('nvim ' .. tostring(vim.version()))
local buf = vim.api.nvim_get_current_buf()
check(vim.bo[buf].filetype == 'markdown', 'the agent file is markdown')

local function client()
  return vim.lsp.get_clients({ bufnr = buf, name = 'agentls' })[1]
end
local attached = vim.wait(tonumber(os.getenv('ATTACH_MS') or '15000'), function() return client() ~= nil end, 10)
check(attached, 'the snippet starts agentls and attaches it to the buffer')
if not attached then
  out('lsp.log: ' .. vim.lsp.get_log_path())
  vim.cmd('cquit 1')
end
local c = client()
check(c.offset_encoding == 'utf-8', 'UTF-8 positions negotiated (got ' .. tostring(c.offset_encoding) .. ')')
check(c.root_dir == vim.fs.normalize(samples), 'root from the .claude marker (got ' .. tostring(c.root_dir) .. ')')

local function diags()
  local got = vim.diagnostic.get(buf)
  table.sort(got, function(a, b) return a.lnum < b.lnum end)
  return got
end
local ok = vim.wait(15000, function() return #diags() >= 2 or c:is_stopped() end, 10)
check(ok and not c:is_stopped(), 'diagnostics arrive')
local by_code = {}
for _, d in ipairs(diags()) do
  out(string.format('  diag %d:%d-%d:%d sev=%d %s %s', d.lnum, d.col, d.end_lnum, d.end_col, d.severity,
    tostring(d.code), d.message))
  by_code[d.code] = d
end
local function is(d, lnum, sev, col, end_col)
  return d ~= nil and d.lnum == lnum and d.severity == sev and d.source == 'agentls'
    and d.col == col and d.end_lnum == d.lnum and d.end_col == end_col
end
local S = vim.diagnostic.severity
check(is(by_code.AGL303, 1, S.WARN, 6, 19), 'AGL303 warning on the name value (1:6-19)')
check(is(by_code.AGL301, 3, S.WARN, 7, 12), 'AGL301 warning on the model value (3:7-12)')
check(is(by_code.AGL306, 3, S.INFO, 7, 12), 'AGL306 information on the model value (3:7-12)')

-- an emoji in the value: with UTF-8 positions the server's columns are Neovim's bytes, 7-13
-- (with UTF-16 columns taken for bytes it would be 7-10; the old diagnostic was 7-12)
vim.api.nvim_buf_set_lines(buf, 3, 4, false, { 'model: 🚀xy' })
local emoji
ok = vim.wait(5000, function()
  emoji = nil
  for _, d in ipairs(vim.diagnostic.get(buf, { lnum = 3 })) do
    if d.code == 'AGL306' and d.end_col ~= 12 then emoji = d end
  end
  return emoji ~= nil
end, 10)
check(ok and emoji.col == 7 and emoji.end_col == 13,
  'byte columns around an emoji after an edit (3:7-13)')

vim.lsp.stop_client(c.id)
vim.wait(3000, function() return c:is_stopped() end, 10)
out('failures=' .. failures)
if failures > 0 then vim.cmd('cquit 1') else vim.cmd('qa!') end
