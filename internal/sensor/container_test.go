package sensor

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// waitLimit bounds every wait in these tests, so a broken container fails
// the test instead of hanging it.
const waitLimit = 30 * time.Second

// needPython skips, loudly, when there is no python3 to run sensors with.
func needPython(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skipf("SKIPPING: python3 is not on PATH (%v); the sensor container cannot be tested without it", err)
	}
	// Keep __pycache__ out of testdata.
	t.Setenv("PYTHONDONTWRITEBYTECODE", "1")
}

// kvServer is the part of st2go's /api/v1/keys the Python datastore
// service uses, with one token.
type kvServer struct {
	t     *testing.T
	token string

	mu      sync.Mutex
	values  map[string]string
	badAuth int
}

func newKVServer(t *testing.T, token string) (*kvServer, string) {
	kv := &kvServer{t: t, token: token, values: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/keys/{$}", kv.list)
	mux.HandleFunc("GET /api/v1/keys/{name}", kv.get)
	mux.HandleFunc("PUT /api/v1/keys/{name}", kv.put)
	mux.HandleFunc("DELETE /api/v1/keys/{name}", kv.del)
	srv := httptest.NewServer(kv.auth(mux))
	t.Cleanup(srv.Close)
	return kv, srv.URL + "/api/v1"
}

func (kv *kvServer) auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Auth-Token") != kv.token {
			kv.mu.Lock()
			kv.badAuth++
			kv.mu.Unlock()
			http.Error(w, `{"faultstring": "unauthorized"}`, http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (kv *kvServer) list(w http.ResponseWriter, r *http.Request) {
	prefix := r.URL.Query().Get("prefix")
	kv.mu.Lock()
	var out []map[string]any
	for k, v := range kv.values {
		if strings.HasPrefix(k, prefix) {
			out = append(out, map[string]any{"name": k, "value": v, "scope": "st2kv.system"})
		}
	}
	kv.mu.Unlock()
	json.NewEncoder(w).Encode(out)
}

func (kv *kvServer) get(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if r.URL.Query().Get("scope") != "system" {
		http.Error(w, "scope", http.StatusBadRequest)
		return
	}
	kv.mu.Lock()
	v, ok := kv.values[name]
	kv.mu.Unlock()
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"faultstring": "not found"}`))
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"name": name, "value": v})
}

func (kv *kvServer) put(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name  string `json:"name"`
		Value string `json:"value"`
		Scope string `json:"scope"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Name != r.PathValue("name") || body.Scope != "system" {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	kv.mu.Lock()
	kv.values[body.Name] = body.Value
	kv.mu.Unlock()
	json.NewEncoder(w).Encode(body)
}

func (kv *kvServer) del(w http.ResponseWriter, r *http.Request) {
	kv.mu.Lock()
	_, ok := kv.values[r.PathValue("name")]
	delete(kv.values, r.PathValue("name"))
	kv.mu.Unlock()
	if !ok {
		http.Error(w, `{"faultstring": "not found"}`, http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (kv *kvServer) value(name string) (string, bool) {
	kv.mu.Lock()
	defer kv.mu.Unlock()
	v, ok := kv.values[name]
	return v, ok
}

type dispatched struct {
	trigger  any
	payload  map[string]any
	traceTag string
}

// harness runs a container for one test and collects what it reports.
type harness struct {
	c          *Container
	dispatches chan dispatched
	events     chan Event
	stop       func() // cancels Run and waits for it
}

func startContainer(t *testing.T, opts Options, sensors ...*SensorType) *harness {
	t.Helper()
	h := &harness{dispatches: make(chan dispatched, 100), events: make(chan Event, 100)}
	opts.Dir = t.TempDir()
	opts.Logger = slog.New(slog.NewTextHandler(testWriter{t}, nil))
	opts.Dispatch = func(trigger any, payload map[string]any, traceTag string) {
		h.dispatches <- dispatched{trigger, payload, traceTag}
	}
	opts.Event = func(e Event) { h.events <- e }
	if opts.RespawnDelay == 0 {
		opts.RespawnDelay = 10 * time.Millisecond
	}
	if opts.StopGrace == 0 {
		opts.StopGrace = 5 * time.Second
	}
	h.c = New(opts)
	h.c.Set(sensors)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.c.Run(ctx) }()
	var once sync.Once
	h.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(waitLimit):
				t.Errorf("Run did not return after cancel")
			}
		})
	}
	t.Cleanup(h.stop)
	return h
}

func (h *harness) nextDispatch(t *testing.T) dispatched {
	t.Helper()
	select {
	case d := <-h.dispatches:
		return d
	case <-time.After(waitLimit):
		t.Fatal("no trigger dispatched")
	}
	return dispatched{}
}

func (h *harness) nextEvent(t *testing.T) Event {
	t.Helper()
	select {
	case e := <-h.events:
		return e
	case <-time.After(waitLimit):
		t.Fatal("no sensor process event")
	}
	return Event{}
}

