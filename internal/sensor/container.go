package sensor

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Defaults of StackStorm's process container.
const (
	DefaultRespawnDelay = 2500 * time.Millisecond
	DefaultMaxRespawns  = 2
	DefaultHealthyAfter = 10 * time.Second
	DefaultStopGrace    = 5 * time.Second
)

// Event kinds.
const (
	EventSpawn = "spawn"
	EventExit  = "exit"
)

// Refs of the trigger types sensor process events map to.
const (
	SpawnTrigger = "core.st2.sensor.process_spawn"
	ExitTrigger  = "core.st2.sensor.process_exit"
)

// Trigger change operations for TriggerChanged.
const (
	TriggerAdd    = "add"
	TriggerUpdate = "update"
	TriggerRemove = "remove"
)

// maxDispatchLine bounds one dispatched trigger (JSON line) from a sensor.
const maxDispatchLine = 16 << 20

// drainWait is how long, after a child exits, the container keeps reading
// what it wrote before closing the pipes (a grandchild may hold them open).
const drainWait = 2 * time.Second

// Options configure a Container. Dir is required; everything else has a
// default or may be nil.
type Options struct {
	// Dir is where the Python compatibility package is written at Run.
	Dir string
	// Python is the interpreter for sensors of packs without a virtualenv
	// ([actionrunner] python_binary); default "python3".
	Python string
	// VirtualenvsDir, when set, holds per-pack virtualenvs: a sensor of
	// pack p runs with <VirtualenvsDir>/p/bin/python when that exists.
	VirtualenvsDir string
	// APIURL is the API base URL with its version path, given to sensors
	// as ST2_API_URL (e.g. http://127.0.0.1:9101/v1).
	APIURL string
	// Token returns the auth token a sensor process gets as
	// ST2_AUTH_TOKEN; called at each spawn.
	Token func(ctx context.Context, s *SensorType) (string, error)
	// Config returns the pack's config, passed to the sensor's constructor.
	Config func(ctx context.Context, pack string) (map[string]any, error)
	// Triggers returns the existing triggers (TriggerAPI documents) of the
	// given trigger types; each is passed to add_trigger after a spawn.
	Triggers func(ctx context.Context, triggerTypes []string) ([]any, error)
	// Dispatch receives each trigger a sensor dispatches: a trigger ref or
	// a {type, parameters} object, the payload (never nil) and the trace
	// tag ("" for none). Called from the sensor's reader goroutine.
	Dispatch func(trigger any, payload map[string]any, traceTag string)
	// Event hears each sensor process spawn and exit.
	Event func(Event)
	// Logger receives the container's records and the sensors' output.
	Logger *slog.Logger
	// SingleSensorMode makes Run return as soon as a sensor process exits
	// with a non-zero status, with an *ExitError, instead of respawning.
	SingleSensorMode bool

	// Respawn policy and stop grace; zero means StackStorm's default
	// (a negative MaxRespawns means never respawn).
	RespawnDelay time.Duration
	MaxRespawns  int
	HealthyAfter time.Duration
	StopGrace    time.Duration
}

// Event is a sensor process starting or ending.
type Event struct {
	Kind     string // EventSpawn or EventExit
	Sensor   *SensorType
	PID      int
	ExitCode int    // for EventExit; -N when killed by signal N
	Cmd      string // for EventSpawn: the command line
	Time     time.Time
}

// Trigger is the ref of the system trigger type for the event.
func (e Event) Trigger() string {
	if e.Kind == EventSpawn {
		return SpawnTrigger
	}
	return ExitTrigger
}

// Payload is the trigger payload StackStorm emits for the event.
func (e Event) Payload() map[string]any {
	p := map[string]any{"id": e.Sensor.ClassName, "timestamp": e.Time.Unix()}
	if e.Kind == EventSpawn {
		p["pid"] = e.PID
		p["cmd"] = e.Cmd
	} else {
		p["exit_code"] = e.ExitCode
	}
	return p
}

// ExitError is what Run returns in single sensor mode when the sensor
// process fails.
type ExitError struct {
	Ref  string
	Code int
}

