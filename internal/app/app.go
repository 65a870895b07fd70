// Package app is the composition root of st2d: it reads st2.conf, opens the
// store and bus the config selects, registers runners and pack content,
// recovers executions left over by a previous run, and runs the services
// and HTTP listeners as one group until it is told to stop.
//
// Nothing else wires components together; services receive their
// dependencies from here.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/st2go/st2go/contrib/packs"
	"github.com/st2go/st2go/internal/auth"
	"github.com/st2go/st2go/internal/bus"
	"github.com/st2go/st2go/internal/bus/memory"
	"github.com/st2go/st2go/internal/config"
	"github.com/st2go/st2go/internal/content"
	"github.com/st2go/st2go/internal/datastore"
	"github.com/st2go/st2go/internal/execution"
	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/pack"
	"github.com/st2go/st2go/internal/packconfig"
	"github.com/st2go/st2go/internal/proctrack"
	"github.com/st2go/st2go/internal/runner"
	"github.com/st2go/st2go/internal/runner/builtin"
	"github.com/st2go/st2go/internal/runner/local"
	"github.com/st2go/st2go/internal/runner/python"
	"github.com/st2go/st2go/internal/sensor"
	"github.com/st2go/st2go/internal/service/actionrunner"
	"github.com/st2go/st2go/internal/service/api"
	"github.com/st2go/st2go/internal/service/authsvc"
	"github.com/st2go/st2go/internal/service/notifier"
	"github.com/st2go/st2go/internal/service/rulesengine"
	"github.com/st2go/st2go/internal/service/scheduler"
	"github.com/st2go/st2go/internal/service/stream"
	"github.com/st2go/st2go/internal/service/timers"
	"github.com/st2go/st2go/internal/store"
	"github.com/st2go/st2go/internal/store/embedded"
	"github.com/st2go/st2go/internal/trigger/timer"
	"github.com/st2go/st2go/internal/version"
)

// Options configure an App.
type Options struct {
	Config *config.Config
	Logger *slog.Logger
	// Listen overrides the listen addresses (tests use "127.0.0.1:0").
	// Keys: "api", "auth", "stream".
	Listen map[string]string
}

// App is a running st2d.
type App struct {
	cfg       *config.Config
	log       *slog.Logger
	store     store.Backend
	bus       bus.Backend
	runners   *runner.Registry
	execs     *execution.Service
	registrar *content.Registrar
	auth      *auth.Service
	datastore *datastore.Service

	api      *api.API
	authAPI  *authsvc.Handler
	stream   *stream.Stream
	sched    *scheduler.Scheduler
	rules    *rulesengine.Engine
	enforcer *rulesengine.RuleEnforcer
	notify   *notifier.Notifier
	sensors  *sensor.Container
	timers   *timers.Engine
	runner   *actionrunner.Runner

	listeners map[string]net.Listener
	ready     chan struct{}
	lock      *dataLock
	processes *proctrack.Dir
	closeOnce sync.Once
	closeErr  error
}

// New builds an App: it opens the store and bus, installs the built-in
// packs and registers content. Listeners are opened too, so an address
// that is taken fails here, before anything runs.
func New(ctx context.Context, opts Options) (*App, error) {
	cfg := opts.Config
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &App{cfg: cfg, log: log, listeners: map[string]net.Listener{}, ready: make(chan struct{})}
	if err := a.openBackends(ctx); err != nil {
		return nil, err
	}
	a.runners = &runner.Registry{}
	// Without a config file st2d runs actions as the user who started it;
	// with one, as [system_user] user, the way StackStorm does.
	runAs := ""
	if cfg.Path() != "" {
		runAs = cfg.SystemUser.User
	}
	builtin.Register(a.runners, builtin.Options{
		Local: local.Options{SystemUser: runAs},
		Python: python.Options{PythonBinary: cfg.Actionrunner.PythonBinary, BasePath: cfg.System.BasePath,
			Dir: filepath.Join(cfg.ST2Go.DataDir, "python-actions"), PackConfig: a.packConfig},
	})
	var err error
	if a.auth, err = newAuth(a); err != nil {
		a.Close()
		return nil, err
	}
	if a.datastore, err = newDatastore(a); err != nil {
		a.Close()
		return nil, err
	}
	a.execs = execution.New(execution.Options{
		Store: a.store, Bus: a.bus, Runners: a.runners, SystemUser: cfg.SystemUser.User,
		WebUIBaseURL: cfg.Webui.WebuiBaseURL, MaskSecrets: cfg.API.MaskSecrets, Logger: log,
		PackConfig: a.packConfig, Datastore: a.datastore,
	})
	if a.processes, err = proctrack.Open(filepath.Join(cfg.ST2Go.DataDir, "running")); err != nil {
		a.Close()
		return nil, err
	}
	a.enforcer = rulesengine.NewEnforcer(rulesengine.EnforcerOptions{Store: a.store, Executions: a.execs,
		SystemUser: cfg.SystemUser.User, Datastore: a.datastore, Logger: log})
	a.registrar = &content.Registrar{Store: a.store, Runners: a.runners, PackPaths: cfg.Content.PackPaths(), Logger: log,
		RulesChanged: a.reloadRules, SensorsChanged: a.syncSensors}
	if err := a.installContent(ctx); err != nil {
		a.Close()
		return nil, err
	}
	if err := a.listen(opts.Listen); err != nil {
		a.Close()
		return nil, err
	}
	a.build()
	return a, nil
}