// waitUnsupervised waits until the container no longer supervises ref.
func (h *harness) waitUnsupervised(t *testing.T, ref string) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		if _, ok := h.c.PID(ref); !ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("sensor %s is still supervised", ref)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func loadTestSensor(t *testing.T, name string) *SensorType {
	t.Helper()
	s, _, err := Load(filepath.Join("testdata", "packs", "testpack", "sensors", name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestContainerRunsPollingSensorAndRespawnsIt(t *testing.T) {
	needPython(t)
	kv, apiURL := newKVServer(t, "sensor-token")
	kv.values["shared"] = "from outside"
	counter := loadTestSensor(t, "counter_sensor")
	counter.PollInterval = 1 // below the registration minimum, to keep the test short

	h := startContainer(t, Options{
		APIURL: apiURL,
		Token: func(_ context.Context, s *SensorType) (string, error) {
			if s.Ref != "testpack.CounterSensor" {
				t.Errorf("token asked for %s", s.Ref)
			}
			return "sensor-token", nil
		},
		Config: func(_ context.Context, pack string) (map[string]any, error) {
			return map[string]any{"greeting": "hello " + pack}, nil
		},
	}, counter)

	spawn := h.nextEvent(t)
	if spawn.Kind != EventSpawn || spawn.Sensor.Ref != "testpack.CounterSensor" || spawn.PID == 0 {
		t.Fatalf("first event = %+v, want a spawn of testpack.CounterSensor", spawn)
	}
	if p := spawn.Payload(); p["id"] != "CounterSensor" || p["pid"] != spawn.PID || !strings.Contains(p["cmd"].(string), "--class CounterSensor") {
		t.Errorf("spawn payload = %v", p)
	}
	if spawn.Trigger() != SpawnTrigger {
		t.Errorf("spawn trigger = %s", spawn.Trigger())
	}

	for want := 1; want <= 2; want++ {
		d := h.nextDispatch(t)
		if d.trigger != "testpack.counter" || d.traceTag != "counter-"+itoa(want) {
			t.Fatalf("dispatch %d = %+v", want, d)
		}
		if d.payload["count"] != float64(want) || d.payload["label"] != "poll #"+itoa(want) ||
			d.payload["greeting"] != "hello testpack" || d.payload["global"] != "from outside" {
			t.Fatalf("dispatch %d payload = %v", want, d.payload)
		}
		if listed, _ := json.Marshal(d.payload["listed"]); string(listed) != `["testpack.CounterSensor:count"]` {
			t.Errorf("list_values(local=True) = %s", listed)
		}
	}
	if v, _ := kv.value("testpack.CounterSensor:count"); v != "2" {
		t.Errorf("datastore count = %q, want the local key set to 2", v)
	}

	// Kill the sensor the hard way: it must come back, continuing from
	// the count it stored.
	pid, ok := h.c.PID(counter.Ref)
	if !ok || pid != spawn.PID {
		t.Fatalf("PID = %d, %v; want %d", pid, ok, spawn.PID)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	exit := h.nextEvent(t)
	if exit.Kind != EventExit || exit.PID != pid || exit.ExitCode != -int(syscall.SIGKILL) {
		t.Fatalf("event after kill = %+v, want exit of %d with -9", exit, pid)
	}
	if p := exit.Payload(); p["exit_code"] != -9 || exit.Trigger() != ExitTrigger {
		t.Errorf("exit payload = %v (%s)", p, exit.Trigger())
	}
	respawn := h.nextEvent(t)
	if respawn.Kind != EventSpawn || respawn.PID == pid {
		t.Fatalf("event after exit = %+v, want a new spawn", respawn)
	}
	// A poll may have been under way when the kill landed; skip to the
	// first dispatch of the new process.
	for {
		d := h.nextDispatch(t)
		if d.payload["count"].(float64) >= 3 {
			if d.traceTag != "counter-"+itoa(int(d.payload["count"].(float64))) {
				t.Errorf("dispatch after respawn = %+v", d)
			}
			break
		}
	}

	// Removing the sensor stops it with SIGTERM, which runs cleanup().
	h.c.Set(nil)
	h.waitUnsupervised(t, counter.Ref)
	if v, _ := kv.value("testpack.CounterSensor:cleaned"); v != "yes" {
		t.Errorf("cleanup did not run on SIGTERM (cleaned = %q)", v)
	}
	if err := syscall.Kill(respawn.PID, 0); err == nil {
		t.Errorf("sensor process %d still exists after Set(nil)", respawn.PID)
	}
	kv.mu.Lock()
	bad := kv.badAuth
	kv.mu.Unlock()
	if bad != 0 {
		t.Errorf("%d requests without the sensor token", bad)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestContainerRespawnPolicy(t *testing.T) {
	needPython(t)
	tests := []struct {
		sensor     string
		wantSpawns int
		wantCode   int
	}{
		// A failing sensor is started once and respawned twice.
		{"failing_sensor", 1 + DefaultMaxRespawns, 1},
		// A sensor whose run() returns exits 0 and is left alone.
		{"oneshot_sensor", 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.sensor, func(t *testing.T) {
			s := loadTestSensor(t, tt.sensor)
			h := startContainer(t, Options{}, s)
			h.waitUnsupervised(t, s.Ref)
			h.stop()
			close(h.events)
			var spawns, exits []int
			for e := range h.events {
				switch e.Kind {
				case EventSpawn:
					spawns = append(spawns, e.PID)
				case EventExit:
					exits = append(exits, e.ExitCode)
					if e.ExitCode != tt.wantCode {
						t.Errorf("exit code = %d, want %d", e.ExitCode, tt.wantCode)
					}
				}
			}
			if len(spawns) != tt.wantSpawns || len(exits) != tt.wantSpawns {
				t.Errorf("spawns %v, exits %v; want %d of each", spawns, exits, tt.wantSpawns)
			}
		})
	}
}

func TestContainerSingleSensorModeReturnsExitError(t *testing.T) {
	needPython(t)
	s := loadTestSensor(t, "failing_sensor")
	c := New(Options{Dir: t.TempDir(), SingleSensorMode: true, Logger: slog.New(slog.NewTextHandler(testWriter{t}, nil))})
	c.Set([]*SensorType{s})
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	err := c.Run(ctx)
	ee, ok := err.(*ExitError)
	if !ok || ee.Ref != "testpack.FailingSensor" || ee.Code != 1 {
		t.Fatalf("Run = %v, want an ExitError for testpack.FailingSensor with code 1", err)
	}
}

func TestContainerSendsTriggersToSensor(t *testing.T) {
	needPython(t)
	kv, apiURL := newKVServer(t, "tok")
	_ = kv
	counter := loadTestSensor(t, "counter_sensor")
	counter.PollInterval = 3600 // one poll, then quiet
	existing := map[string]any{"ref": "testpack.abc", "type": "testpack.counter", "parameters": map[string]any{"n": 1}}
	h := startContainer(t, Options{
		APIURL: apiURL,
		Token:  func(context.Context, *SensorType) (string, error) { return "tok", nil },
		Triggers: func(_ context.Context, types []string) ([]any, error) {
			if len(types) != 1 || types[0] != "testpack.counter" {
				t.Errorf("Triggers asked for %v", types)
			}
			return []any{existing}, nil
		},
	}, counter)
	got := map[any]map[string]any{}
	for len(got) < 2 {
		d := h.nextDispatch(t)
		got[d.trigger] = d.payload
	}
	if p := got["testpack.counter_trigger_added"]; p["ref"] != "testpack.abc" {
		t.Errorf("add_trigger got %v", p)
	}
	h.c.TriggerChanged(TriggerAdd, "testpack.counter", map[string]any{"ref": "testpack.def"})
	h.c.TriggerChanged(TriggerAdd, "other.type", map[string]any{"ref": "other.x"})
	for {
		d := h.nextDispatch(t)
		if d.trigger != "testpack.counter_trigger_added" {
			continue
		}
		if d.payload["ref"] != "testpack.def" {
			t.Fatalf("add_trigger got %v, want testpack.def only", d.payload)
		}
		break
	}
	h.stop()
	close(h.dispatches)
	var rest []string
	for d := range h.dispatches {
		if d.trigger == "testpack.counter_trigger_added" {
			rest = append(rest, d.payload["ref"].(string))
		}
	}
	sort.Strings(rest)
	if len(rest) != 0 {
		t.Errorf("unexpected add_trigger calls %v", rest)
	}
}

func TestContainerSetStartsEnabledAndRestartsChanged(t *testing.T) {
	needPython(t)
	s := loadTestSensor(t, "oneshot_sensor")
	disabled := *s
	disabled.Enabled = false
	h := startContainer(t, Options{}, &disabled)
	if _, ok := h.c.PID(s.Ref); ok {
		t.Fatal("a disabled sensor is supervised")
	}

	// Enabling it starts it; it dispatches once and exits 0.
	h.c.Set([]*SensorType{s})
	if e := h.nextEvent(t); e.Kind != EventSpawn || e.Sensor.Ref != s.Ref {
		t.Fatalf("event = %+v, want a spawn of %s", e, s.Ref)
	}
	if d := h.nextDispatch(t); d.trigger != "testpack.once" || d.payload["done"] != true || d.traceTag != "" {
		t.Fatalf("dispatch = %+v", d)
	}
	if e := h.nextEvent(t); e.Kind != EventExit || e.ExitCode != 0 {
		t.Fatalf("event = %+v, want a clean exit", e)
	}
	h.waitUnsupervised(t, s.Ref)

	// A changed definition starts it again.
	changed := *s
	changed.Description = "changed"
	h.c.Set([]*SensorType{&changed})
	if e := h.nextEvent(t); e.Kind != EventSpawn || e.Sensor.Description != "changed" {
		t.Fatalf("event = %+v, want a spawn of the changed sensor", e)
	}
}