func (e *ExitError) Error() string {
	return fmt.Sprintf("sensor %s exited with status %d", e.Ref, e.Code)
}

// Container runs sensor processes. Create it with New, give it sensors
// with Set (before or while Run runs) and run it with Run.
type Container struct {
	opts    Options
	log     *slog.Logger
	changed chan struct{} // Set → Run: the wanted set changed (buffered 1)
	failed  chan error    // supervisors → Run in single sensor mode (buffered 1)

	mu       sync.Mutex
	want     map[string]*SensorType // by ref; enabled sensors only
	running  map[string]*supervisor // by ref; written by Run's goroutine only
	finished bool                   // Run has returned
}

// New returns a container with the given options.
func New(opts Options) *Container {
	if opts.Python == "" {
		opts.Python = "python3"
	}
	if opts.RespawnDelay <= 0 {
		opts.RespawnDelay = DefaultRespawnDelay
	}
	if opts.MaxRespawns == 0 {
		opts.MaxRespawns = DefaultMaxRespawns
	}
	if opts.HealthyAfter <= 0 {
		opts.HealthyAfter = DefaultHealthyAfter
	}
	if opts.StopGrace <= 0 {
		opts.StopGrace = DefaultStopGrace
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Container{
		opts:    opts,
		log:     log.With("component", "sensorcontainer"),
		changed: make(chan struct{}, 1),
		failed:  make(chan error, 1),
		want:    map[string]*SensorType{},
		running: map[string]*supervisor{},
	}
}

// Set replaces the sensors the container should run. Enabled sensors not
// yet running are started, running sensors that are missing or disabled
// are stopped, and a sensor whose definition changed is restarted. A
// sensor that stopped on its own (exit 0, or respawns given up) is started
// again only once it was left out of a Set or its definition changed.
func (c *Container) Set(sensors []*SensorType) {
	want := map[string]*SensorType{}
	for _, s := range sensors {
		if s != nil && s.Enabled {
			cp := *s
			cp.TriggerTypes = slices.Clone(s.TriggerTypes)
			want[s.Ref] = &cp
		}
	}
	c.mu.Lock()
	c.want = want
	c.mu.Unlock()
	select {
	case c.changed <- struct{}{}:
	default:
	}
}

// PID returns the process id of a sensor's current process (0 while it
// is being started or respawned) and whether the container still
// supervises the sensor: false once it was removed and its process is
// gone, once it exited 0 or its respawns were given up, and after Run
// returned.
func (c *Container) PID(ref string) (pid int, supervised bool) {
	c.mu.Lock()
	sv := c.running[ref]
	_, wanted := c.want[ref]
	finished := c.finished
	c.mu.Unlock()
	if finished {
		return 0, false
	}
	if sv == nil {
		return 0, wanted // wanted but not started yet
	}
	select {
	case <-sv.done:
		return 0, false
	default:
	}
	if p := sv.current(); p != nil {
		return p.cmd.Process.Pid, true
	}
	return 0, true
}

// TriggerChanged tells every running sensor that declares triggerType
// that a trigger of that type was added, updated or removed (op is
// TriggerAdd, TriggerUpdate or TriggerRemove); trigger is its TriggerAPI
// document.
func (c *Container) TriggerChanged(op, triggerType string, trigger any) {
	line, err := json.Marshal(map[string]any{"op": op, "trigger": trigger})
	if err != nil {
		c.log.Error("encoding trigger change", "err", err)
		return
	}
	c.mu.Lock()
	var targets []*supervisor
	for _, sv := range c.running {
		if slices.Contains(sv.s.TriggerTypes, triggerType) {
			targets = append(targets, sv)
		}
	}
	c.mu.Unlock()
	for _, sv := range targets {
		if p := sv.current(); p != nil {
			p.send(line)
		}
	}
}

// Run writes the Python package, starts the sensors given to Set and
// keeps them running until ctx is done; then it stops every sensor
// process (SIGTERM, then SIGKILL after StopGrace) and returns nil. In
// single sensor mode it returns an *ExitError when a sensor fails.
func (c *Container) Run(ctx context.Context) error {
	if c.opts.Dir == "" {
		return errors.New("running sensor container: no directory for the python package")
	}
	pyPath, err := WritePythonPackage(c.opts.Dir)
	if err != nil {
		return fmt.Errorf("running sensor container: %w", err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var result error
	c.reconcile(runCtx, pyPath)
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-c.changed:
			c.reconcile(runCtx, pyPath)
		case err := <-c.failed:
			result = err
			break loop
		}
	}
	cancel()
	c.mu.Lock()
	all := make([]*supervisor, 0, len(c.running))
	for _, sv := range c.running {
		all = append(all, sv)
	}
	c.running = map[string]*supervisor{}
	c.finished = true
	c.mu.Unlock()
	for _, sv := range all {
		<-sv.done
	}
	return result
}

// reconcile starts and stops supervisors to match the wanted set. A
// supervisor being stopped stays in running until its process is gone, so
// PID reports it and a restart waits for it.
func (c *Container) reconcile(ctx context.Context, pyPath string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for ref, sv := range c.running {
		w, wanted := c.want[ref]
		if wanted && sameSensor(w, sv.s) && !sv.stopping {
			continue
		}
		select {
		case <-sv.done:
			delete(c.running, ref)
			continue
		default:
		}
		if !sv.stopping {
			sv.stopping = true
			sv.cancel()
		}
	}
	for ref, s := range c.want {
		prev := c.running[ref]
		if prev != nil && !prev.stopping {
			continue // running (or given up) with this definition
		}
		svCtx, cancel := context.WithCancel(ctx)
		sv := &supervisor{s: s, cancel: cancel, done: make(chan struct{})}
		c.running[ref] = sv
		var wait <-chan struct{}
		if prev != nil {
			wait = prev.done // the old process must be gone first
		}
		go c.supervise(svCtx, sv, pyPath, wait)
	}
}

func sameSensor(a, b *SensorType) bool { return reflect.DeepEqual(a, b) }

// supervisor keeps one sensor's process running.
type supervisor struct {
	s        *SensorType
	cancel   context.CancelFunc
	done     chan struct{} // closed when the supervisor gives up or is stopped
	stopping bool          // canceled by reconcile; guarded by Container.mu

	mu   sync.Mutex
	proc *process
}

func (sv *supervisor) current() *process {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	return sv.proc
}

func (sv *supervisor) setCurrent(p *process) {
	sv.mu.Lock()
	sv.proc = p
	sv.mu.Unlock()
}

func (c *Container) supervise(ctx context.Context, sv *supervisor, pyPath string, prev <-chan struct{}) {
	defer close(sv.done)
	defer sv.cancel()
	if prev != nil {
		<-prev
	}
	s := sv.s
	log := c.log.With("sensor", s.Ref)
	respawns := 0
	for ctx.Err() == nil {
		started := time.Now()
		p, err := c.spawn(ctx, s, pyPath, log)
		if err != nil {
			// As StackStorm does, a sensor that cannot be started is dropped.
			log.Error("starting sensor process", "err", err)
			return
		}
		sv.setCurrent(p)
		log.Info("sensor process started", "pid", p.cmd.Process.Pid)
		c.event(Event{Kind: EventSpawn, Sensor: s, PID: p.cmd.Process.Pid, Cmd: p.cmdline, Time: time.Now()})
		c.sendExistingTriggers(ctx, s, p, log)

		select {
		case <-p.exited:
		case <-ctx.Done():
			c.stop(p, log)
			sv.setCurrent(nil)
			return
		}
		sv.setCurrent(nil)
		code := p.exitCode
		log.Info("sensor process exited", "pid", p.cmd.Process.Pid, "exit_code", code)
		c.event(Event{Kind: EventExit, Sensor: s, PID: p.cmd.Process.Pid, ExitCode: code, Time: time.Now()})
		if code == 0 {
			return
		}
		if c.opts.SingleSensorMode {
			select {
			case c.failed <- &ExitError{Ref: s.Ref, Code: code}:
			default:
			}
			return
		}
		if time.Since(started) >= c.opts.HealthyAfter {
			respawns = 0
		}
		if respawns >= c.opts.MaxRespawns {
			log.Error("sensor process keeps failing, not respawning it", "respawns", respawns)
			return
		}
		respawns++
		t := time.NewTimer(c.opts.RespawnDelay * time.Duration(respawns))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return
		}
		log.Info("respawning sensor process", "attempt", respawns)
	}
}