func (a *App) openBackends(ctx context.Context) error {
	switch a.cfg.ST2Go.Store {
	case "", "embedded":
		lock, err := lockDataDir(a.cfg.ST2Go.DataDir)
		if err != nil {
			return err
		}
		a.lock = lock
		path := filepath.Join(a.cfg.ST2Go.DataDir, "st2go.db")
		s, err := embedded.Open(ctx, path)
		if err != nil {
			a.lock.release()
			return err
		}
		a.store = s
		a.log.Info("store opened", "backend", "embedded", "path", path)
	default:
		return fmt.Errorf("[st2go] store = %s: this st2go build supports only the embedded store so far", a.cfg.ST2Go.Store)
	}
	switch a.cfg.ST2Go.Bus {
	case "", "memory":
		a.bus = memory.New()
	default:
		a.Close()
		return fmt.Errorf("[st2go] bus = %s: this st2go build supports only the in-process bus so far", a.cfg.ST2Go.Bus)
	}
	return nil
}

// installContent writes the built-in packs into the system packs directory
// (when it is writable) and registers every pack.
func (a *App) installContent(ctx context.Context) error {
	dest := a.cfg.Content.SystemPacksBasePath
	if err := pack.InstallBuiltin(packs.FS, dest); err != nil {
		a.log.Warn("built-in packs not installed", "dir", dest, "err", err)
	}
	counts, err := a.registrar.Register(ctx, nil, nil, false)
	if err != nil {
		return fmt.Errorf("registering content: %w", err)
	}
	a.log.Info("content registered", "runners", counts["runners"], "actions", counts["actions"],
		"pack_paths", strings.Join(a.cfg.Content.PackPaths(), ":"))
	return nil
}

func (a *App) listen(override map[string]string) error {
	addrs := map[string]string{"api": a.cfg.API.Addr(), "auth": a.cfg.Auth.Addr(), "stream": a.cfg.Stream.Addr()}
	for k, v := range override {
		addrs[k] = v
	}
	for _, name := range []string{"api", "auth", "stream"} {
		l, err := net.Listen("tcp", addrs[name])
		if err != nil {
			for _, open := range a.listeners {
				open.Close()
			}
			return fmt.Errorf("listening for %s on %s: %w", name, addrs[name], err)
		}
		a.listeners[name] = l
	}
	return nil
}

