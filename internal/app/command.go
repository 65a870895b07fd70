package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/st2go/st2go/internal/config"
	"github.com/st2go/st2go/internal/version"
)

const usage = `usage: st2d [--config-file PATH]            run every st2go service in one process
       st2d check-config [--config-file PATH]  print the effective st2.conf (secrets masked)
       st2d generate-key [--key-path PATH] [--force]  write a datastore encryption key (st2-generate-symmetric-crypto-key)
       st2d expr [--context FILE] EXPR | --batch FILE  evaluate YAQL/Jinja as a workflow would
       st2d version

Without --config-file (or ST2_CONFIG_FILE), st2d runs on its embedded
defaults: data under $ST2GO_HOME, $XDG_DATA_HOME/st2go or ~/.local/share/st2go.
`

func runCommand(args, env []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "expr" {
		return runExpr(args[1:], os.Stdin, stdout, stderr)
	}
	cmd := "run"
	if len(args) > 0 {
		switch args[0] {
		case "check-config", "version", "help", "generate-key":
			cmd, args = args[0], args[1:]
		case "--version", "-version":
			cmd, args = "version", args[1:]
		case "--help", "-help", "-h":
			cmd, args = "help", args[1:]
		}
	}
	fs := flag.NewFlagSet("st2d", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	configFile := fs.String("config-file", lookupEnv(env, "ST2_CONFIG_FILE"), "st2.conf to read")
	var keyPath *string
	var force *bool
	if cmd == "generate-key" {
		keyPath = fs.String("key-path", "", "file to write the key to (default: [keyvalue] encryption_key_path)")
		fs.StringVar(keyPath, "k", "", "short for --key-path")
		force = fs.Bool("force", false, "replace an existing key")
		fs.BoolVar(force, "f", false, "short for --force")
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "st2d: unexpected argument %q\n%s", fs.Arg(0), usage)
		return 2
	}
	switch cmd {
	case "version":
		fmt.Fprintf(stdout, "st2go %s (StackStorm %s compatible)\n", version.Version, version.StackStorm)
		return 0
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	cfg, warnings, err := config.Load(*configFile, env)
	for _, w := range warnings {
		fmt.Fprintf(stderr, "st2d: warning: %s\n", w)
	}
	if err != nil {
		fmt.Fprintf(stderr, "st2d: %v\n", err)
		return 1
	}
	if cmd == "generate-key" {
		path := *keyPath
		if path == "" {
			path, _ = datastoreKeyPath(cfg)
		}
		if path == "" {
			fmt.Fprintln(stderr, "st2d generate-key: give --key-path, or set [keyvalue] encryption_key_path")
			return 2
		}
		if err := writeKey(path, *force, stdout); err != nil {
			fmt.Fprintf(stderr, "st2d generate-key: %v\n", err)
			return 1
		}
		return 0
	}
	if cmd == "check-config" {
		if err := cfg.Dump(stdout, true); err != nil {
			fmt.Fprintf(stderr, "st2d: %v\n", err)
			return 1
		}
		return 0
	}
	return serve(cfg, stdout, stderr)
}

func serve(cfg *config.Config, stdout, stderr io.Writer) int {
	log, closeLog, err := newLogger(cfg, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "st2d: %v\n", err)
		return 1
	}
	defer closeLog()
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		<-sigs
		log.Info("stopping; signal again to stop at once")
		stop()
		<-sigs
		log.Warn("stopping at once; running executions will be marked abandoned on the next start")
		os.Exit(1)
	}()

	a, err := New(ctx, Options{Config: cfg, Logger: log})
	if err != nil {
		fmt.Fprintf(stderr, "st2d: %v\n", err)
		return 1
	}
	go func() {
		select {
		case <-a.Ready():
			fmt.Fprintf(stdout, "st2go %s ready\n  API     %s/api/v1  (classic: %s/v1)\n  auth    http://%s\n  stream  http://%s/v1/stream\n  data    %s\n  packs   %s\n",
				version.Version, a.APIURL(), a.APIURL(), a.Addr("auth"), a.Addr("stream"),
				cfg.ST2Go.DataDir, cfg.Content.SystemPacksBasePath)
		case <-ctx.Done():
		}
	}()
	if err := a.Run(ctx); err != nil {
		fmt.Fprintf(stderr, "st2d: %v\n", err)
		return 1
	}
	return 0
}

// newLogger logs to stderr and to st2d.log under [st2go] log_dir.
func newLogger(cfg *config.Config, stderr io.Writer) (*slog.Logger, func(), error) {
	level := slog.LevelInfo
	if cfg.System.Debug {
		level = slog.LevelDebug
	}
	if err := os.MkdirAll(cfg.ST2Go.LogDir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("creating log directory: %w", err)
	}
	path := filepath.Join(cfg.ST2Go.LogDir, "st2d.log")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("opening log file: %w", err)
	}
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewMultiHandler(slog.NewTextHandler(stderr, opts), slog.NewTextHandler(f, opts))
	if cfg.Log.MaskSecrets {
		h = newMaskingHandler(h, cfg.Log.MaskSecretsBlacklist)
	}
	return slog.New(h), func() { f.Close() }, nil
}

func lookupEnv(env []string, key string) string {
	for i := len(env) - 1; i >= 0; i-- {
		if len(env[i]) > len(key) && env[i][:len(key)+1] == key+"=" {
			return env[i][len(key)+1:]
		}
	}
	return ""
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