func (c *Container) event(e Event) {
	if c.opts.Event != nil {
		c.opts.Event(e)
	}
}

func (c *Container) sendExistingTriggers(ctx context.Context, s *SensorType, p *process, log *slog.Logger) {
	if c.opts.Triggers == nil || len(s.TriggerTypes) == 0 {
		return
	}
	triggers, err := c.opts.Triggers(ctx, s.TriggerTypes)
	if err != nil {
		log.Error("listing triggers for sensor", "err", err)
		return
	}
	for _, t := range triggers {
		line, err := json.Marshal(map[string]any{"op": TriggerAdd, "trigger": t})
		if err != nil {
			log.Error("encoding trigger for sensor", "err", err)
			continue
		}
		p.send(line)
	}
}

// process is one running sensor child.
type process struct {
	cmd      *exec.Cmd
	cmdline  string
	exited   chan struct{} // closed once the child is reaped and its output read
	exitCode int           // valid after exited is closed

	stdinMu sync.Mutex
	stdin   io.WriteCloser
}

// send writes one line to the child's stdin; failures (the child is
// gone) are ignored.
func (p *process) send(line []byte) {
	p.stdinMu.Lock()
	defer p.stdinMu.Unlock()
	_, _ = p.stdin.Write(append(line, '\n'))
}