func (a *App) build() {
	cfg := a.cfg
	a.api = api.New(api.Options{
		Store: a.store, Executions: a.execs, Runners: a.runners, Registrar: a.registrar, Datastore: a.datastore, Bus: a.bus,
		ConfigsDir: filepath.Join(cfg.System.BasePath, "configs"), RulesChanged: a.reloadRules, SensorsChanged: a.syncSensors,
		ValidateTriggerPayload: cfg.System.ValidateTriggerPayload,
		SystemUser:             cfg.SystemUser.User, Version: version.Version, Logger: a.log, MaskSecrets: cfg.API.MaskSecrets,
	})
	a.authAPI = authsvc.New(a.auth)
	a.sensors = a.newSensorContainer()
	a.stream = stream.New(stream.Options{
		Bus: a.bus, Store: a.store, Heartbeat: time.Duration(cfg.Stream.Heartbeat) * time.Second, Logger: a.log,
	})
	a.sched = scheduler.New(scheduler.Options{
		Store: a.store, Bus: a.bus, Executions: a.execs, Logger: a.log, Workers: cfg.Scheduler.PoolSize,
	})
	a.notify = notifier.New(notifier.Options{Bus: a.bus, Enable: cfg.ActionSensor.Enable, EmitWhen: cfg.ActionSensor.EmitWhen, Logger: a.log})
	loc, err := timer.LoadLocation(cfg.Timersengine.LocalTimezone)
	if err != nil {
		a.log.Warn("[timersengine] local_timezone is not a known time zone; timers without one use UTC", "err", err)
		loc = time.UTC
	}
	a.timers = timers.New(timers.Options{Store: a.store, Bus: a.bus, Location: loc, Logger: a.log})
	a.rules = rulesengine.New(rulesengine.Options{Store: a.store, Bus: a.bus, Enforcer: a.enforcer,
		ValidatePayload: cfg.System.ValidateTriggerPayload, Logger: a.log})
	a.runner = actionrunner.New(actionrunner.Options{
		Store: a.store, Bus: a.bus, Executions: a.execs, Runners: a.runners, Logger: a.log,
		PoolSize: cfg.Actionrunner.ActionsPoolSize, StreamOutput: cfg.Actionrunner.StreamOutput,
		APIURL: a.actionAPIURL(), Debug: cfg.System.Debug,
		GracePeriod: a.gracePeriod(), Tokens: a.auth, Processes: a.processes,
	})
}

func (a *App) gracePeriod() time.Duration {
	if !a.cfg.Actionrunner.GracefulShutdown {
		return 0
	}
	return time.Duration(a.cfg.Actionrunner.ExitStillActiveCheck) * time.Second
}

// packConfig loads a pack's config (with its schema's defaults) from
// [system] base_path/configs, for config_context in parameter templates.
func (a *App) packConfig(ctx context.Context, ref string) (map[string]any, error) {
	p, err := a.store.Content().GetPack(ctx, ref)
	if err != nil {
		return nil, nil //nolint:nilerr // an unknown pack has no config
	}
	l, err := packconfig.Load(ref, filepath.Join(p.Path, packconfig.SchemaFile), filepath.Join(a.cfg.System.BasePath, "configs"))
	if l == nil {
		return nil, err
	}
	// A config that does not validate still renders; the problem is logged.
	if err != nil {
		a.log.Warn("pack config does not validate", "pack", ref, "err", err)
	}
	return l.Values(), nil
}

// reloadRules rebuilds the rules engine's index after rules changed.
func (a *App) reloadRules(ctx context.Context) {
	if err := a.enforcer.Reload(ctx); err != nil {
		a.log.Error("reloading rules", "err", err)
	}
}

// warnAboutSecurity says loudly what is open that an operator may not expect.
func (a *App) warnAboutSecurity() {
	if !a.auth.Enabled() {
		exposed := []string{}
		for name, l := range a.listeners {
			if tcp, ok := l.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
				exposed = append(exposed, name+" on "+l.Addr().String())
			}
		}
		a.log.Warn("authentication is OFF: anyone who can reach the listeners can run actions as this user; set [auth] enable = True with a flat_file backend to require tokens")
		if len(exposed) > 0 {
			a.log.Warn("authentication is OFF on listeners reachable from other machines", "listeners", strings.Join(exposed, ", "))
		}
	}
	if a.cfg.RBAC.Enable {
		a.log.Warn("[rbac] enable is set, but st2go has no RBAC yet: every authenticated user has every permission (like StackStorm's noop RBAC backend)")
	}
}

// Addr returns the address a listener ("api", "auth", "stream") is bound
// to, as host:port; a wildcard bind shows the configured host (0.0.0.0).
func (a *App) Addr(name string) string {
	addr := a.listeners[name].Addr().(*net.TCPAddr)
	if addr.IP.IsUnspecified() {
		host := map[string]string{"api": a.cfg.API.Host, "auth": a.cfg.Auth.Host, "stream": a.cfg.Stream.Host}[name]
		return net.JoinHostPort(host, strconv.Itoa(addr.Port))
	}
	return addr.String()
}

// actionAPIURL is the API URL actions get as ST2_ACTION_API_URL: [auth]
// api_url when set (the public URL, e.g. behind nginx), else this API listener.
func (a *App) actionAPIURL() string {
	if u := strings.TrimRight(a.cfg.Auth.APIURL, "/"); u != "" {
		return u
	}
	return a.APIURL() + "/api/v1"
}

