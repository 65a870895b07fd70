// Package local implements StackStorm's local shell runners:
// local-shell-cmd (the cmd runner parameter) and local-shell-script (the
// action's entry point with its parameters as arguments), with the
// semantics of StackStorm's local_runner and ShellCommandAction /
// ShellScriptAction:
//
//   - the command line goes to /bin/sh (Python's shell=True), in a new
//     session and process group, read from file descriptor 3 rather than
//     passed as "-c <cmd>", so values rendered into it stay off the
//     shell's argv; with sudo=true it is wrapped in
//     sudo -E -- bash -c '<cmd>', and when [system_user] user differs from
//     the OS user st2go runs as, in sudo -E -H -u <user> -- bash -c '<cmd>';
//   - sudo_password goes to sudo -S on stdin, never on a command line;
//   - the environment is st2go's own, then the env runner parameter, then
//     the ST2_ACTION_* variables;
//   - on timeout the whole process group is stopped (SIGTERM, then SIGKILL
//     after a grace period); the result says "Action failed to complete in
//     N seconds", return_code -9, status timeout; on cancel the group is
//     stopped the same way and the status is canceled;
//   - every stdout/stderr line is passed to Request.Output as it arrives;
//   - the result is {"failed", "succeeded", "return_code", "stdout",
//     "stderr"[, "error"]} in that order; stdout and stderr lose one
//     trailing newline and are parsed when they are JSON.
//
// Arguments print as Python's str() prints them, through internal/pyfmt.
//
// The package imports model, runner and pyfmt only; package builtin
// registers it.
package local