// python picks the interpreter for a sensor: its pack's virtualenv when
// there is one, otherwise Options.Python.
func (c *Container) python(pack string) string {
	if c.opts.VirtualenvsDir != "" {
		bin := filepath.Join(c.opts.VirtualenvsDir, pack, "bin", "python")
		if st, err := os.Stat(bin); err == nil && !st.IsDir() {
			return bin
		}
	}
	return c.opts.Python
}

func (c *Container) spawn(ctx context.Context, s *SensorType, pyPath string, log *slog.Logger) (*process, error) {
	args := []string{filepath.Join(pyPath, wrapperScript), "--pack", s.Pack, "--file", s.FilePath, "--class", s.ClassName}
	if s.PollInterval > 0 {
		args = append(args, "--poll-interval", strconv.Itoa(s.PollInterval))
	}
	env := childEnv(os.Environ(), pyPath, s.PackDir)
	env = append(env, "ST2_API_URL="+c.opts.APIURL, "ST2GO_DISPATCH_FD=3")
	if c.opts.Token != nil {
		tok, err := c.opts.Token(ctx, s)
		if err != nil {
			return nil, fmt.Errorf("issuing token for sensor %s: %w", s.Ref, err)
		}
		env = append(env, "ST2_AUTH_TOKEN="+tok)
	}
	if c.opts.Config != nil {
		cfg, err := c.opts.Config(ctx, s.Pack)
		if err != nil {
			return nil, fmt.Errorf("loading config of pack %q: %w", s.Pack, err)
		}
		if cfg != nil {
			b, err := json.Marshal(cfg)
			if err != nil {
				return nil, fmt.Errorf("encoding config of pack %q: %w", s.Pack, err)
			}
			// In the environment rather than on the command line, so the
			// config's secrets do not show in the process list.
			env = append(env, "ST2GO_SENSOR_CONFIG="+string(b))
		}
	}

	python := c.python(s.Pack)
	cmd := exec.Command(python, args...)
	cmd.Env = env
	cmd.Dir = s.PackDir
	cmd.SysProcAttr = sysProcAttr()

	dispatchR, dispatchW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("creating dispatch pipe: %w", err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		dispatchR.Close()
		dispatchW.Close()
		return nil, fmt.Errorf("creating output pipe: %w", err)
	}
	cmd.ExtraFiles = []*os.File{dispatchW} // fd 3 in the child
	cmd.Stdout = outW
	cmd.Stderr = outW
	stdin, err := cmd.StdinPipe()
	if err == nil {
		err = cmd.Start()
	}
	dispatchW.Close()
	outW.Close()
	if err != nil {
		dispatchR.Close()
		outR.Close()
		return nil, fmt.Errorf("starting %s: %w", python, err)
	}

	p := &process{cmd: cmd, cmdline: strings.Join(append([]string{python}, args...), " "), exited: make(chan struct{}), stdin: stdin}
	dispatchDone := make(chan struct{})
	outDone := make(chan struct{})
	go func() {
		defer close(dispatchDone)
		c.readDispatches(dispatchR, log)
	}()
	go func() {
		defer close(outDone)
		readOutput(outR, log)
	}()
	go func() {
		err := cmd.Wait()
		p.exitCode = exitCode(cmd, err)
		t := time.NewTimer(drainWait)
		defer t.Stop()
		for _, done := range []chan struct{}{dispatchDone, outDone} {
			select {
			case <-done:
			case <-t.C:
			}
		}
		dispatchR.Close()
		outR.Close()
		<-dispatchDone
		<-outDone
		close(p.exited)
	}()
	return p, nil
}

