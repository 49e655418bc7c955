;;; check_eglot.el --- the README's eglot setup against `agentls serve', in batch mode  -*- lexical-binding: t -*-
;;
;; Loads the README's snippet (SNIPPET, a file), opens the agent file (AGENT_FILE) as a user
;; would, lets eglot connect to `agentls serve' and checks the diagnostics flymake shows: codes,
;; lines and character columns, then after an edit with an emoji before the error.
;; CONNECT_SECONDS: how long to wait for eglot (15 by default).
;; Exit status: 0 when every check passed, 1 when one failed (Lisp errors exit 255).

(require 'cl-lib)

(defvar agentls-failures 0)

(defun agentls-out (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))

(defun agentls-check (ok what)
  (if ok
      (agentls-out "ok: %s" what)
    (setq agentls-failures (1+ agentls-failures))
    (agentls-out "FAIL: %s" what))
  ok)

(defun agentls-wait (pred seconds)
  "Run the event loop (process output, timers) until PRED is non-nil or SECONDS pass."
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.02))
    (funcall pred)))

(defun agentls-idle ()
  "Run the idle timers once, as Emacs does when the user stops typing: eglot sends didChange
and flymake restarts from idle timers, and batch mode never waits for input, so never idles."
  (dolist (timer (copy-sequence timer-idle-list))
    (timer-event-handler timer)))

(defun agentls-column (pos)
  "0-based character column of POS (Emacs counts characters; an emoji is one)."
  (save-excursion (goto-char pos) (- pos (line-beginning-position))))

(defun agentls-diags ()
  "Flymake's diagnostics as (CODE LINE COL END-COL TYPE), 0-based lines and columns."
  (sort
   (mapcar (lambda (d)
             (let ((lsp (alist-get 'eglot-lsp-diag (flymake-diagnostic-data d))))
               (list (plist-get lsp :code)
                     (1- (line-number-at-pos (flymake-diagnostic-beg d)))
                     (agentls-column (flymake-diagnostic-beg d))
                     (agentls-column (flymake-diagnostic-end d))
                     (flymake-diagnostic-type d)
                     (flymake-diagnostic-text d))))
           (flymake-diagnostics))
   (lambda (a b) (< (nth 1 a) (nth 1 b)))))

(defun agentls-find (code)
  (cl-find code (agentls-diags) :key #'car :test #'equal))

;; what an interactive Emacs does before the user's init file (batch mode skips it): activate
;; the installed packages (Debian's elpa-eglot, elpa-markdown-mode), i.e. load their autoloads
(package-activate-all)
(load (getenv "SNIPPET") nil t)         ; the README's snippet, verbatim
(find-file (getenv "AGENT_FILE"))
(agentls-check (derived-mode-p 'markdown-mode) (format "markdown-mode on the agent file (%s)" major-mode))
;; `eglot-ensure' connects after the command that opened the file: batch mode has no command
;; loop, so run the hook that loop runs after each command
(run-hooks 'post-command-hook)
(let ((seconds (string-to-number (or (getenv "CONNECT_SECONDS") "15"))))
  (unless (agentls-check (agentls-wait (lambda () (and (featurep 'eglot) (eglot-managed-p))) seconds)
                         "eglot connects to agentls serve and manages the buffer")
    (kill-emacs 1)))
(let* ((server (eglot-current-server))
       (caps (eglot--capabilities server)))
  (agentls-out "server %S, positionEncoding %S, Emacs %s"
               (process-command (jsonrpc--process server))
               (plist-get caps :positionEncoding) emacs-version)
  (agentls-check (equal (process-command (jsonrpc--process server)) '("agentls" "serve"))
                 "the command is the snippet's"))

(agentls-check (agentls-wait (lambda () (and (agentls-find "AGL303") (agentls-find "AGL306"))) 15)
               "flymake shows agentls's diagnostics")
(dolist (d (agentls-diags)) (agentls-out "  diag %S" d))
(agentls-check (equal (butlast (agentls-find "AGL303")) '("AGL303" 1 6 19 eglot-warning))
               "AGL303 warning on the name value (1:6-19)")
(agentls-check (equal (butlast (agentls-find "AGL306")) '("AGL306" 3 7 12 eglot-note))
               "AGL306 note on the model value (3:7-12)")
(agentls-check (string-prefix-p "agentls [AGL303]: " (car (last (agentls-find "AGL303"))))
               "the message names agentls and the code")

;; an emoji before the error: the server counts UTF-16 code units (eglot 1.9 offers no other
;; encoding), eglot converts them back to characters: 7-10 (the old diagnostic was 7-12)
(goto-char (point-min))
(forward-line 3)
(delete-region (point) (line-end-position))
(insert "model: 🚀xy")
(agentls-idle)
(agentls-check (agentls-wait (lambda () (let ((d (agentls-find "AGL306")))
                                           (and d (string-match-p "🚀xy" (nth 5 d)))))
                             10)
               "diagnostics follow an edit")
(agentls-check (equal (butlast (agentls-find "AGL306")) '("AGL306" 3 7 10 eglot-note))
               (format "character columns around an emoji (3:7-10, got %S)" (agentls-find "AGL306")))

(set-buffer-modified-p nil)
(eglot-shutdown (eglot-current-server))
(agentls-out "failures=%d" agentls-failures)
(kill-emacs (if (> agentls-failures 0) 1 0))