// APIURL is the base URL of the API listener (no path).
func (a *App) APIURL() string { return "http://" + a.Addr("api") }

// Ready is closed once every service consumes its queues and the listeners serve.
func (a *App) Ready() <-chan struct{} { return a.ready }

// Routes lists every route the API and stream listeners serve, as
// "METHOD /path" patterns with their mount prefix (for tests that walk them).
func (a *App) Routes() []string {
	var out []string
	for _, r := range a.api.Routes() {
		m, p, _ := strings.Cut(r, " ")
		out = append(out, m+" /api/v1"+strings.TrimSuffix(p, "{$}"))
	}
	for _, r := range a.stream.Routes() {
		m, p, _ := strings.Cut(r, " ")
		out = append(out, m+" /stream/v1"+p)
	}
	return out
}

// Bus returns the message bus (for tests).
func (a *App) Bus() bus.Backend { return a.bus }

// Store returns the store (for tests and operator commands).
func (a *App) Store() store.Backend { return a.store }

// Run runs every service and listener until ctx ends, then stops them all.
// Executions still running at the stop are waited for (up to [actionrunner]
// exit_still_active_check seconds) and otherwise recorded as abandoned.
func (a *App) Run(ctx context.Context) error {
	defer a.Close()
	// Declare the work queues first, like st2-bootstrap-rmq, so nothing
	// announced before a consumer starts is lost.
	if err := bus.Declare(ctx, a.bus,
		bus.Bind(bus.QueueSchedulerRequests, bus.ExchangeLiveActionStatus, string(model.StatusRequested), string(model.StatusDelayed)),
		bus.Bind(bus.QueueRunnerWork, bus.ExchangeLiveActionStatus, string(model.StatusScheduled)),
		bus.Bind(rulesengine.Queue, bus.ExchangeTriggerDispatch, "#"),
		bus.Bind(notifier.Queue, bus.ExchangeExecution, "update"),
	); err != nil {
		return fmt.Errorf("declaring queues: %w", err)
	}
	svcCtx, stopServices := context.WithCancel(ctx)
	defer stopServices()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	run := func(name string, f func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(svcCtx); err != nil && !errors.Is(err, context.Canceled) {
				errs <- fmt.Errorf("%s: %w", name, err)
				stopServices()
			}
		}()
	}
	run("stream", a.stream.Run)
	run("scheduler", a.sched.Run)
	run("actionrunner", a.runner.Run)
	run("rulesengine", a.rules.Run)
	run("notifier", a.notify.Run)
	a.syncSensors(ctx)
	run("sensorcontainer", a.sensors.Run)
	if a.cfg.Timersengine.Enable {
		run("timersengine", a.timers.Run)
	}
	run("datastore-expiry", func(ctx context.Context) error { return a.datastore.RunExpiry(ctx, time.Second) })

	// Actions a crashed st2d left running are stopped before their
	// executions are marked abandoned.
	if killed, err := a.processes.Sweep(); err != nil {
		a.log.Warn("stopping processes left by the previous run", "err", err)
	} else if len(killed) > 0 {
		a.log.Info("stopped processes left running by the previous run", "executions", strings.Join(killed, ","))
	}
	requeued, abandoned, err := a.execs.Recover(ctx)
	if err != nil {
		stopServices()
		wg.Wait()
		return err
	}
	if requeued+abandoned > 0 {
		a.log.Info("recovered executions from the previous run", "requeued", requeued, "abandoned", abandoned)
	}

	servers := a.servers()
	for name, srv := range servers {
		l := a.listeners[name]
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errs <- fmt.Errorf("serving %s: %w", name, err)
				stopServices()
			}
		}()
		a.log.Info("listening", "service", name, "url", "http://"+l.Addr().String())
	}
	a.warnAboutSecurity()
	close(a.ready)

	<-svcCtx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, srv := range servers {
		srv.Shutdown(shutdownCtx)
	}
	stopServices()
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// Close releases the store and bus.
func (a *App) Close() error {
	a.closeOnce.Do(func() {
		var errs []error
		if a.bus != nil {
			errs = append(errs, a.bus.Close())
		}
		if a.store != nil {
			errs = append(errs, a.store.Close())
		}
		a.lock.release()
		a.closeErr = errors.Join(errs...)
	})
	return a.closeErr
}

// Main is st2d's entry point: it parses args and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	return runCommand(args, os.Environ(), stdout, stderr)
}