// childEnv is the parent's environment with PYTHONPATH starting with the
// compatibility package and the pack directory.
func childEnv(parent []string, pyPath, packDir string) []string {
	env := make([]string, 0, len(parent)+4)
	pythonPath := pyPath + string(os.PathListSeparator) + packDir
	for _, kv := range parent {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "PYTHONPATH":
			if v != "" {
				pythonPath += string(os.PathListSeparator) + v
			}
			continue
		case "ST2_API_URL", "ST2_AUTH_TOKEN", "ST2GO_SENSOR_CONFIG", "ST2GO_DISPATCH_FD", "PYTHONUNBUFFERED":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "PYTHONPATH="+pythonPath, "PYTHONUNBUFFERED=1")
}

// dispatchLine is one trigger a sensor dispatched.
type dispatchLine struct {
	Trigger  any            `json:"trigger"`
	Payload  map[string]any `json:"payload"`
	TraceTag *string        `json:"trace_tag"`
}

func (c *Container) readDispatches(r io.Reader, log *slog.Logger) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxDispatchLine)
	for sc.Scan() {
		var d dispatchLine
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			log.Error("decoding trigger dispatched by sensor", "err", err)
			continue
		}
		if d.Trigger == nil {
			log.Error("sensor dispatched a trigger without a trigger ref")
			continue
		}
		if d.Payload == nil {
			d.Payload = map[string]any{}
		}
		tag := ""
		if d.TraceTag != nil {
			tag = *d.TraceTag
		}
		if c.opts.Dispatch != nil {
			c.opts.Dispatch(d.Trigger, d.Payload, tag)
		}
	}
	if err := sc.Err(); err != nil && !errors.Is(err, os.ErrClosed) {
		log.Error("reading triggers dispatched by sensor", "err", err)
		// Keep the pipe flowing so the sensor does not block on it.
		_, _ = io.Copy(io.Discard, r)
	}
}

func readOutput(r io.Reader, log *slog.Logger) {
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadString('\n')
		if line = strings.TrimRight(line, "\r\n"); line != "" {
			log.Info("sensor output", "line", line)
		}
		if err != nil {
			return
		}
	}
}

// exitCode reports a child's status as Python's subprocess does: the exit
// status, or minus the signal number that killed it.
func exitCode(cmd *exec.Cmd, err error) int {
	if cmd.ProcessState == nil {
		return -1
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return -int(ws.Signal())
	}
	return cmd.ProcessState.ExitCode()
}

// stop ends a sensor process: SIGTERM to its process group, then SIGKILL
// once the grace period is over; it returns when the process is reaped.
func (c *Container) stop(p *process, log *slog.Logger) {
	pid := p.cmd.Process.Pid
	_ = syscall.Kill(-pid, syscall.SIGTERM)
	t := time.NewTimer(c.opts.StopGrace)
	defer t.Stop()
	select {
	case <-p.exited:
		return
	case <-t.C:
	}
	log.Warn("sensor process ignored SIGTERM, killing it", "pid", pid)
	_ = syscall.Kill(-pid, syscall.SIGKILL)
	<-p.exited
}
